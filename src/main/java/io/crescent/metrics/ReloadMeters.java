package io.crescent.metrics;

import io.micrometer.core.instrument.Counter;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What happened to the edits of the configuration file. Rare events, so plain Micrometer meters.
 * An operator alerts on {@code crescent_config_file_refused} (the file on disk is not what runs)
 * and {@code crescent_config_restart_pending} (the file changes settings that need a restart).
 */
public final class ReloadMeters {

  private final Counter applied;
  private final Counter refused;
  final AtomicInteger fileRefused = new AtomicInteger();
  final AtomicInteger restartPending = new AtomicInteger();

  ReloadMeters(Counter applied, Counter refused) {
    this.applied = applied;
    this.refused = refused;
  }

  /** An edit was applied; {@code restartPending} settings in it wait for a restart. */
  public void applied(int pending) {
    applied.increment();
    fileRefused.set(0);
    restartPending.set(pending);
  }

  /** An edit was refused (unreadable, not JSON, a bad value, a stale cluster epoch). */
  public void refused() {
    refused.increment();
    fileRefused.set(1);
  }

  /** The file reads as the running configuration again. */
  public void inSync() {
    fileRefused.set(0);
  }
}
