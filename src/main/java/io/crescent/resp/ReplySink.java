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

  /** A number that stays the same for the life of the client connection (Redis's client id). */
  long id();
}
