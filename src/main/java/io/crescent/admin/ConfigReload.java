package io.crescent.admin;

import io.crescent.cluster.ClusterConfig;
import io.crescent.cluster.ClusterConfigException;
import io.crescent.cluster.ClusterStore;
import io.crescent.config.ConfigException;
import io.crescent.config.ConfigStore;
import io.crescent.config.LogLevel;
import io.crescent.config.ProxyConfig;
import io.crescent.config.Setting;
import io.crescent.metrics.ReloadMeters;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Applies edits of the configuration file while the proxy runs, all or nothing: a document that
 * does not parse, has a bad value, or carries a cluster whose epoch is not newer than the running
 * one changes nothing, and says why once in the log and in {@link ReloadMeters}.
 *
 * <p>The {@code cluster} section goes through {@link ClusterStore#apply}, as UMCTL SETCLUSTER
 * does, and only when the section itself changed: the file keeps its cluster between edits of
 * other settings, and applying it again would be refused as an old epoch. A section removed from
 * the file leaves the running cluster as it is (UMCTL may have moved it on since).
 */
public final class ConfigReload {

  private static final Logger log = LoggerFactory.getLogger(ConfigReload.class);

  private final String file;
  private final ConfigStore settings;
  private final ClusterStore clusters;
  private final ReloadMeters meters;
  private final Map<String, String> env;
  private final LogLevel logLevel;
  /** The document the running configuration came from. */
  private JsonObject applied;
  /** The last document refused, or the last read failure: each is reported once, not every scan. */
  private JsonObject refused;
  private String failure;
  /** Since the last refusal or read failure, the file has not read as the running configuration. */
  private boolean outOfSync;

  public ConfigReload(String file, JsonObject startedFrom, ConfigStore settings, ClusterStore clusters,
      LogLevel logLevel, ReloadMeters meters, Map<String, String> env) {
    this.logLevel = logLevel;
    this.file = file;
    this.applied = startedFrom;
    this.settings = settings;
    this.clusters = clusters;
    this.meters = meters;
    this.env = env;
  }

  /** A document read from the file, whether or not it changed since the last read. */
  public void read(JsonObject document) {
    failure = null;
    if (document.equals(applied)) {
      if (outOfSync) {
        outOfSync = false;
        refused = null;
        meters.inSync();
        log.info("{} is back to the running configuration", file);
      }
      return;
    }
    if (document.equals(refused)) {
      return;
    }
    try {
      apply(document);
      applied = document;
      refused = null;
      outOfSync = false;
    } catch (ConfigException | ClusterConfigException e) {
      refused = document;
      outOfSync = true;
      meters.refused();
      log.warn("{}: edit refused, the running configuration stays: {}", file, e.getMessage());
    }
  }

  /** The file could not be read or is not a JSON object. */
  public void failed(Throwable cause) {
    String message = String.valueOf(cause.getMessage());
    if (!message.equals(failure)) {
      failure = message;
      refused = null;
      outOfSync = true;
      meters.refused();
      log.warn("{}: cannot read it, the running configuration stays: {}", file, message);
    }
  }

  private void apply(JsonObject document) {
    ProxyConfig next = ProxyConfig.from(document, env);
    ClusterConfig cluster = null;
    if (next.cluster() != null && !Objects.equals(next.cluster(), settings.current().cluster())) {
      cluster = ClusterConfig.fromJson(next.cluster());
      // The epoch rule, checked before anything changes: the whole edit is refused or applied.
      long running = clusters.current().epoch();
      if (!cluster.force() && cluster.epoch() <= running) {
        throw new ClusterConfigException("cluster epoch " + cluster.epoch() + " is not newer than the running epoch "
            + running + " (set a higher epoch, or \"force\": true)");
      }
    }
    if (cluster != null) {
      clusters.apply(cluster, file);
    }
    ConfigStore.Changes changes = settings.apply(next);
    if (changes.applied().contains(Setting.LOG_LEVEL)) {
      logLevel.apply(next.logLevel());
    }
    meters.applied(changes.needRestart().size());
    log.info("{} reloaded: changed {}{}", file, keys(changes.applied()),
        changes.needRestart().isEmpty() ? "" : "; needs a restart to change " + keys(changes.needRestart()));
  }

  private static List<String> keys(List<Setting> settings) {
    return settings.stream().map(Setting::key).toList();
  }
}
