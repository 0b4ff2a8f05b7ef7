package io.crescent.config;

import io.crescent.cluster.ClusterConfigException;
import io.crescent.cluster.HostPort;
import io.crescent.cluster.OwnAddresses;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The proxy's settings, read from the JSON configuration with environment overrides
 * ({@code CRESCENT_<KEY>} beats the file). Immutable; unknown keys and bad values are errors that
 * name the key.
 *
 * @param shutdownTimeoutMs on shutdown, how long commands in flight may take to be answered before
 *     client connections are closed
 * @param slowlogSlowerThanMicros commands that take longer than this, from read to reply, enter the
 *     proxy's SLOWLOG; negative turns it off, 0 logs every command (Redis's
 *     {@code slowlog-log-slower-than})
 * @param logLevel the root log level set at run time, or empty to leave the logging configuration's
 * @param configScanPeriodMs how often the configuration file is read for changes
 * @param heldRepliesLimit bytes of replies the proxy holds, in all, for clients slower to take them
 *     than Redis is to send them; past it, the Redis connections delivering to such clients stop
 *     reading (0: no limit)
 * @param frameMemoryLimit bytes the proxy may hold, in all, for commands larger than 16 KB
 *     until they are answered and replies larger than 16 KB while they are read; a command
 *     that does not fit is refused, a reply only when larger than the whole limit (0: no limit)
 * @param transport {@code nio}, the only transport offered (see {@link #checkTransport})
 * @param metricsAddress where the metrics HTTP endpoint listens; null when metrics are not served
 * @param cluster an optional slot assignment applied at start, with the meaning of
 *     {@code UMCTL SETCLUSTER}; null when the proxy waits to be configured
 */
public record ProxyConfig(
    HostPort address,
    HostPort announceAddress,
    HostPort metricsAddress,
    int backendConnections,
    int dedicatedConnections,
    long clientOutputBufferLimit,
    long heldRepliesLimit,
    long frameMemoryLimit,
    int maxClients,
    int idleTimeoutSeconds,
    long backendTimeoutMs,
    long backendConnectTimeoutMs,
    int eventLoops,
    String transport,
    long shutdownTimeoutMs,
    long slowlogSlowerThanMicros,
    int slowlogMaxLen,
    String logLevel,
    int configScanPeriodMs,
    Passwords passwords,
    JsonObject cluster) {

  public static final String ENV_PREFIX = "CRESCENT_";

  private static final Set<String> KEYS =
      Arrays.stream(Setting.values()).map(Setting::key).collect(Collectors.toUnmodifiableSet());

  private static final Set<String> TRANSPORTS = Set.of("nio");

  /**
   * Transports that earlier versions took, refused with the reason. io_uring measured no steady gain
   * over NIO (CPU per request from about 15% lower to 5% higher, depending on the run), and the
   * Netty that the Vert.x 5.0.7 BOM pins, 4.2.9, has io_uring bugs a proxy cannot accept:
   * netty#17238 (fixed after 4.2.9), where output shut down while a write is in flight releases the
   * flushed buffers while the kernel still reads them, so a pooled buffer already holding another
   * connection's data may be sent; and netty#16307 (still open in 4.2.11), an AssertionError in
   * IoUringIoHandler.iovArray that, with assertions on, kills the event loop thread.
   */
  private static final String NETTY_IO_URING_BUG = "the Netty in use (4.2.9) can send a closed connection's "
      + "in-flight write from memory already reused (netty#17238); use nio";
  private static final Map<String, String> RETIRED_TRANSPORTS = Map.of(
      "io_uring", "transport: io_uring is not supported: " + NETTY_IO_URING_BUG,
      "auto", "transport: auto is not supported: it meant io_uring where available, and " + NETTY_IO_URING_BUG);

  private static final Set<String> LOG_LEVELS = Set.of("", "trace", "debug", "info", "warn", "error", "off");

  /**
   * Half the cores: the proxy runs beside its Redis, which needs a core of its own. On two cores
   * one loop gave the same throughput as two at -P 16, 5-10% less at -P 1, and a third of the
   * p99 latency (redis-benchmark, 50 clients), because loops no longer fight Redis for the CPU.
   */
  static int defaultEventLoops() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }

  /**
   * A part of the heap: a quarter for replies held for slow clients, half for large frames being
   * read; the rest is for connections and the commands in flight.
   */
  static int heapShare(int divisor) {
    return (int) Math.min(Integer.MAX_VALUE, Runtime.getRuntime().maxMemory() / divisor);
  }

  public static ProxyConfig defaults() {
    return from(new JsonObject(), Map.of());
  }

  public static ProxyConfig from(JsonObject json, Map<String, String> env) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new ConfigException("unknown configuration key '" + key + "' (known: " + String.join(", ",
            KEYS.stream().sorted().toList()) + ")");
      }
      values.put(key, json.getValue(key));
    }
    for (String key : KEYS) {
      String override = env.get(ENV_PREFIX + key.toUpperCase(Locale.ROOT));
      if (override != null) {
        values.put(key, override);
      }
    }
    Reader r = new Reader(values);
    HostPort address = r.address("address", "127.0.0.1:5299");
    return new ProxyConfig(
        address,
        r.address("announce_address", address.toString()),
        r.metricsAddress(),
        r.integer("backend_connections", 1, 1, 64),
        r.integer("dedicated_connections", 1024, 0, 100_000),
        r.integer("client_output_buffer_limit", 256 * 1024 * 1024, 0, Integer.MAX_VALUE),
        r.integer("held_replies_limit", heapShare(4), 0, Integer.MAX_VALUE),
        r.integer("frame_memory_limit", heapShare(2), 0, Integer.MAX_VALUE),
        r.integer("max_clients", 10_000, 1, 1_000_000),
        r.integer("timeout", 0, 0, Integer.MAX_VALUE),
        r.integer("backend_timeout_ms", 3000, 1, 3_600_000),
        r.integer("backend_connect_timeout_ms", 1000, 1, 600_000),
        r.integer("event_loops", defaultEventLoops(), 1, 1024),
        checkTransport(r.string("transport", "nio")),
        r.integer("shutdown_timeout_ms", 5000, 0, 600_000),
        r.integer("slowlog_log_slower_than", 10_000, -1, Integer.MAX_VALUE),
        r.integer("slowlog_max_len", 128, 0, 1_000_000),
        r.choice("log_level", "", LOG_LEVELS),
        r.integer("config_scan_period_ms", 1000, 50, 3_600_000),
        new Passwords(r.string("password", ""), r.string("admin_password", ""),
            r.string("backend_user", ""), r.string("backend_password", "")),
        r.object("cluster"));
  }

  /**
   * This configuration with {@code next}'s run-time settings (see {@link Setting#runtime()}): what a
   * reload applies while the proxy keeps its sockets, threads and pools.
   */
  public ProxyConfig withRuntimeSettingsOf(ProxyConfig next) {
    return new ProxyConfig(address, announceAddress, metricsAddress, backendConnections, dedicatedConnections,
        next.clientOutputBufferLimit, next.heldRepliesLimit, next.frameMemoryLimit, next.maxClients,
        next.idleTimeoutSeconds, next.backendTimeoutMs, backendConnectTimeoutMs, eventLoops, transport,
        next.shutdownTimeoutMs,
        next.slowlogSlowerThanMicros, next.slowlogMaxLen, next.logLevel, configScanPeriodMs, next.passwords,
        next.cluster);
  }

  /** The addresses this proxy listens on and announces: never a Redis or a peer of its topology. */
  public OwnAddresses ownAddresses() {
    return OwnAddresses.of(address, announceAddress);
  }

  /**
   * The {@code transport} setting {@code value}, in lower case, or a ConfigException: only
   * {@code nio} is accepted, and {@code io_uring} and {@code auto}, which earlier versions took,
   * are refused with the reason in one line.
   */
  public static String checkTransport(String value) {
    String text = value.toLowerCase(Locale.ROOT);
    String refusal = RETIRED_TRANSPORTS.get(text);
    if (refusal != null) {
      throw new ConfigException(refusal);
    }
    if (!TRANSPORTS.contains(text)) {
      throw new ConfigException("transport: expected one of " + TRANSPORTS.stream().sorted().toList()
          + ", got '" + text + "'");
    }
    return text;
  }

  /** Typed access to raw values, whether they came from JSON or from the environment. */
  private record Reader(Map<String, Object> values) {

    String string(String key, String fallback) {
      Object v = values.get(key);
      if (v == null) {
        return fallback;
      }
      if (!(v instanceof String s)) {
        // Passwords never appear in logs, even mistyped.
        throw new ConfigException(key + ": expected a string" + (key.contains("password") ? "" : ", got " + v));
      }
      return s;
    }

    String choice(String key, String fallback, Set<String> allowed) {
      String text = string(key, fallback).toLowerCase(Locale.ROOT);
      if (!allowed.contains(text)) {
        throw new ConfigException(key + ": expected one of " + allowed.stream().filter(a -> !a.isEmpty()).sorted()
            .toList() + ", got '" + text + "'");
      }
      return text;
    }

    /** An empty value (the default) turns the metrics endpoint off. */
    HostPort metricsAddress() {
      return string("metrics_address", "").isEmpty() ? null : address("metrics_address", "");
    }

    HostPort address(String key, String fallback) {
      String text = string(key, fallback);
      try {
        return HostPort.parse(text);
      } catch (ClusterConfigException e) {
        throw new ConfigException(key + ": " + e.getMessage());
      }
    }

    int integer(String key, int fallback, int min, int max) {
      Object v = values.get(key);
      long n;
      if (v == null) {
        return fallback;
      } else if (v instanceof Integer || v instanceof Long) {
        n = ((Number) v).longValue();
      } else if (v instanceof String s) {
        try {
          n = Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
          throw new ConfigException(key + ": expected a whole number, got '" + s + "'");
        }
      } else {
        throw new ConfigException(key + ": expected a whole number, got " + v);
      }
      if (n < min || n > max) {
        throw new ConfigException(key + ": " + n + " is out of range [" + min + ", " + max + "]");
      }
      return (int) n;
    }

    JsonObject object(String key) {
      Object v = values.get(key);
      if (v == null) {
        return null;
      }
      if (v instanceof JsonObject o) {
        return o;
      }
      if (v instanceof Map<?, ?> m) {
        return new JsonObject(mapOf(m));
      }
      if (v instanceof String s) {
        try {
          return new JsonObject(s);
        } catch (RuntimeException e) {
          throw new ConfigException(key + ": expected a JSON object, got '" + s + "'");
        }
      }
      throw new ConfigException(key + ": expected a JSON object, got " + v);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapOf(Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
  }
}
