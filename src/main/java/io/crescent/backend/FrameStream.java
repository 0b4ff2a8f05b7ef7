package io.crescent.backend;

import io.crescent.resp.Command;
import io.vertx.core.buffer.Buffer;

/**
 * What each frame on one Redis connection means. Usually the reply to the oldest command in
 * flight; but a subscribed connection also carries messages, a MONITOR connection its command
 * log, and a RESP3 connection pushes, none of which answer a command; and SUBSCRIBE a b is
 * answered with one frame per channel. Tracks the state that decides, as Redis reports it.
 */
final class FrameStream {

  /** The connection's protocol: as opened, then as HELLO or RESET on it changed it. */
  private int protocol;
  /** A HELLO queued inside MULTI: the protocol the connection speaks once EXEC has run it (0: none). */
  private int protocolAfterExec;
  private long channelSubscriptions;
  private long shardSubscriptions;
  /** After MONITOR's +OK, Redis streams its command log as simple strings starting with a digit. */
  private boolean monitoring;
  private Buffer gathered;
  private int gatheredFrames;

  FrameStream(int protocol) {
    this.protocol = protocol;
  }

  /** Whether {@code frame} answers no command, given the oldest command in flight (or null). */
  boolean outOfBand(Buffer frame, Command head) {
    if (monitoring && frame.length() > 1 && frame.getByte(0) == '+' && frame.getByte(1) >= '0'
        && frame.getByte(1) <= '9') {
      return true;
    }
    if (protocol == 3) {
      // Only pushes answer no command; an array that looks like a message is a reply.
      return PubSubFrames.isPush(frame) && !(head != null && head.pubsubFrames() > 0
          && (PubSubFrames.isChannelConfirmation(frame) || PubSubFrames.isShardConfirmation(frame)));
    }
    return subscribed() && PubSubFrames.isMessage(frame);
  }

  /**
   * The whole reply to {@code command} once its last frame has come, or null while frames are
   * still missing (SUBSCRIBE a b is answered with two).
   */
  Buffer reply(Command command, Buffer frame) {
    if (command.pubsubFrames() == 0) {
      return frame;
    }
    if (gathered == null && frame.getByte(0) == '-') {
      return frame;
    }
    if (PubSubFrames.isChannelConfirmation(frame)) {
      channelSubscriptions = PubSubFrames.remaining(frame);
    } else if (PubSubFrames.isShardConfirmation(frame)) {
      shardSubscriptions = PubSubFrames.remaining(frame);
    }
    if (command.pubsubFrames() == 1 && gathered == null) {
      return frame;
    }
    if (gathered == null) {
      gathered = Buffer.buffer(frame.length() * command.pubsubFrames());
    }
    gathered.appendBuffer(frame);
    if (++gatheredFrames < command.pubsubFrames()) {
      return null;
    }
    Buffer whole = gathered;
    gathered = null;
    gatheredFrames = 0;
    return whole;
  }

  /** Follows what a completed command did to the connection. */
  void completed(Command command, Buffer reply) {
    if (reply.length() == 0) {
      return;
    }
    if (reply.getByte(0) == '-') {
      if (command.argc() == 1 && command.argIs(0, "exec")) {
        protocolAfterExec = 0;
      }
      return;
    }
    if (command.argc() > 1 && command.argIs(0, "hello")) {
      int next = command.argIs(1, "3") ? 3 : 2;
      if (reply.getByte(0) == '+') {
        // QUEUED: inside MULTI, it switches when EXEC runs it.
        protocolAfterExec = next;
      } else {
        protocol = next;
      }
    } else if (command.argc() != 1) {
      return;
    } else if (command.argIs(0, "exec") || command.argIs(0, "discard")) {
      // EXEC's array (not a nil, when a WATCHed key changed) means its HELLO ran.
      if (command.argIs(0, "exec") && protocolAfterExec != 0 && reply.getByte(0) == '*' && reply.length() > 1
          && reply.getByte(1) != '-') {
        protocol = protocolAfterExec;
      }
      protocolAfterExec = 0;
    } else if (command.argIs(0, "reset")) {
      // RESET drops every subscription without confirming each one, ends MONITOR and goes back
      // to RESP2.
      reset();
      protocol = 2;
    } else if (command.argIs(0, "monitor")) {
      monitoring = true;
    }
  }

  /** Subscribed or monitoring: the connection must not serve another client. */
  boolean holdsState() {
    return subscribed() || monitoring;
  }

  private boolean subscribed() {
    return channelSubscriptions > 0 || shardSubscriptions > 0;
  }

  void reset() {
    protocolAfterExec = 0;
    channelSubscriptions = 0;
    shardSubscriptions = 0;
    monitoring = false;
    gathered = null;
    gatheredFrames = 0;
  }
}
