package io.crescent.server;

import io.crescent.bus.Addresses;
import io.crescent.config.ProxyConfig;
import io.crescent.route.ClientRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;


/**
 * Accepts client connections. Several instances listen on the same port, one per event loop, and
 * each connection stays on the loop that accepted it.
 */
public final class ServerVerticle extends VerticleBase {

  private final ProxyConfig config;
  private final Addresses addresses;
  private final ClientRegistry clients;
  private NetServer server;

  public ServerVerticle(ProxyConfig config, Addresses addresses, ClientRegistry clients) {
    this.config = config;
    this.addresses = addresses;
    this.clients = clients;
  }

  @Override
  public Future<?> start() {
    String router = addresses.router();
    String backend = addresses.backend();
    server = vertx.createNetServer(new NetServerOptions()
        .setHost(config.address().host())
        .setPort(config.address().port())
        .setTcpNoDelay(true)
        .setReuseAddress(true));
    server.connectHandler(socket -> accept(socket, router, backend));
    return server.listen();
  }

  private void accept(NetSocket socket, String router, String backend) {
    new ClientSession(clients.nextId(), socket, vertx.eventBus(), router, backend,
        config.clientOutputBufferLimit()).start(clients);
  }

  @Override
  public Future<?> stop() {
    return server.close();
  }
}
