package io.crescent;

import io.crescent.admin.ConfigReload;
import io.crescent.admin.Umctl;
import io.crescent.api.EventBusApi;
import io.crescent.backend.BackendVerticle;
import io.crescent.backend.Release;
import io.crescent.bus.Addresses;
import io.crescent.bus.Bundle;
import io.crescent.bus.LocalCodec;
import io.crescent.cluster.ClusterConfig;
import io.crescent.cluster.ClusterConfigException;
import io.crescent.cluster.ClusterState;
import io.crescent.cluster.ClusterStore;
import io.crescent.cluster.HostPort;
import io.crescent.command.CommandTable;
import io.crescent.command.LiveCommandTable;
import io.crescent.config.ConfigException;
import io.crescent.config.ConfigFileWatcher;
import io.crescent.config.ConfigStore;
import io.crescent.config.LogLevel;
import io.crescent.config.ProxyConfig;
import io.crescent.metrics.MetricsVerticle;
import io.crescent.metrics.ProxyMeters;
import io.crescent.metrics.Readiness;
import io.crescent.net.Transports;
import io.crescent.resp.Command;
import io.crescent.resp.FrameMemory;
import io.crescent.route.ClientRegistry;
import io.crescent.route.RespJson;
import io.crescent.route.RouterVerticle;
import io.crescent.server.ServerVerticle;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Closeable;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Crescent's main verticle. Deploy it from the launcher ({@code java -jar crescent.jar}) or from
 * any Vert.x application; its configuration is the JSON described in the README.
 *
 * <p>It deploys, for each event loop, a backend verticle, a router and a server, in that order,
 * so that each server finds a router, and each router a backend, on its own loop.
 *
 * <p>Given the path of the configuration file it was started from, it watches that file and
 * applies edits while it runs (see {@link ConfigReload}).
 */
public class CrescentVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(CrescentVerticle.class);

  private final ClusterStore clusters = new ClusterStore();
  /** The file the configuration came from, watched for edits; null when there is none to watch. */
  private final String configFile;
  private ConfigFileWatcher watcher;
  private Readiness readiness;
  private final LiveCommandTable commands = new LiveCommandTable(CommandTable.builtIn());
  private ProxyMeters meters;
  private final List<ServerVerticle> servers = new CopyOnWriteArrayList<>();
  /**
   * Vert.x runs its close hooks before it undeploys anything, while child verticles are undeployed
   * all at once: this hook lets clients' commands in flight finish while the backends still run.
   */
  private final Closeable gracefulClose = completion -> shutdownServers().onComplete(completion);

  /** A proxy configured by the deployment's JSON alone. */
  public CrescentVerticle() {
    this(null);
  }

  /**
   * A proxy whose deployment JSON was read from {@code configFile}: edits of that file apply while
   * the proxy runs.
   */
  public CrescentVerticle(String configFile) {
    this.configFile = configFile;
  }

  /** The cluster state of this proxy, for co-deployed code and tests. */
  public ClusterStore clusters() {
    return clusters;
  }

  /** The command table the routers use, for co-deployed code and tests. */
  public LiveCommandTable commands() {
    return commands;
  }

  private int eventLoopCount() {
    int count = 0;
    for (EventExecutor ignored : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      count++;
    }
    return count;
  }

  /** UMCTL over the event bus: the arguments after UMCTL, answered as JSON or failed with the error. */
  private static void answerAdmin(Umctl umctl, Message<JsonArray> message) {
    JsonArray body = message.body() == null ? new JsonArray() : message.body();
    String[] args = new String[body.size() + 1];
    args[0] = "UMCTL";
    for (int i = 0; i < body.size(); i++) {
      args[i + 1] = String.valueOf(body.getValue(i));
    }
    Object reply = RespJson.decode(umctl.execute(Command.of(args)));
    if (reply instanceof RespJson.Error error) {
      message.fail(0, error.text());
    } else {
      message.reply(reply);
    }
  }

  private static JsonObject describe(ClusterState state) {
    return new JsonObject().put("epoch", state.epoch()).put("cluster", state.table().clusterName())
        .put("local_slots", state.table().localSlots()).put("assigned_slots", state.table().assignedSlots());
  }

  @Override
  public Future<?> start() {
    ProxyConfig proxyConfig;
    try {
      proxyConfig = ProxyConfig.from(config(), System.getenv());
      clusters.ownAddresses(proxyConfig.ownAddresses());
      if (proxyConfig.cluster() != null) {
        clusters.apply(ClusterConfig.fromJson(proxyConfig.cluster()), configFile == null ? "the deployment" : configFile);
      }
    } catch (ConfigException | ClusterConfigException e) {
      return Future.failedFuture(new ConfigException("invalid configuration: " + e.getMessage()));
    }
    LocalCodec.register(vertx.eventBus(), Bundle.class);
    LocalCodec.register(vertx.eventBus(), Release.class);

    ProxyConfig cfg = proxyConfig;
    ConfigStore settings = new ConfigStore(cfg);
    LogLevel logLevel = new LogLevel();
    if (!cfg.logLevel().isEmpty()) {
      logLevel.apply(cfg.logLevel());
    }
    Addresses addresses = new Addresses(deploymentID());
    Context context = vertx.getOrCreateContext();
    clusters.onApply(state -> context.runOnContext(v -> loadLiveCommands(state, settings.current())));
    clusters.onApply(state -> vertx.eventBus().publish(EventBusApi.EVENTS, describe(state)));
    Umctl umctl = new Umctl(clusters);
    vertx.eventBus().<JsonArray>localConsumer(EventBusApi.ADMIN, m -> answerAdmin(umctl, m));
    loadLiveCommands(clusters.current(), cfg);
    ClientRegistry clients = new ClientRegistry();
    meters = ProxyMeters.create(vertx, clients, clusters);
    ProxyMeters m = meters;
    readiness = new Readiness(vertx, clusters, settings);
    // One instance per event loop of this Vert.x: deployments take loops round-robin, so three
    // deployments of that many instances each put one of every role on every loop.
    DeploymentOptions perLoop = new DeploymentOptions().setInstances(eventLoopCount());
    FrameMemory frames = new FrameMemory(() -> settings.current().frameMemoryLimit());
    m.watchFrameMemory(frames);
    return vertx.deployVerticle(() -> new BackendVerticle(settings, addresses, m, clients::contains, frames,
        () -> clusters.current().table().addresses()), perLoop)
        .compose(id -> vertx.deployVerticle(() -> new RouterVerticle(settings, addresses, clusters, commands, clients,
            m), perLoop))
        .compose(id -> vertx.deployVerticle(() -> {
          ServerVerticle server = new ServerVerticle(settings, addresses, clients, m, frames, perLoop.getInstances());
          servers.add(server);
          return server;
        }, perLoop))
        .compose(id -> cfg.metricsAddress() == null ? Future.succeededFuture(id)
            : vertx.deployVerticle(new MetricsVerticle(cfg.metricsAddress(), m.registry(), readiness))
                .onSuccess(mid -> log.info("metrics on http://{}/metrics", cfg.metricsAddress()))
                .recover(e -> Future.failedFuture(new IllegalStateException(
                    "metrics_address " + cfg.metricsAddress() + ": " + e.getMessage(), e))))
        .onFailure(e -> m.close())
        .onSuccess(id -> ((VertxInternal) vertx).addCloseHook(gracefulClose))
        .onSuccess(id -> watchConfigFile(settings, logLevel, m))
        .onSuccess(id -> log.info("Crescent listening on {} (announced as {}), {} event loops on {}, {}",
            cfg.address(), cfg.announceAddress(), perLoop.getInstances(), Transports.nameOf(vertx),
            clusters.current().configured() ? "cluster epoch " + clusters.current().epoch() : "waiting for UMCTL SETCLUSTER"))
        .onSuccess(id -> warnIfUnreachable(cfg.announceAddress()));
  }

  /** Clients are sent to the announced address (CLUSTER NODES/SLOTS, MOVED): it must reach this proxy. */
  private static void warnIfUnreachable(HostPort announce) {
    if (announce.wildcard()) {
      log.warn("announcing {} to clients, which only reaches this proxy from its own machine: set "
          + "announce_address to an address clients reach it at", announce);
    }
  }

  private void watchConfigFile(ConfigStore settings, LogLevel logLevel, ProxyMeters m) {
    if (configFile == null) {
      return;
    }
    ConfigReload reload = new ConfigReload(configFile, config(), settings, clusters, logLevel, m.reload(),
        System.getenv());
    watcher = ConfigFileWatcher.watch(vertx, configFile, settings.current().configScanPeriodMs(), reload::read,
        reload::failed);
    log.info("watching {} for configuration changes", configFile);
  }

  /** Child verticles are undeployed by Vert.x; the meters must leave the registry too. */
  @Override
  public Future<?> stop() {
    ((VertxInternal) vertx).removeCloseHook(gracefulClose);
    if (watcher != null) {
      watcher.close();
    }
    if (meters != null) {
      meters.close();
    }
    return Future.succeededFuture();
  }

  /** Stops accepting on every loop and waits for clients' commands in flight (shutdown_timeout_ms). */
  private Future<Void> shutdownServers() {
    readiness.stopping();
    log.info("Crescent shutting down: no new connections; commands in flight get up to shutdown_timeout_ms");
    return Future.join(servers.stream().map(ServerVerticle::shutdown).toList()).mapEmpty();
  }

  /** Once this proxy has a local Redis, that Redis's COMMAND reply completes the command table. */
  private void loadLiveCommands(ClusterState state, ProxyConfig cfg) {
    String redis = state.table().defaultRedis();
    if (redis != null) {
      commands.loadFrom(vertx, redis, cfg.passwords(), cfg.backendTimeoutMs());
    }
  }
}
