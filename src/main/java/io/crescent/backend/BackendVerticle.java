package io.crescent.backend;

import io.crescent.bus.Addresses;
import io.crescent.cluster.HostPort;
import io.crescent.config.ProxyConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

import java.util.HashMap;
import java.util.Map;

/**
 * Holds this event loop's connections to backends (the local Redis, and later any Redis or peer
 * proxy) and pipelines the commands routers hand it.
 */
public final class BackendVerticle extends VerticleBase {

  private static final long TIMEOUT_CHECK_MS = 100;

  private final ProxyConfig config;
  private final Addresses addresses;
  private final Map<String, BackendConnection[]> pools = new HashMap<>();
  private NetClient client;

  public BackendVerticle(ProxyConfig config, Addresses addresses) {
    this.config = config;
    this.addresses = addresses;
  }

  @Override
  public Future<?> start() {
    client = vertx.createNetClient(new NetClientOptions()
        .setConnectTimeout((int) config.backendConnectTimeoutMs())
        .setTcpNoDelay(true)
        .setTcpKeepAlive(true));
    vertx.eventBus().<BackendBatch>localConsumer(addresses.registerBackend(), this::onBatch);
    vertx.setPeriodic(TIMEOUT_CHECK_MS, id -> {
      long now = System.nanoTime();
      pools.values().forEach(pool -> {
        for (BackendConnection c : pool) {
          c.checkTimeout(now);
        }
      });
    });
    return Future.succeededFuture();
  }

  private void onBatch(Message<BackendBatch> message) {
    BackendBatch batch = message.body();
    BackendConnection[] pool = pools.computeIfAbsent(batch.backend(), this::newPool);
    pool[(int) Long.remainderUnsigned(batch.clientId(), pool.length)].send(batch.commands());
  }

  private BackendConnection[] newPool(String address) {
    HostPort hostPort = HostPort.parse(address);
    BackendConnection[] pool = new BackendConnection[config.backendConnections()];
    for (int i = 0; i < pool.length; i++) {
      pool[i] = new BackendConnection(hostPort, client, context, config.backendTimeoutMs(), config.passwords());
    }
    return pool;
  }

  @Override
  public Future<?> stop() {
    pools.values().forEach(pool -> {
      for (BackendConnection c : pool) {
        c.close();
      }
    });
    return client.close();
  }
}
