package io.crescent.testing;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A proxy over a plain Redis, beside a single-node Redis Cluster: what the proxy answers is
 * compared with what the cluster node answers.
 */
public record Reference(RedisServer backend, RedisServer clusterNode, Proxy proxy) implements AutoCloseable {

  /** The address that owns the slots the proxy does not, so MOVED can be seen. */
  public static final String PEER = "127.0.0.1:7000";

  /** A proxy owning every slot. */
  public static Reference start() {
    return start(new JsonObject(), "0-16383");
  }

  /**
   * A proxy owning {@code localRange} (a peer at {@link #PEER} owns the rest), with further
   * proxy {@code settings}.
   */
  public static Reference start(JsonObject settings, String localRange) {
    RedisServer backend = RedisServer.start();
    RedisServer clusterNode = null;
    try {
      clusterNode = RedisServer.startClusterNode();
      JsonObject cluster = new JsonObject().put("epoch", 1).put("name", "test")
          .put("local", new JsonObject().put(backend.address(), List.of(localRange)));
      int end = Integer.parseInt(localRange.substring(localRange.indexOf('-') + 1));
      if (end < 16383) {
        cluster.put("peers", new JsonObject().put(PEER, List.of((end + 1) + "-16383")));
      }
      return new Reference(backend, clusterNode, Proxy.start(settings.copy().put("cluster", cluster)));
    } catch (RuntimeException e) {
      if (clusterNode != null) {
        clusterNode.close();
      }
      backend.close();
      throw e;
    }
  }

  public void flushAll() {
    backend.flushAll();
    clusterNode.flushAll();
  }

  @Override
  public void close() {
    proxy.close();
    clusterNode.close();
    backend.close();
  }
}
