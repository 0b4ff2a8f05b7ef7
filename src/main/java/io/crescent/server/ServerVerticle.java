package io.crescent.server;

import io.crescent.bus.Addresses;
import io.crescent.config.ProxyConfig;
import io.crescent.route.ClientRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;


/**
 * Accepts client connections. Several instances listen on the same port, one per event loop, and
 * each connection stays on the loop that accepted it. Applies Redis's client limits:
 * {@code max_clients} and the idle {@code timeout}.
 */
public final class ServerVerticle extends VerticleBase {

  private static final Buffer MAX_CLIENTS =
      Buffer.buffer("-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII));

  private final ProxyConfig config;
  private final Addresses addresses;
  private final ClientRegistry clients;
  private NetServer server;
  /** This loop's sessions, for the idle timeout. */
  private final Set<ClientSession> sessions = new HashSet<>();

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
    if (config.idleTimeoutSeconds() > 0) {
      vertx.setPeriodic(1000, id -> closeIdle());
    }
    return server.listen();
  }

  private void accept(NetSocket socket, String router, String backend) {
    if (clients.size() >= config.maxClients()) {
      // Redis's reply to a connection past maxclients, then it closes.
      socket.end(MAX_CLIENTS);
      return;
    }
    ClientSession session = new ClientSession(clients.nextId(), socket, vertx.eventBus(), router, backend,
        config.clientOutputBufferLimit());
    sessions.add(session);
    session.start(clients);
  }

  /** Redis's timeout: idle normal clients are closed; blocked and subscribed ones are not. */
  private void closeIdle() {
    long limit = config.idleTimeoutSeconds() * 1000L;
    for (ClientSession session : List.copyOf(sessions)) {
      if (session.isClosed()) {
        sessions.remove(session);
      } else if (session.idleMillis() > limit && session.pinned() == null) {
        sessions.remove(session);
        session.kill();
      }
    }
  }

  @Override
  public Future<?> stop() {
    return server.close();
  }
}
