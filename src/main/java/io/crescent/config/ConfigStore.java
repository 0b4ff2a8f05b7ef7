package io.crescent.config;

import java.util.List;

/**
 * The proxy's settings in force, shared by every event loop. Readers take the immutable snapshot
 * when they need a value, so a reload reaches them at their next read without a lock; a reload
 * replaces the snapshot as a whole.
 */
public final class ConfigStore {

  /** What a reload did: the settings it changed, and those that differ but wait for a restart. */
  public record Changes(List<Setting> applied, List<Setting> needRestart) {
  }

  private volatile ProxyConfig current;

  public ConfigStore(ProxyConfig initial) {
    this.current = initial;
  }

  public ProxyConfig current() {
    return current;
  }

  /**
   * Takes {@code next}'s run-time settings. Settings that need a restart keep their running values;
   * they are reported as long as the file and the running proxy disagree on them.
   */
  public synchronized Changes apply(ProxyConfig next) {
    ProxyConfig running = current;
    List<Setting> differing = Setting.differences(running, next);
    current = running.withRuntimeSettingsOf(next);
    return new Changes(differing.stream().filter(Setting::runtime).toList(),
        differing.stream().filter(s -> !s.runtime()).toList());
  }
}
