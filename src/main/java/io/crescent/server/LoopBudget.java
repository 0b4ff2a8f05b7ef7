package io.crescent.server;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Bytes that one event loop's clients hold of one kind, against that loop's share of a limit.
 * One instance per event loop and kind, used only there: counting costs a command no atomic
 * operation.
 */
final class LoopBudget {

  private final LongSupplier limit;
  private long bytes;
  /** Run once the loop's clients hold no more than their share again. */
  private List<Runnable> waiting = new ArrayList<>();

  /** {@code limit} is read at each check: a reload may change it. */
  LoopBudget(LongSupplier limit) {
    this.limit = limit;
  }

  void add(long delta) {
    bytes += delta;
    if (delta < 0 && !waiting.isEmpty() && !spent()) {
      List<Runnable> ready = waiting;
      waiting = new ArrayList<>();
      ready.forEach(Runnable::run);
    }
  }

  /** Runs {@code action} once this loop's clients hold no more than their share (it may be at once). */
  void whenRoom(Runnable action) {
    if (spent()) {
      waiting.add(action);
    } else {
      action.run();
    }
  }

  /** True once this loop's clients hold more than their share (never, if it is 0). */
  boolean spent() {
    long share = limit.getAsLong();
    return share > 0 && bytes > share;
  }

  /** Also read by other threads, for metrics and INFO: a slightly stale value is fine there. */
  long bytes() {
    return bytes;
  }
}
