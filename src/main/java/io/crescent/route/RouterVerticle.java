package io.crescent.route;

import io.crescent.admin.Umctl;
import io.crescent.bus.Addresses;
import io.crescent.bus.Bundle;
import io.crescent.bus.Outbox;
import io.crescent.cluster.ClusterReplies;
import io.crescent.cluster.ClusterStore;
import io.crescent.command.LiveCommandTable;
import io.crescent.config.ConfigStore;
import io.crescent.metrics.RouteCounters;
import io.crescent.metrics.ProxyMeters;
import io.crescent.net.Transports;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.crescent.api.EventBusApi;

/**
 * Owns routing on one event loop: takes the command batches of the client sessions on this loop
 * and answers or forwards them, against the current immutable slot table.
 */
public final class RouterVerticle extends VerticleBase {

  private final ConfigStore settings;
  private final Addresses addresses;
  private final ClusterStore clusters;
  private final LiveCommandTable commands;
  private final ClientRegistry clients;
  private final ProxyMeters meters;
  private Router router;

  public RouterVerticle(ConfigStore settings, Addresses addresses, ClusterStore clusters, LiveCommandTable commands,
      ClientRegistry clients, ProxyMeters meters) {
    this.meters = meters;
    this.settings = settings;
    this.addresses = addresses;
    this.clusters = clusters;
    this.commands = commands;
    this.clients = clients;
  }

  @Override
  public Future<?> start() {
    Forwarder forwarder = new Forwarder(new Outbox<>(vertx.eventBus(), addresses.backend(), context));
    // Counters of this instance's own: only its event loop writes them.
    RouteCounters counters = meters.newRouteCounters();
    String announce = settings.current().announceAddress().toString();
    ProxyCommands proxyCommands = new ProxyCommands(() -> settings.current().passwords(), new Umctl(clusters),
        new ClientCommands(clients), new ConfigGet(settings), new ClusterReplies(announce),
        new InfoRewriter(announce, Transports.nameOf(vertx), clients, meters),
        forwarder, counters, new SlowLogCommands(meters.slowLog()));
    LostSlots lostSlots = new LostSlots(forwarder, announce);
    router = new Router(clusters, commands, proxyCommands, forwarder, counters, lostSlots);
    clusters.onApply(state -> context.runOnContext(v -> lostSlots.apply(state)));
    vertx.eventBus().<Bundle<CommandBatch>>localConsumer(addresses.registerRouter(), this::onBatches);
    vertx.eventBus().<JsonArray>localConsumer(EventBusApi.COMMAND, m -> router.routeFromBus(m, clients.nextId()));
    return Future.succeededFuture();
  }

  private void onBatches(Message<Bundle<CommandBatch>> message) {
    for (CommandBatch batch : message.body().items()) {
      router.route(batch.client(), batch.commands());
    }
  }
}
