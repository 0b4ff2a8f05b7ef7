package io.crescent.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Every key of the configuration: whether a reload can change it while the proxy runs, and how
 * its value reads. Keys that shape sockets, threads or pools (addresses, event loops, pool sizes)
 * need a restart; limits, timeouts, passwords, logging and the cluster apply at once.
 */
public enum Setting {
  ADDRESS(false, c -> c.address().toString()),
  ANNOUNCE_ADDRESS(false, c -> c.announceAddress().toString()),
  METRICS_ADDRESS(false, c -> c.metricsAddress() == null ? "" : c.metricsAddress().toString()),
  EVENT_LOOPS(false, c -> Integer.toString(c.eventLoops())),
  /** Read by whoever builds Vert.x: the launcher, not a deployed verticle. */
  TRANSPORT(false, ProxyConfig::transport),
  BACKEND_CONNECTIONS(false, c -> Integer.toString(c.backendConnections())),
  DEDICATED_CONNECTIONS(false, c -> Integer.toString(c.dedicatedConnections())),
  BACKEND_CONNECT_TIMEOUT_MS(false, c -> Long.toString(c.backendConnectTimeoutMs())),
  CONFIG_SCAN_PERIOD_MS(false, c -> Integer.toString(c.configScanPeriodMs())),
  BACKEND_TIMEOUT_MS(true, c -> Long.toString(c.backendTimeoutMs())),
  TIMEOUT(true, c -> Integer.toString(c.idleTimeoutSeconds())),
  MAX_CLIENTS(true, c -> Integer.toString(c.maxClients())),
  CLIENT_OUTPUT_BUFFER_LIMIT(true, c -> Long.toString(c.clientOutputBufferLimit())),
  HELD_REPLIES_LIMIT(true, c -> Long.toString(c.heldRepliesLimit())),
  FRAME_MEMORY_LIMIT(true, c -> Long.toString(c.frameMemoryLimit())),
  SHUTDOWN_TIMEOUT_MS(true, c -> Long.toString(c.shutdownTimeoutMs())),
  SLOWLOG_LOG_SLOWER_THAN(true, c -> Long.toString(c.slowlogSlowerThanMicros())),
  SLOWLOG_MAX_LEN(true, c -> Integer.toString(c.slowlogMaxLen())),
  LOG_LEVEL(true, ProxyConfig::logLevel),
  PASSWORD(true, c -> c.passwords().client()),
  ADMIN_PASSWORD(true, c -> c.passwords().admin()),
  BACKEND_USER(true, c -> c.passwords().backendUser()),
  BACKEND_PASSWORD(true, c -> c.passwords().backendPassword()),
  /** Applied as UMCTL SETCLUSTER is, under the same epoch rule. */
  CLUSTER(true, c -> c.cluster() == null ? "" : c.cluster().encode());

  private final String key;
  private final boolean runtime;
  private final Function<ProxyConfig, String> value;

  Setting(boolean runtime, Function<ProxyConfig, String> value) {
    this.key = name().toLowerCase(Locale.ROOT);
    this.runtime = runtime;
    this.value = value;
  }

  /** The key in the JSON file; {@code CRESCENT_<KEY>} in the environment. */
  public String key() {
    return key;
  }

  /** True when a reload applies it without a restart. */
  public boolean runtime() {
    return runtime;
  }

  /** A secret, or the cluster (which UMCTL shows): never listed by CONFIG GET. */
  public boolean listed() {
    return this != PASSWORD && this != ADMIN_PASSWORD && this != BACKEND_PASSWORD && this != CLUSTER;
  }

  public String value(ProxyConfig config) {
    return value.apply(config);
  }

  /** The settings whose values differ between two configurations. */
  public static List<Setting> differences(ProxyConfig a, ProxyConfig b) {
    List<Setting> changed = new ArrayList<>();
    for (Setting setting : values()) {
      if (!setting.value(a).equals(setting.value(b))) {
        changed.add(setting);
      }
    }
    return changed;
  }
}
