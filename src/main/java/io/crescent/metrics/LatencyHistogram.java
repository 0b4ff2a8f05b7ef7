package io.crescent.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Durations counted into fixed buckets, written by one event loop and read by the scrape. A
 * record is a few comparisons and two plain stores, cheap enough for every command; opaque
 * access keeps the reader's view eventually current without fences (see {@link RouteCounters}).
 */
final class LatencyHistogram {

  /** Upper bounds in seconds, from a loopback round trip to a stalled backend. */
  static final double[] BOUNDS = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
      0.1, 0.25, 0.5, 1, 2.5, 5, 10, Double.POSITIVE_INFINITY};

  private static final long[] BOUND_NANOS = new long[BOUNDS.length];
  private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle SUM;

  static {
    for (int i = 0; i < BOUNDS.length; i++) {
      BOUND_NANOS[i] = Double.isInfinite(BOUNDS[i]) ? Long.MAX_VALUE : Math.round(BOUNDS[i] * 1e9);
    }
    try {
      SUM = MethodHandles.lookup().findVarHandle(LatencyHistogram.class, "sumNanos", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Per bucket, not cumulative. */
  private final long[] counts = new long[BOUNDS.length];
  private long sumNanos;

  void record(long nanos) {
    int i = 0;
    while (nanos > BOUND_NANOS[i]) {
      i++;
    }
    COUNTS.setOpaque(counts, i, counts[i] + 1);
    SUM.setOpaque(this, sumNanos + nanos);
  }

  /** Adds this histogram's counts into {@code into} (per bucket); returns the sum in nanoseconds. */
  long addTo(long[] into) {
    for (int i = 0; i < counts.length; i++) {
      into[i] += (long) COUNTS.getOpaque(counts, i);
    }
    return (long) SUM.getOpaque(this);
  }
}
