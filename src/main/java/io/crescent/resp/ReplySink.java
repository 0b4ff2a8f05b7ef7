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

  /**
   * True while the client is not taking its replies fast enough and the proxy holds all it will
   * for such clients: whoever delivers them should stop reading from Redis until
   * {@link #onDrained} says the client caught up.
   */
  default boolean congested() {
    return false;
  }

  /** Runs {@code action} once the client is no longer congested (or is gone). */
  default void onDrained(Runnable action) {
    action.run();
  }

  /**
   * A Redis connection has waited for this client to catch up: it is disconnected, as Redis
   * would, if it took nothing for {@code idleNanos}.
   */
  default void abandon(long idleNanos) {
  }

  /** The client these replies are for: sinks that rewrite a reply stand for their client. */
  default Object owner() {
    return this;
  }

  /**
   * The client's own Redis connection is gone, and with it its transaction, watches or
   * subscriptions: the client is disconnected, as it would be if its cluster node restarted,
   * rather than carry on as if they still held.
   */
  default void backendLost() {
  }

  /** A number that stays the same for the life of the client connection (Redis's client id). */
  long id();
}
