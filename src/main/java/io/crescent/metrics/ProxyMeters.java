package io.crescent.metrics;

import io.crescent.cluster.ClusterStore;
import io.crescent.resp.FrameMemory;
import io.crescent.route.ClientRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * Crescent's own meters, all named {@code crescent_*}.
 *
 * <p>They go to the Prometheus registry of the Vert.x instance when it has one (the launcher sets
 * one up when {@code metrics_address} is set, so {@code /metrics} also shows Vert.x's own
 * {@code vertx_*} meters). An embedding Vert.x without a Micrometer Prometheus backend gets a
 * registry of Crescent's own, holding only Crescent's meters.
 *
 * <p>Nothing here is shared per command: each event loop counts into objects of its own
 * ({@link RouteCounters}, {@link CommandStats}), which the scrape sums; gauges read the client
 * registry and slot table when scraped.
 */
public final class ProxyMeters implements AutoCloseable {

  private final PrometheusMeterRegistry registry;
  private final boolean ownRegistry;
  private final List<Meter> meters = new CopyOnWriteArrayList<>();
  private final List<RouteCounters> routers = new CopyOnWriteArrayList<>();
  private final List<CommandStats> loops = new CopyOnWriteArrayList<>();
  /** Each event loop's bytes of replies held for clients slower than Redis. */
  private final List<LongSupplier> heldReplies = new CopyOnWriteArrayList<>();
  private final List<LongSupplier> requestsInFlight = new CopyOnWriteArrayList<>();
  private volatile FrameMemory frames;
  private final CommandCollector commands = new CommandCollector(loops);
  private final SlowLog slowLog = new SlowLog();
  private final Map<String, BackendMeters> backends = new ConcurrentHashMap<>();
  private ReloadMeters reload;

  private ProxyMeters(PrometheusMeterRegistry registry, boolean ownRegistry) {
    this.registry = registry;
    this.ownRegistry = ownRegistry;
  }

  /** Meters for the proxy deployed on {@code vertx}. */
  public static ProxyMeters create(Vertx vertx, ClientRegistry clients, ClusterStore clusters) {
    PrometheusMeterRegistry shared = vertxRegistry(vertx);
    ProxyMeters m = shared != null ? new ProxyMeters(shared, false)
        : new ProxyMeters(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), true);
    m.register(clients, clusters);
    return m;
  }

  /** The Prometheus registry of Vert.x's default Micrometer backend, if this Vert.x has one. */
  static PrometheusMeterRegistry vertxRegistry(Vertx vertx) {
    if (!vertx.isMetricsEnabled()) {
      return null;
    }
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      return prometheus;
    }
    if (registry instanceof CompositeMeterRegistry composite) {
      for (MeterRegistry child : composite.getRegistries()) {
        if (child instanceof PrometheusMeterRegistry prometheus) {
          return prometheus;
        }
      }
    }
    return null;
  }

  private void register(ClientRegistry clients, ClusterStore clusters) {
    meters.add(Gauge.builder("crescent.client.connections", clients, ClientRegistry::size)
        .description("Client connections open on this proxy")
        .strongReference(true)
        .register(registry));
    meters.add(Gauge.builder("crescent.slot.table.epoch", clusters, c -> c.current().epoch())
        .description("Epoch of the slot table in use (0 until a cluster is set)")
        .strongReference(true)
        .register(registry));
    meters.add(Gauge.builder("crescent.commands.pending", loops, list -> {
      long sum = 0;
      for (CommandStats loop : list) {
        sum += loop.pending();
      }
      return sum;
    }).description("Commands read from clients and not answered yet (on the event bus, at a backend, or "
        + "waiting for earlier ones)").strongReference(true).register(registry));
    meters.add(Gauge.builder("crescent.replies.held", this, ProxyMeters::repliesHeld)
        .description("Bytes of replies held for clients slower to take them than Redis sends them "
            + "(held_replies_limit)").baseUnit("bytes").strongReference(true).register(registry));
    meters.add(Gauge.builder("crescent.requests.in.flight", this, ProxyMeters::requestsInFlight)
        .description("Bytes of commands of at most 16 KB read from clients and not answered yet "
            + "(a quarter of frame_memory_limit)").baseUnit("bytes").strongReference(true).register(registry));
    meters.add(Gauge.builder("crescent.frame.memory.used", this, ProxyMeters::frameMemoryUsed)
        .description("Bytes taken by commands over 16 KB until answered and replies over 16 KB while read "
            + "(frame_memory_limit)")
        .baseUnit("bytes").strongReference(true).register(registry));
    registry.getPrometheusRegistry().register(commands);
    routeCounter("crescent.moved", "Commands the proxy answered with MOVED", RouteCounters::movedCount);
    routeCounter("crescent.crossslot", "Commands the proxy answered with CROSSSLOT", RouteCounters::crossSlotCount);
    routeCounter("crescent.clusterdown", "Commands the proxy answered with CLUSTERDOWN",
        RouteCounters::clusterDownCount);
  }

  private void routeCounter(String name, String description, ToLongFunction<RouteCounters> count) {
    meters.add(FunctionCounter.builder(name, routers, list -> {
      long sum = 0;
      for (RouteCounters r : list) {
        sum += count.applyAsLong(r);
      }
      return sum;
    }).description(description).register(registry));
  }

  /** Counters for one router; only that router's event loop may increment them. */
  public RouteCounters newRouteCounters() {
    RouteCounters counters = new RouteCounters();
    routers.add(counters);
    return counters;
  }

  /** Command counts and latencies for one event loop's clients; only that loop may record. */
  public CommandStats newCommandStats() {
    CommandStats stats = new CommandStats();
    loops.add(stats);
    return stats;
  }

  /** Commands answered to clients so far, on every loop (INFO's total_commands_processed). */
  public long commandsProcessed() {
    long sum = 0;
    for (CommandStats loop : loops) {
      for (CommandStats.Counts counts : loop.byName().values()) {
        sum += counts.calls();
      }
    }
    return sum;
  }

  /** Counts what one event loop's clients hold; only that loop changes it. */
  public void watchHeldReplies(LongSupplier loopHeld) {
    heldReplies.add(loopHeld);
  }

  /** Bytes of replies held for slow clients, on every loop (a scrape may see a loop's a little late). */
  public long repliesHeld() {
    return sum(heldReplies);
  }

  /** Counts one event loop's small unanswered commands; only that loop changes it. */
  public void watchRequestsInFlight(LongSupplier loopInFlight) {
    requestsInFlight.add(loopInFlight);
  }

  /** Bytes of commands of at most 16 KB not answered yet, on every loop. */
  public long requestsInFlight() {
    return sum(requestsInFlight);
  }

  private static long sum(List<LongSupplier> loops) {
    long sum = 0;
    for (LongSupplier loop : loops) {
      sum += loop.getAsLong();
    }
    return sum;
  }

  public void watchFrameMemory(FrameMemory frames) {
    this.frames = frames;
  }

  public long frameMemoryUsed() {
    FrameMemory f = frames;
    return f == null ? 0 : f.used();
  }

  /** The proxy's SLOWLOG, shared by every loop. */
  public SlowLog slowLog() {
    return slowLog;
  }

  /** The connection meters of one backend address, shared by every loop's connections to it. */
  public BackendMeters backend(String address) {
    return backends.computeIfAbsent(address, a -> {
      Counter failures = Counter.builder("crescent.backend.connect.failures")
          .description("Failed connection attempts to a backend")
          .tag("backend", a)
          .register(registry);
      Counter reconnects = Counter.builder("crescent.backend.reconnects")
          .description("Connections to a backend established again after a failure or a loss")
          .tag("backend", a)
          .register(registry);
      meters.add(failures);
      meters.add(reconnects);
      return new BackendMeters(failures, reconnects);
    });
  }

  /** The meters of configuration file reloads, registered on first use. */
  public synchronized ReloadMeters reload() {
    if (reload == null) {
      Counter applied = Counter.builder("crescent.config.reloads").tag("result", "applied")
          .description("Edits of the configuration file, applied or refused").register(registry);
      Counter refused = Counter.builder("crescent.config.reloads").tag("result", "refused")
          .description("Edits of the configuration file, applied or refused").register(registry);
      reload = new ReloadMeters(applied, refused);
      meters.add(applied);
      meters.add(refused);
      meters.add(Gauge.builder("crescent.config.file.refused", reload.fileRefused, AtomicInteger::get)
          .description("1 while the configuration file holds an edit that was refused").register(registry));
      meters.add(Gauge.builder("crescent.config.restart.pending", reload.restartPending, AtomicInteger::get)
          .description("Settings the configuration file changes that take effect only after a restart")
          .register(registry));
    }
    return reload;
  }

  /** What {@code /metrics} serves. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Removes Crescent's meters, so that a later deployment in the same Vert.x starts afresh. */
  @Override
  public void close() {
    meters.forEach(registry::remove);
    meters.clear();
    registry.getPrometheusRegistry().unregister(commands);
    if (ownRegistry) {
      registry.close();
    }
  }
}
