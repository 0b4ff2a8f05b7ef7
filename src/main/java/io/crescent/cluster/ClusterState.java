package io.crescent.cluster;

import java.util.List;

/**
 * Everything the proxy currently believes about its clusters, replaced as a whole when the admin
 * sends a new configuration.
 */
public final class ClusterState {

  /** Before any configuration: epoch 0, so the first configuration needs an epoch of at least 1. */
  public static final ClusterState EMPTY =
      new ClusterState(false, new ClusterConfig(0, false, List.of()), SlotTable.EMPTY);

  private final boolean configured;
  private final ClusterConfig config;
  private final SlotTable table;
  private final List<String> clusterNames;

  private ClusterState(boolean configured, ClusterConfig config, SlotTable table) {
    this.configured = configured;
    this.config = config;
    this.table = table;
    this.clusterNames = config.clusters().stream().map(ClusterSpec::name).toList();
  }

  /**
   * The state after {@code next}. Epochs only move forward unless the configuration says
   * {@code FORCE}, so that a delayed, older configuration cannot undo a newer one.
   *
   * @throws ClusterConfigException {@code OLD_EPOCH} when the epoch is not newer
   */
  public ClusterState apply(ClusterConfig next) {
    if (!next.force() && next.epoch() <= config.epoch()) {
      throw new ClusterConfigException("OLD_EPOCH");
    }
    SlotTable table = next.defaultCluster()
        .map(spec -> SlotTable.of(spec, next.epoch()))
        .orElseGet(() -> SlotTable.none(next.epoch()));
    return new ClusterState(true, next, table);
  }

  public long epoch() {
    return config.epoch();
  }

  public boolean configured() {
    return configured;
  }

  public ClusterConfig config() {
    return config;
  }

  /** The slot table of the default cluster, the one client connections use. */
  public SlotTable table() {
    return table;
  }

  public List<String> clusterNames() {
    return clusterNames;
  }
}
