package io.crescent.metrics;

import io.crescent.backend.ControlClient;
import io.crescent.cluster.ClusterState;
import io.crescent.cluster.ClusterStore;
import io.crescent.config.ConfigStore;
import io.crescent.config.ProxyConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether the proxy should get traffic (Kubernetes' readiness): it has a cluster configuration,
 * it is not shutting down, and its local Redis answers PING within {@code backend_timeout_ms}.
 * Checked on each probe with a connection of its own, so the answer is never stale and probes
 * never queue behind clients' commands.
 */
public final class Readiness {

  private final Vertx vertx;
  private final ClusterStore clusters;
  private final ConfigStore settings;
  private final AtomicBoolean stopping = new AtomicBoolean();

  public Readiness(Vertx vertx, ClusterStore clusters, ConfigStore settings) {
    this.vertx = vertx;
    this.clusters = clusters;
    this.settings = settings;
  }

  /** From now on the proxy reports itself not ready: it is draining its clients. */
  public void stopping() {
    stopping.set(true);
  }

  /** Succeeds when ready; otherwise fails with the reason, for the probe's body. */
  Future<Void> check() {
    ClusterState state = clusters.current();
    if (stopping.get()) {
      return Future.failedFuture("shutting down");
    }
    if (!state.configured()) {
      return Future.failedFuture("waiting for a cluster configuration (UMCTL SETCLUSTER)");
    }
    if (state.table().assignedSlots() == 0) {
      // A configuration without clusters: every key would get CLUSTERDOWN.
      return Future.failedFuture("the cluster configuration assigns no slot");
    }
    String redis = state.table().defaultRedis();
    if (redis == null) {
      return Future.succeededFuture();
    }
    ProxyConfig config = settings.current();
    return ControlClient.send(vertx, redis, config.passwords(), config.backendTimeoutMs(), Request.cmd(Command.PING))
        .<Void>mapEmpty()
        .recover(e -> Future.failedFuture("backend " + redis + " does not answer PING: " + e.getMessage()));
  }
}
