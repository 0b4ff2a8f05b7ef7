package io.crescent.backend;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * Recognises the frames of pub/sub by their first bytes, without decoding them: messages, which
 * answer no command, and subscription confirmations, whose last element is the number of
 * subscriptions left. RESP2 sends them as arrays ({@code *}), RESP3 as pushes ({@code >}).
 */
final class PubSubFrames {

  private static final byte[][] MESSAGES = {
      bytes("*3\r\n$7\r\nmessage\r\n"), bytes("*4\r\n$8\r\npmessage\r\n"), bytes("*3\r\n$8\r\nsmessage\r\n")};
  private static final byte[][] CHANNEL_CONFIRMATIONS = {
      bytes("*3\r\n$9\r\nsubscribe\r\n"), bytes("*3\r\n$10\r\npsubscribe\r\n"),
      bytes("*3\r\n$11\r\nunsubscribe\r\n"), bytes("*3\r\n$12\r\npunsubscribe\r\n")};
  private static final byte[][] SHARD_CONFIRMATIONS = {
      bytes("*3\r\n$10\r\nssubscribe\r\n"), bytes("*3\r\n$12\r\nsunsubscribe\r\n")};

  private PubSubFrames() {
  }

  static boolean isMessage(Buffer frame) {
    return startsWithAny(frame, MESSAGES);
  }

  static boolean isChannelConfirmation(Buffer frame) {
    return startsWithAny(frame, CHANNEL_CONFIRMATIONS);
  }

  static boolean isShardConfirmation(Buffer frame) {
    return startsWithAny(frame, SHARD_CONFIRMATIONS);
  }

  /** The trailing integer of a confirmation: subscriptions left after it. */
  static long remaining(Buffer frame) {
    int colon = frame.length() - 3;
    while (colon > 0 && frame.getByte(colon) != ':') {
      colon--;
    }
    long value = 0;
    for (int i = colon + 1; i < frame.length() - 2; i++) {
      value = value * 10 + (frame.getByte(i) - '0');
    }
    return value;
  }

  private static boolean startsWithAny(Buffer frame, byte[][] prefixes) {
    for (byte[] prefix : prefixes) {
      if (startsWith(frame, prefix)) {
        return true;
      }
    }
    return false;
  }

  static boolean isPush(Buffer frame) {
    return frame.length() > 0 && frame.getByte(0) == '>';
  }

  private static boolean startsWith(Buffer frame, byte[] prefix) {
    if (frame.length() < prefix.length || (frame.getByte(0) != '*' && frame.getByte(0) != '>')) {
      return false;
    }
    for (int i = 1; i < prefix.length; i++) {
      if (frame.getByte(i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
