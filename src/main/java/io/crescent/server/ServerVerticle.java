package io.crescent.server;

import io.crescent.bus.Addresses;
import io.crescent.bus.Outbox;
import io.crescent.cluster.HostPort;
import io.crescent.config.ConfigStore;
import io.crescent.metrics.CommandStats;
import io.crescent.metrics.ProxyMeters;
import io.crescent.resp.FrameMemory;
import io.crescent.route.ClientRegistry;
import io.crescent.route.CommandBatch;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;


/**
 * Accepts client connections. Several instances listen on the same port, one per event loop, and
 * each connection stays on the loop that accepted it. Applies Redis's client limits:
 * {@code max_clients} and the idle {@code timeout}.
 *
 * <p>Stops gracefully: it stops accepting, reads nothing more from its clients, and closes each
 * client once every command it sent has been answered, or at {@code shutdown_timeout_ms}.
 */
public final class ServerVerticle extends VerticleBase {

  private static final Buffer MAX_CLIENTS =
      Buffer.buffer("-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII));

  private final ConfigStore settings;
  private final Addresses addresses;
  private final ClientRegistry clients;
  private final ProxyMeters meters;
  private NetServer server;
  private int nextLane;
  private Context context;
  /** Set, on this loop, once shutdown has begun; completes when every client is closed. */
  private Future<Void> shutdown;
  /** This loop's open sessions, for the idle timeout and shutdown. */
  private final Set<ClientSession> sessions = new HashSet<>();
  /** Where large commands being read are counted, with every loop's. */
  private final FrameMemory frames;
  /** Replies held for clients slower to take them than Redis sends them: a share of {@code held_replies_limit}. */
  private final LoopBudget held;
  /**
   * Commands of at most 16 KB read and not answered yet (larger ones take frame memory): a share of
   * a quarter of {@code frame_memory_limit}.
   */
  private final LoopBudget inFlight;

  /** {@code loops}: how many instances are deployed, one per event loop, to share the limits. */
  public ServerVerticle(ConfigStore settings, Addresses addresses, ClientRegistry clients, ProxyMeters meters,
      FrameMemory frames, int loops) {
    this.meters = meters;
    this.frames = frames;
    this.settings = settings;
    this.addresses = addresses;
    this.clients = clients;
    this.held = new LoopBudget(() -> settings.current().heldRepliesLimit() / loops);
    meters.watchHeldReplies(held::bytes);
    this.inFlight = new LoopBudget(() -> settings.current().frameMemoryLimit() / 4 / loops);
    meters.watchRequestsInFlight(inFlight::bytes);
  }

  @Override
  public Future<?> start() {
    String backend = addresses.backend();
    context = vertx.getOrCreateContext();
    Outbox<CommandBatch> router = new Outbox<>(vertx.eventBus(), addresses.router(), context);
    // Stats of this instance's own: only its event loop records into them.
    CommandStats stats = meters.newCommandStats();
    HostPort address = settings.current().address();
    server = vertx.createNetServer(new NetServerOptions()
        .setHost(address.host())
        .setPort(address.port())
        .setTcpNoDelay(true)
        .setReuseAddress(true));
    server.connectHandler(socket -> accept(socket, router, backend, stats));
    // Always scheduled: a reload may turn the timeout on.
    vertx.setPeriodic(1000, id -> closeIdle());
    return server.listen();
  }

  private void accept(NetSocket socket, Outbox<CommandBatch> router, String backend, CommandStats stats) {
    if (shutdown != null) {
      socket.close();
      return;
    }
    if (clients.size() >= settings.current().maxClients()) {
      // Redis's reply to a connection past maxclients, then it closes.
      socket.end(MAX_CLIENTS);
      return;
    }
    ClientSession session = new ClientSession(clients.nextId(), nextLane++, socket, vertx.eventBus(), router, backend,
        settings, stats, meters.slowLog(), held, inFlight, frames);
    sessions.add(session);
    session.start(clients, () -> sessions.remove(session));
  }

  /** Redis's timeout: idle normal clients are closed; blocked and subscribed ones are not. */
  private void closeIdle() {
    long limit = settings.current().idleTimeoutSeconds() * 1000L;
    if (limit == 0) {
      return;
    }
    for (ClientSession session : List.copyOf(sessions)) {
      // One that is closing counts too: it may wait for good for a client that reads nothing.
      if (session.idleMillis() > limit && (session.pinned() == null || session.closed())) {
        sessions.remove(session);
        session.kill();
      }
    }
  }

  /**
   * Begins a graceful shutdown from any thread (Crescent calls it when Vert.x starts closing, before
   * any verticle stops, so backends still answer). Idempotent.
   */
  public Future<Void> shutdown() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> shutdownOnLoop().onComplete(done));
    return done.future();
  }

  /**
   * Vert.x's graceful server shutdown: the listener closes, each connection's shutdown handler
   * runs (the session stops reading and closes once answered), and connections still open at the
   * timeout are closed.
   */
  private Future<Void> shutdownOnLoop() {
    if (shutdown == null) {
      shutdown = server.shutdown(settings.current().shutdownTimeoutMs(), TimeUnit.MILLISECONDS);
    }
    return shutdown;
  }

  @Override
  public Future<?> stop() {
    return shutdownOnLoop();
  }
}
