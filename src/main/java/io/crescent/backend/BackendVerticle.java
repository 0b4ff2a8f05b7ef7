package io.crescent.backend;

import io.crescent.bus.Addresses;
import io.crescent.bus.Bundle;
import io.crescent.config.ConfigStore;
import io.crescent.config.Passwords;
import io.crescent.config.ProxyConfig;
import io.crescent.metrics.ProxyMeters;
import io.crescent.resp.Command;
import io.crescent.resp.DiscardingSink;
import io.crescent.resp.FrameMemory;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

/**
 * Holds this event loop's connections to backends (the local Redis, and later any Redis or peer
 * proxy) and pipelines the commands routers hand it.
 */
public final class BackendVerticle extends VerticleBase {

  private static final long TIMEOUT_CHECK_MS = 100;

  private final ConfigStore settings;
  /** Pool sizes and the connect timeout: these need a restart to change. */
  private final ProxyConfig config;
  private final Addresses addresses;
  private final ProxyMeters meters;
  /** Whether a client is still connected, for commands that would take a connection of their own. */
  private final LongPredicate clientConnected;
  private final Map<String, BackendConnection[]> pools = new HashMap<>();
  private DedicatedConnections dedicated;
  private NetClient client;
  /** Where large replies being read are counted, with every loop's. */
  private final FrameMemory frames;
  /** The Redis servers and peers of the current topology. */
  private final Supplier<Set<String>> backendsInUse;

  public BackendVerticle(ConfigStore settings, Addresses addresses, ProxyMeters meters, LongPredicate clientConnected,
      FrameMemory frames, Supplier<Set<String>> backendsInUse) {
    this.backendsInUse = backendsInUse;
    this.clientConnected = clientConnected;
    this.frames = frames;
    this.settings = settings;
    this.config = settings.current();
    this.addresses = addresses;
    this.meters = meters;
  }

  @Override
  public Future<?> start() {
    client = vertx.createNetClient(new NetClientOptions()
        .setConnectTimeout((int) config.backendConnectTimeoutMs())
        .setTcpNoDelay(true)
        .setTcpKeepAlive(true));
    dedicated = new DedicatedConnections(config.dedicatedConnections(), clientConnected,
        (address, protocol) -> new BackendConnection(address, client, context,
            () -> settings.current().passwords(), protocol, true, meters.backend(address), frames));
    String address = addresses.registerBackend();
    vertx.eventBus().<Bundle<BackendBatch>>localConsumer(address, m -> m.body().items().forEach(this::send));
    vertx.eventBus().<Release>localConsumer(address + ".release",
        m -> dedicated.release(m.body().clientId(), m.body().close()));
    vertx.setPeriodic(TIMEOUT_CHECK_MS, id -> {
      long now = System.nanoTime();
      long timeout = settings.current().backendTimeoutMs() * 1_000_000L;
      pools.values().forEach(pool -> {
        for (BackendConnection c : pool) {
          c.checkTimeout(now, timeout);
        }
      });
      dedicated.forEach(c -> c.checkTimeout(now, timeout));
      closeUnused();
    });
    return Future.succeededFuture();
  }

  /**
   * Closes the connections to Redis servers and peers that the topology no longer names, once
   * nothing is on them: after a reassignment they would otherwise stay open for good. A batch
   * routed against the old topology just before may open one again; the next pass closes it.
   */
  private void closeUnused() {
    Set<String> inUse = backendsInUse.get();
    pools.values().removeIf(pool -> {
      if (inUse.contains(pool[0].backend())) {
        return false;
      }
      for (BackendConnection c : pool) {
        if (c.busy()) {
          return false;
        }
      }
      for (BackendConnection c : pool) {
        c.close();
      }
      return true;
    });
    dedicated.closeIdle(backend -> !inUse.contains(backend));
  }

  private void send(BackendBatch batch) {
    if (batch.unblock()) {
      // ERROR: the blocked command gets -UNBLOCKED, which whoever asked turns into its answer.
      dedicated.whenRedisIdKnown(batch.clientId(), id -> {
        Command wake = Command.of("CLIENT", "UNBLOCK", Long.toString(id), "ERROR");
        wake.sink(DiscardingSink.INSTANCE);
        shared(batch.backend(), false, 2, batch.lane()).send(List.of(wake));
      });
      return;
    }
    if (batch.dedicated()) {
      dedicated.send(batch.backend(), batch.protocol(), batch.clientId(), batch.commands());
      return;
    }
    shared(batch.backend(), batch.peer(), batch.protocol(), batch.lane()).send(batch.commands());
  }

  /** The connection of the backend's shared pool that carries the commands of clients of {@code lane}. */
  private BackendConnection shared(String backend, boolean peer, int protocol, int lane) {
    String key = protocol == 3 ? backend + " resp3" : backend;
    BackendConnection[] pool = pools.computeIfAbsent(key, k -> newPool(backend, peer, protocol));
    return pool[Math.floorMod(lane, pool.length)];
  }

  private BackendConnection[] newPool(String address, boolean peer, int protocol) {
    BackendConnection[] pool = new BackendConnection[config.backendConnections()];
    for (int i = 0; i < pool.length; i++) {
      pool[i] = open(address, peer, protocol);
    }
    return pool;
  }

  /** A Redis takes the backend credentials; a peer proxy takes this proxy's client password. */
  private BackendConnection open(String address, boolean peer, int protocol) {
    Supplier<Passwords> passwords = peer ? () -> settings.current().passwords().towardsPeers()
        : () -> settings.current().passwords();
    return new BackendConnection(address, client, context, passwords, protocol, false,
        meters.backend(address), frames);
  }

  @Override
  public Future<?> stop() {
    dedicated.closeAll();
    pools.values().forEach(pool -> {
      for (BackendConnection c : pool) {
        c.close();
      }
    });
    return client.close();
  }
}
