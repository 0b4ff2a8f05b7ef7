package io.crescent.resp;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reply encoding, with the constant replies built once. Replies whose type differs between the
 * protocols (null, map, verbatim text) take the client's protocol version, 2 or 3.
 */
public final class Resp {

  public static final byte[] CRLF = {'\r', '\n'};

  public static final Buffer OK = constant("+OK\r\n");
  public static final Buffer PONG = constant("+PONG\r\n");
  public static final Buffer NULL_BULK = constant("$-1\r\n");
  public static final Buffer EMPTY_ARRAY = constant("*0\r\n");
  public static final Buffer ZERO = constant(":0\r\n");
  public static final Buffer ONE = constant(":1\r\n");
  public static final Buffer NULL3 = constant("_\r\n");

  private Resp() {
  }

  private static Buffer constant(String text) {
    return Buffer.buffer(text.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * An error reply. The text must start with an error code such as {@code ERR} or
   * {@code MOVED}; line breaks are replaced by spaces, as Redis does, so a reply can never break
   * the protocol.
   */
  public static Buffer error(String text) {
    return error(text.getBytes(StandardCharsets.UTF_8));
  }

  /** An error reply from raw bytes, for texts that quote what a client sent. */
  public static Buffer error(byte[] bytes) {
    Buffer buf = Buffer.buffer(bytes.length + 3).appendByte((byte) '-');
    for (byte b : bytes) {
      buf.appendByte(b == '\r' || b == '\n' ? (byte) ' ' : b);
    }
    return buf.appendBytes(CRLF);
  }

  public static Buffer simple(String text) {
    return Buffer.buffer(text.length() + 3).appendByte((byte) '+').appendString(text).appendBytes(CRLF);
  }

  public static Buffer integer(long value) {
    if (value == 0) {
      return ZERO;
    }
    if (value == 1) {
      return ONE;
    }
    return Buffer.buffer(24).appendByte((byte) ':').appendString(Long.toString(value)).appendBytes(CRLF);
  }

  public static Buffer bulk(String text) {
    return text == null ? NULL_BULK : bulk(text.getBytes(StandardCharsets.UTF_8));
  }

  public static Buffer bulk(byte[] bytes) {
    return appendBulk(Buffer.buffer(bytes.length + 16), bytes);
  }

  public static Buffer appendBulk(Buffer out, byte[] bytes) {
    return out.appendByte((byte) '$').appendString(Integer.toString(bytes.length)).appendBytes(CRLF)
        .appendBytes(bytes).appendBytes(CRLF);
  }

  public static Buffer appendBulk(Buffer out, String text) {
    return appendBulk(out, text.getBytes(StandardCharsets.UTF_8));
  }

  public static Buffer appendArrayHeader(Buffer out, int length) {
    return out.appendByte((byte) '*').appendString(Integer.toString(length)).appendBytes(CRLF);
  }

  public static Buffer appendInteger(Buffer out, long value) {
    return out.appendByte((byte) ':').appendString(Long.toString(value)).appendBytes(CRLF);
  }

  public static Buffer nullBulk(int protocol) {
    return protocol == 3 ? NULL3 : NULL_BULK;
  }

  /** A map header: RESP3 {@code %n}, or in RESP2 the flat array of its keys and values. */
  public static Buffer appendMapHeader(Buffer out, int pairs, int protocol) {
    return protocol == 3
        ? out.appendByte((byte) '%').appendString(Integer.toString(pairs)).appendBytes(CRLF)
        : appendArrayHeader(out, 2 * pairs);
  }

  /** Text for people (INFO, CLUSTER NODES): RESP3 verbatim "txt", or a RESP2 bulk string. */
  public static Buffer verbatim(String text, int protocol) {
    if (protocol != 3) {
      return bulk(text);
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer(bytes.length + 20).appendByte((byte) '=').appendString(Integer.toString(bytes.length + 4))
        .appendBytes(CRLF).appendString("txt:").appendBytes(bytes).appendBytes(CRLF);
  }

  public static Buffer stringArray(List<String> items) {
    Buffer out = appendArrayHeader(Buffer.buffer(), items.size());
    for (String item : items) {
      appendBulk(out, item);
    }
    return out;
  }
}
