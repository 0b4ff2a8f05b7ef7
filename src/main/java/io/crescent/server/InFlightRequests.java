package io.crescent.server;

import java.util.function.LongSupplier;

/**
 * The bytes of commands of at most {@link io.crescent.resp.FrameMemory#LARGE} that one event
 * loop's clients sent and that are not answered yet, against that loop's share of a quarter of
 * {@code frame_memory_limit} (larger commands are counted there).
 *
 * <p>Redis that stalls (a long script, a stopped process) stops reading, and its clients' writes
 * wait in their kernels. The proxy reads on meanwhile and keeps what it read until Redis answers:
 * without a bound, ten clients pipelining 15 KB SETs at a stopped Redis ran a 512 MB heap out of
 * memory in seconds. Past the share, a client with unanswered commands is not read until they
 * are answered, so its writes wait in its kernel, as they would with Redis itself. One instance
 * per event loop, used only there: counting costs a command no atomic operation.
 */
final class InFlightRequests {

  private final LongSupplier limit;
  private long bytes;

  /** {@code limit} is read at each check: a reload may change it. */
  InFlightRequests(LongSupplier limit) {
    this.limit = limit;
  }

  void add(long delta) {
    bytes += delta;
  }

  /** True once this loop's unanswered commands pass its share (never, if it is 0). */
  boolean spent() {
    long share = limit.getAsLong();
    return share > 0 && bytes > share;
  }

  /** Also read by other threads, for metrics and INFO: a slightly stale value is fine there. */
  long bytes() {
    return bytes;
  }
}
