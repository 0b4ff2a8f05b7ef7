package io.crescent.resp;

import io.vertx.core.buffer.Buffer;

/**
 * Where replies to a client's commands go. Replies may be completed in any order; the sink
 * delivers them in the order the commands were sent.
 */
public interface ReplySink {

  /** Answers one command. Completing does not write; {@link #flush()} does. */
  void complete(Command command, Buffer reply);

  /** Writes, in one go, every reply that is now next in line. */
  void flush();

  /**
   * Delivers a frame that answers no command (a pub/sub message). It goes out after the replies
   * already in line and before those still awaited, which is where Redis put it in its stream.
   */
  void push(Buffer frame);

  /** A number that stays the same for the life of the client connection (Redis's client id). */
  long id();
}
