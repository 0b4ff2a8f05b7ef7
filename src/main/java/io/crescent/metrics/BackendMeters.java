package io.crescent.metrics;

import io.micrometer.core.instrument.Counter;

/** Connection events of one backend address. Rare events, so plain Micrometer counters. */
public final class BackendMeters {

  private final Counter connectFailures;
  private final Counter reconnects;

  BackendMeters(Counter connectFailures, Counter reconnects) {
    this.connectFailures = connectFailures;
    this.reconnects = reconnects;
  }

  /** A connection attempt failed (refused, timed out, unreachable). */
  public void connectFailed() {
    connectFailures.increment();
  }

  /** A connection was established again after a failed attempt or a lost connection. */
  public void reconnected() {
    reconnects.increment();
  }
}
