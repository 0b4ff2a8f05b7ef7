package io.crescent.server;

import java.util.function.LongSupplier;

/**
 * The bytes of replies one event loop's clients have received and not yet handed to their sockets
 * (with the requests of answered commands whose clients take nothing), against the share of
 * {@code held_replies_limit} that loop may hold.
 *
 * <p>Like Redis, the proxy keeps reading for a client that is slow to take its replies, so that
 * the clients whose replies share its Redis connection are not held up; only once this budget is
 * spent do the Redis connections delivering to slow clients stop reading, and Redis keeps the rest.
 * One instance per event loop, used only there.
 */
final class HeldReplies {

  private final LongSupplier limit;
  private long held;

  /** {@code limit} is read at each check: a reload may change it. */
  HeldReplies(LongSupplier limit) {
    this.limit = limit;
  }

  void add(long bytes) {
    held += bytes;
  }

  /** True once this loop's clients hold more than their share (never, if it is 0). */
  boolean spent() {
    long share = limit.getAsLong();
    return share > 0 && held > share;
  }

  /** Also read by other threads, for metrics and INFO: a slightly stale value is fine there. */
  long held() {
    return held;
  }
}
