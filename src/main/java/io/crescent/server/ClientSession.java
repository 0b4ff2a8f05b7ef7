package io.crescent.server;

import io.crescent.bus.Outbox;
import io.crescent.config.ConfigStore;
import io.crescent.metrics.CommandStats;
import io.crescent.metrics.SlowLog;
import io.crescent.net.Sockets;
import io.crescent.resp.Command;
import io.crescent.resp.FrameMemory;
import io.crescent.resp.RequestParser;
import io.crescent.route.ClientRegistry;
import io.crescent.route.CommandBatch;
import io.crescent.backend.Release;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.net.NetSocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * One client connection: parses what the client sends, hands each read's commands to the router
 * in one batch, and writes replies strictly in the order the commands came, however
 * they complete. Everything, including the router and backend work for it, runs on the
 * connection's event loop, so nothing here needs a lock.
 *
 * <p>The session wires its parts together and closes the connection: {@link ClientInput} reads
 * and parses, {@link ReplyLine} keeps the commands in order and writes their replies,
 * {@link Backpressure} counts what those replies hold, and {@link ClientState} keeps what the
 * router reads and sets.
 */
final class ClientSession extends ClientState {

  private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

  private final NetSocket socket;
  private final EventBus bus;
  /** Where this client's batches go: the router of this event loop. */
  private final Outbox<CommandBatch> router;
  /** Where this session gives back a backend connection of its own. */
  private final String release;
  private final SlicedWriter slices;
  private final Backpressure backpressure;
  private final ReplyLine line;
  private final ClientInput input;

  private boolean closed;
  /** Shutting down: nothing more is read; the connection closes once every reply is written. */
  private boolean draining;
  /** The router closed this client (CLIENT KILL of itself): it routes nothing more of it. */
  private boolean routingEnded;

  ClientSession(long id, int lane, NetSocket socket, EventBus bus, Outbox<CommandBatch> router, String backend,
      ConfigStore settings, CommandStats stats, SlowLog slowLog, LoopBudget loopHeld, LoopBudget loopInFlight,
      FrameMemory frames) {
    this(new RequestParser(frames), id, lane, socket, bus, router, backend, settings, stats, slowLog, loopHeld,
        loopInFlight, frames);
  }

  private ClientSession(RequestParser parser, long id, int lane, NetSocket socket, EventBus bus,
      Outbox<CommandBatch> router, String backend, ConfigStore settings, CommandStats stats, SlowLog slowLog,
      LoopBudget loopHeld, LoopBudget loopInFlight, FrameMemory frames) {
    super(id, lane, settings, parser);
    this.socket = socket;
    this.bus = bus;
    this.router = router;
    this.release = backend + ".release";
    this.slices = new SlicedWriter(socket, this::flush);
    this.backpressure = new Backpressure(this, settings, loopHeld, loopInFlight, slices);
    this.line = new ReplyLine(this, socket, slices, backpressure, stats, slowLog, settings, frames);
    this.input = new ClientInput(this, socket, parser, line, backpressure, stats, router);
  }

  void start(ClientRegistry registry, Runnable onClose) {
    registry.add(this);
    socket.handler(input::onData);
    socket.drainHandler(v -> {
      slices.tookSome();
      flush();
    });
    socket.closeHandler(v -> {
      registry.remove(this);
      closed = true;
      input.close();
      backpressure.runDrainWaiters();
      line.drop();
      dropParked();
      if (pinned() != null) {
        release(true);
      }
      onClose.run();
    });
    socket.exceptionHandler(e -> Sockets.closeNow(socket));
    socket.shutdownHandler(v -> drain());
    EndOfInput.watch(socket, input::endSeen);
  }

  @Override
  public void closeBefore(Command command) {
    line.cutBefore(command);
    // Held back until earlier commands are answered, so all after this one: never to be routed.
    dropParked();
    drain();
  }

  @Override
  public boolean inputEnded() {
    return input.ended();
  }

  @Override
  public boolean waitingBefore(Command command) {
    return line.waitingBefore(command);
  }

  /** Gives the client's own connection back, closing it if it may still hold state. */
  private void release(boolean close) {
    pinned(null);
    bus.send(release, new Release(id(), close));
  }

  @Override
  public String address() {
    return socket.remoteAddress().host() + ":" + socket.remoteAddress().port();
  }

  @Override
  public String localAddress() {
    return socket.localAddress().host() + ":" + socket.localAddress().port();
  }

  @Override
  public boolean closed() {
    // Past a command that may block after the end of stream, or CLIENT KILL of itself, nothing
    // more is routed.
    return closed || line.cut() || routingEnded;
  }

  /**
   * Nothing more is read, written or held for this client; {@link #closed()}, for the router, is
   * true sooner.
   */
  boolean done() {
    return closed;
  }

  /** The last reply this connection gets is in {@code last}: it goes, and the connection ends. */
  void endWith(Buffer last) {
    closed = true;
    line.drop();
    socket.end(last);
    backpressure.runDrainWaiters();
  }

  /** Reads nothing more, and closes once the commands already read are answered. */
  void drain() {
    draining = true;
    socket.pause();
    endIfDrained();
  }

  boolean draining() {
    return draining;
  }

  private void endIfDrained() {
    if (draining && !closed && line.drained() && !parking()) {
      closed = true;
      input.close();
      line.drop();
      socket.end();
      backpressure.runDrainWaiters();
    }
  }

  @Override
  public void kill() {
    Sockets.closeNow(socket);
  }

  @Override
  public void closeAfter(Command command) {
    // Earlier than any QUIT or bad frame already read (those are last in the line), and Redis
    // runs nothing it read after it.
    line.last(command);
    routingEnded = true;
    socket.pause();
    input.close();
  }

  @Override
  public void complete(Command command, Buffer reply) {
    line.complete(command, reply);
  }

  void disconnect(String why) {
    log.warn("closing client {} ({}): {}", id(), address(), why);
    closed = true;
    line.drop();
    // Not socket.close(): it waits until what is queued is written, which a client that stopped
    // reading never lets happen, and would keep the connection and its queue.
    Sockets.closeNow(socket);
    backpressure.runDrainWaiters();
  }

  @Override
  public boolean congested() {
    return backpressure.congested();
  }

  @Override
  public void onDrained(Runnable action) {
    backpressure.onDrained(action);
  }

  @Override
  public void abandon(long idleNanos) {
    backpressure.abandon(idleNanos);
  }

  @Override
  public void backendLost() {
    if (!closed) {
      log.info("client {} ({}) lost its own Redis connection; closing it", id(), address());
      flush();
      closed = true;
      // The close waits for the replies already written to go out; nothing more is read meanwhile,
      // and a command being read gives its frame memory back now.
      socket.pause();
      input.close();
      line.drop();
      socket.close();
      backpressure.runDrainWaiters();
    }
  }

  @Override
  public void flush() {
    if (closed || !line.writeAnswered()) {
      return;
    }
    if (unparkDue()) {
      // Not the parked commands themselves: a batch read since may already wait for the router,
      // and they must go before it. The router takes them first from whichever batch comes.
      router.add(new CommandBatch(this, List.of()));
    } else if (pinned() != null && line.isEmpty() && pinned().clean()) {
      release(pinned().spoiled());
    }
    if (congested()) {
      input.pause();
    } else {
      input.resumeIfRoom();
    }
    backpressure.checkOutputLimit();
    backpressure.runDrainWaitersIfDrained();
    endIfDrained();
  }

  @Override
  public void push(Buffer frame) {
    flush();
    if (closed || line.hasLast()) {
      return;
    }
    line.push(frame);
  }
}
