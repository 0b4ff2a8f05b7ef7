package io.crescent.cluster;

import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A whole configuration as the admin sends it: its epoch, whether to skip the epoch check
 * ({@code FORCE}), and the clusters in order. The first cluster is the default one, the cluster
 * that client connections use.
 */
public record ClusterConfig(long epoch, boolean force, List<ClusterSpec> clusters) {

  public ClusterConfig {
    if (epoch < 0) {
      throw new ClusterConfigException("invalid epoch '" + epoch + "'");
    }
    clusters = List.copyOf(clusters);
    Set<String> names = new HashSet<>();
    for (ClusterSpec cluster : clusters) {
      if (!names.add(cluster.name())) {
        throw new ClusterConfigException("cluster '" + cluster.name() + "' is given twice");
      }
    }
  }

  /** The arguments of {@code UMCTL SETCLUSTER}; see {@link SetClusterParser} for the forms. */
  public static ClusterConfig parse(List<String> args) {
    return new SetClusterParser(args).parse();
  }

  /** The configuration file form; see {@link JsonConfigReader}. */
  public static ClusterConfig fromJson(JsonObject json) {
    return JsonConfigReader.read(json);
  }

  public Optional<ClusterSpec> defaultCluster() {
    return clusters.isEmpty() ? Optional.empty() : Optional.of(clusters.get(0));
  }
}
