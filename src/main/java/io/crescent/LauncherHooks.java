package io.crescent;

import io.crescent.cluster.ClusterConfig;
import io.crescent.cluster.ClusterConfigException;
import io.crescent.cluster.ClusterStore;
import io.crescent.config.ConfigException;
import io.crescent.config.ProxyConfig;
import io.crescent.net.Transports;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplicationHooks;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Sizes the event-loop pool and picks the transport from our configuration, turns on Vert.x's
 * Micrometer metrics when {@code metrics_address} is set, and reports a bad configuration in one
 * line.
 */
final class LauncherHooks implements VertxApplicationHooks {

  /** The file given with -conf, watched for edits; null when -conf gave JSON or nothing. */
  private final String configFile;
  /** Whether -conf was given at all: then it must have yielded a JSON object. */
  private final boolean confGiven;

  LauncherHooks(String[] args) {
    this.configFile = configFile(args);
    this.confGiven = Arrays.stream(args).anyMatch(a -> a.equals("-conf") || a.equals("--conf")
        || a.startsWith("-conf=") || a.startsWith("--conf="));
  }

  /**
   * The launcher takes {@code -conf} (or {@code --conf}) as JSON text or as the path of a file; only
   * a file can be watched, so only an existing path counts.
   */
  static String configFile(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String value = null;
      if ((args[i].equals("-conf") || args[i].equals("--conf")) && i + 1 < args.length) {
        value = args[i + 1];
      } else if (args[i].startsWith("-conf=") || args[i].startsWith("--conf=")) {
        value = args[i].substring(args[i].indexOf('=') + 1);
      }
      if (value != null && !value.trim().startsWith("{") && Files.isRegularFile(Path.of(value))) {
        return value;
      }
    }
    return null;
  }

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return () -> new CrescentVerticle(configFile);
  }

  private ProxyConfig config;

  /** Validates the configuration before anything starts, so a mistake is one clear line. */
  @Override
  public JsonObject afterConfigParsed(JsonObject json) {
    if (json == null && confGiven) {
      // Vert.x only warns and starts with no configuration: every default, no password.
      System.err.println("crescent: invalid configuration: -conf is neither a JSON object nor a readable file "
          + "holding one");
      System.exit(2);
    }
    try {
      config = ProxyConfig.from(json == null ? new JsonObject() : json, System.getenv());
      if (config.cluster() != null) {
        ClusterConfig cluster = ClusterConfig.fromJson(config.cluster());
        if (cluster.epoch() < 1 && !cluster.force()) {
          // The proxy starts at epoch 0: a cluster section must be newer to apply.
          throw new ConfigException("cluster: epoch must be at least 1 (or \"force\": true)");
        }
        ClusterStore.refuseOwnAddresses(cluster, config.ownAddresses());
      }
    } catch (ConfigException | ClusterConfigException e) {
      System.err.println("crescent: invalid configuration: " + e.getMessage());
      System.exit(2);
    }
    return json;
  }

  /** Several instances would be several proxies on one port, each with its own slot table. */
  @Override
  public void beforeDeployingVerticle(HookContext context) {
    if (context.deploymentOptions().getInstances() != 1) {
      System.err.println("crescent: -instances is not supported: Crescent already runs one set of "
          + "verticles per event loop; set event_loops instead");
      System.exit(2);
    }
  }

  /**
   * Vert.x 5.0.7's launcher calls this after {@link #afterConfigParsed} and before
   * {@code beforeStartingVertx}, and builds Vert.x from the builder returned, so the pool size, the
   * transport and the metrics factory are settled here.
   */
  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    options.setEventLoopPoolSize(config.eventLoops());
    // config.transport() passed ProxyConfig's check in afterConfigParsed: choose cannot refuse it.
    VertxBuilder builder = Vertx.builder().with(options).withTransport(Transports.choose(config.transport()));
    if (config.metricsAddress() != null) {
      options.setMetricsOptions(metricsOptions());
      // Explicit, so that metrics do not depend on service files surviving in a repackaged jar.
      builder.withMetrics(new MicrometerMetricsFactory());
    }
    return builder;
  }

  /**
   * Prometheus, with Vert.x's net server and client meters (connections, bytes read and written)
   * and JVM meters. Event-bus meters are off: every read burst crosses the bus, and each verticle
   * instance has addresses of its own, which would make one time series per address.
   */
  static MicrometerMetricsOptions metricsOptions() {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .setJvmMetricsEnabled(true)
        .setDisabledMetricsCategories(Set.of(MetricsDomain.EVENT_BUS.toCategory()));
  }
}
