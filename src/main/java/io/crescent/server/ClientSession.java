package io.crescent.server;

import io.crescent.bus.Outbox;
import io.crescent.config.ConfigStore;
import io.crescent.config.ProxyConfig;
import io.crescent.metrics.CommandStats;
import io.crescent.metrics.SlowLog;
import io.crescent.net.Sockets;
import io.crescent.resp.Command;
import io.crescent.resp.FrameMemory;
import io.crescent.resp.ProtocolException;
import io.crescent.resp.RequestParser;
import io.crescent.route.ClientRegistry;
import io.crescent.route.CommandBatch;
import io.crescent.backend.Release;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.net.NetSocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One client connection: parses what the client sends, hands each read's commands to the router
 * in one batch, and writes replies strictly in the order the commands came, however
 * they complete. Everything, including the router and backend work for it, runs on the
 * connection's event loop, so nothing here needs a lock.
 *
 * <p>Replies wait here, counted by {@link Backpressure}, while the client's socket has no room.
 */
final class ClientSession extends ClientState {

  /** Redis's default client-query-buffer-limit: a command may not be larger. */
  private static final long QUERY_BUFFER_LIMIT = 1024L * 1024 * 1024;
  /** Unanswered commands beyond which we stop reading from the client. */
  static final int MAX_PENDING = 8192;
  /** Replies larger than this go out through the {@link SlicedWriter}, not copied into a batch. */
  private static final int GATHER_LIMIT = 16 * 1024;

  private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

  private final ConfigStore settings;
  /** This loop's command counts and latencies, and the proxy's slow log. */
  private final CommandStats stats;
  private final SlowLog slowLog;
  private final NetSocket socket;
  private final EventBus bus;
  /** Where this read's commands go: the router of this event loop, with other sessions' reads. */
  private final Outbox<CommandBatch> router;
  /** Where this session gives back a backend connection of its own. */
  private final String release;
  private final RequestParser parser;
  /** Where the large commands of this client hold memory until they are answered. */
  private final FrameMemory frames;
  /** Commands sent and not yet answered to the client, oldest first. */
  private final ArrayDeque<Command> pending = new ArrayDeque<>();

  /** The command whose reply is the last this connection gets (QUIT, a protocol error). */
  private Command closeAfter;
  private boolean closed;
  private boolean readPaused;
  /** Shutting down: nothing more is read; the connection closes once every reply is written. */
  private boolean draining;
  /** The client sent its end of stream. */
  private boolean inputEnded;
  /** After its end of stream, the first command that may block: it and what follows get no reply. */
  private Command endBefore;
  /** Large replies go out through it, a slice at a time. */
  private final SlicedWriter slices;
  private final Backpressure held;
  /** The router closed this client (CLIENT KILL of itself): it routes nothing more of it. */
  private boolean routingEnded;

  ClientSession(long id, int lane, NetSocket socket, EventBus bus, Outbox<CommandBatch> router, String backend,
      ConfigStore settings, CommandStats stats, SlowLog slowLog, HeldReplies loopHeld, FrameMemory frames) {
    this(new RequestParser(frames), id, lane, socket, bus, router, backend, settings, stats, slowLog, loopHeld, frames);
  }

  private ClientSession(RequestParser parser, long id, int lane, NetSocket socket, EventBus bus,
      Outbox<CommandBatch> router, String backend, ConfigStore settings, CommandStats stats, SlowLog slowLog,
      HeldReplies loopHeld, FrameMemory frames) {
    super(id, lane, settings, parser);
    this.parser = parser;
    this.frames = frames;
    this.stats = stats;
    this.slowLog = slowLog;
    this.settings = settings;
    this.socket = socket;
    this.bus = bus;
    this.router = router;
    this.release = backend + ".release";
    this.slices = new SlicedWriter(socket, this::flush);
    this.held = new Backpressure(this, settings, loopHeld, slices);
  }

  void start(ClientRegistry registry, Runnable onClose) {
    registry.add(this);
    socket.handler(this::onData);
    socket.drainHandler(v -> {
      slices.tookSome();
      flush();
    });
    socket.closeHandler(v -> {
      registry.remove(this);
      closed = true;
      parser.close();
      held.runDrainWaiters();
      dropPending();
      dropParked();
      if (pinned() != null) {
        release(true);
      }
      onClose.run();
    });
    socket.exceptionHandler(e -> Sockets.closeNow(socket));
    socket.shutdownHandler(v -> drain());
    EndOfInput.watch(socket, () -> inputEnded = true);
  }

  /**
   * Everything the client sent before its end of stream has been read. As Redis: the commands it
   * sent whole are answered, a partial one is dropped, then the connection closes. Redis frees a
   * client blocked at its end of stream, so the commands before the first still unanswered that
   * may block are answered and the connection closes there (the router does the same for such a
   * command routed after this).
   */
  private void endOfInput() {
    if (closed) {
      return;
    }
    parser.close();
    for (Command command : pending) {
      if (command.mayBlock() && !command.answered()) {
        closeBefore(command);
        return;
      }
    }
    drain();
  }

  @Override
  public void closeBefore(Command command) {
    if (endBefore == null) {
      endBefore = command;
    }
    // Held back until earlier commands are answered, so all after this one: never to be routed.
    dropParked();
    drain();
  }

  private void onData(Buffer data) {
    if (closed || closeAfter != null) {
      return;
    }
    if (data.length() == 0) {
      if (inputEnded) {
        endOfInput();
      }
      return;
    }
    sentSomething();
    List<Command> commands = new ArrayList<>();
    ProtocolException error = null;
    try {
      parser.feed(data, commands);
    } catch (ProtocolException e) {
      error = e;
      // Nothing more is read from this stream: what it held goes now, not when the socket closes.
      parser.close();
    }
    if (parser.buffered() > QUERY_BUFFER_LIMIT) {
      disconnect("its query buffer passed " + QUERY_BUFFER_LIMIT + " bytes (Redis's client-query-buffer-limit)");
      return;
    }
    // Redis reads nothing after QUIT: what follows it must not run.
    for (int i = 0; i < commands.size(); i++) {
      if (commands.get(i).argc() > 0 && commands.get(i).argIs(0, "quit")) {
        closeAfter = commands.get(i);
        parser.close();
        commands.subList(i + 1, commands.size()).forEach(this::releaseFrame);
        commands = commands.subList(0, i + 1);
        error = null;
        break;
      }
    }
    long now = System.nanoTime();
    for (Command command : commands) {
      command.sink(this);
      command.readNanos(now);
      pending.add(command);
    }
    stats.read(commands.size());
    if (!commands.isEmpty()) {
      router.add(new CommandBatch(this, commands));
    }
    if (error != null) {
      Command placeholder = Command.of();
      placeholder.readNanos(now);
      placeholder.reply(error.errorReply());
      held.hold(placeholder.reply().length());
      pending.add(placeholder);
      stats.read(1);
      closeAfter = placeholder;
    }
    if (closeAfter != null) {
      socket.pause();
      flush();
    } else if (pending.size() >= MAX_PENDING) {
      pauseReading();
    }
  }

  @Override
  public boolean inputEnded() {
    return inputEnded;
  }

  @Override
  public boolean waitingBefore(Command command) {
    for (Command earlier : pending) {
      if (earlier == command) {
        return false;
      }
      if (!earlier.answered()) {
        return true;
      }
    }
    return false;
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
    return closed || endBefore != null || routingEnded;
  }

  /** Nothing more is read, written or held for this client. */
  boolean done() {
    return closed;
  }

  /** Reads nothing more, and closes once the commands already read are answered. */
  private void drain() {
    draining = true;
    socket.pause();
    endIfDrained();
  }

  private void endIfDrained() {
    if (draining && !closed && (pending.isEmpty() || pending.peek() == endBefore) && !parking()
        && !slices.busy()) {
      closed = true;
      parser.close();
      dropPending();
      socket.end();
      held.runDrainWaiters();
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
    closeAfter = command;
    routingEnded = true;
    socket.pause();
    parser.close();
  }

  @Override
  public void complete(Command command, Buffer reply) {
    boolean full = !closed && held.socketFull();
    if (full && reply.length() <= GATHER_LIMIT) {
      // A slice would keep Redis's whole read buffer alive for as long as the client takes, and
      // the held count would understate it.
      reply = reply.copy();
    }
    command.reply(reply);
    releaseFrame(command);
    if (!closed) {
      // Its request stays in memory too until it leaves the line. While the client takes nothing,
      // it counts as held: one that reads nothing while it writes large commands answered with
      // +OK would otherwise hold them uncounted. Behind a slow command, it does not.
      command.requestHeld(full ? command.frame().length() : 0);
      held.hold(reply.length() + command.requestHeld());
    }
  }

  /** A large command is answered or dropped: the memory its frame took is free for others. */
  private void releaseFrame(Command command) {
    if (command.frameMemory() > 0) {
      frames.release(command.frameMemory());
      command.frameMemory(0);
    }
  }

  void disconnect(String why) {
    log.warn("closing client {} ({}): {}", id(), address(), why);
    closed = true;
    dropPending();
    // Not socket.close(): it waits until what is queued is written, which a client that stopped
    // reading never lets happen, and would keep the connection and its queue.
    Sockets.closeNow(socket);
    held.runDrainWaiters();
  }

  @Override
  public boolean congested() {
    return held.congested();
  }

  @Override
  public void onDrained(Runnable action) {
    held.onDrained(action);
  }

  @Override
  public void abandon(long idleNanos) {
    held.abandon(idleNanos);
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
      parser.close();
      dropPending();
      socket.close();
      held.runDrainWaiters();
    }
  }

  @Override
  public void flush() {
    if (closed) {
      return;
    }
    Buffer batch = null;
    Command head;
    long now = 0;
    while (sendSlices() && slices.hasRoom() && (head = pending.peek()) != null && head != endBefore
        && head.answered()) {
      pending.poll();
      held.hold(-head.requestHeld());
      Buffer reply = head.reply();
      if (!head.isPush()) {
        if (now == 0) {
          now = System.nanoTime();
        }
        measure(head, reply, now);
      }
      if (head.silent()) {
        held.hold(-reply.length());
        continue;
      }
      if (reply.length() > GATHER_LIMIT) {
        batch = write(batch);
        slices.start(reply);
        continue;
      }
      held.hold(-reply.length());
      if (batch == null && !nextGathers()) {
        // Alone (the common case without pipelining): written as it is, not copied.
        Sockets.send(socket, reply);
      } else {
        if (batch == null) {
          batch = Buffer.buffer(reply.length() + gatherSize());
        }
        batch.appendBuffer(reply);
      }
      if (head == closeAfter) {
        // Replies still to come for commands after it are not this client's to hold.
        closed = true;
        dropPending();
        socket.end(batch == null ? Buffer.buffer() : batch);
        held.runDrainWaiters();
        return;
      }
    }
    write(batch);
    if (unparkDue()) {
      // Not the parked commands themselves: a batch read since may already wait for the router,
      // and they must go before it. The router takes them first from whichever batch comes.
      router.add(new CommandBatch(this, List.of()));
    } else if (pinned() != null && pending.isEmpty() && pinned().clean()) {
      release(pinned().spoiled());
    }
    if (congested()) {
      pauseReading();
    } else {
      resumeIfRoom();
    }
    held.checkOutputLimit();
    held.runDrainWaitersIfDrained();
    endIfDrained();
  }

  @Override
  public void push(Buffer frame) {
    flush();
    if (closed || closeAfter != null) {
      return;
    }
    if (!held.socketFull()) {
      Sockets.send(socket, frame);
      return;
    }
    // Replies already answered wait for room: the frame goes after them, as Redis wrote it.
    ArrayDeque<Command> before = new ArrayDeque<>();
    while (pending.peek() != null && pending.peek().answered()) {
      before.push(pending.poll());
    }
    pending.addFirst(Command.push(frame));
    while (!before.isEmpty()) {
      pending.addFirst(before.pop());
    }
    held.hold(frame.length());
    held.checkOutputLimit();
  }

  /** Forgets the commands still unanswered: the connection is closing. */
  private void dropPending() {
    int commands = 0;
    for (Command command : pending) {
      commands += command.isPush() ? 0 : 1;
      releaseFrame(command);
    }
    stats.dropped(commands);
    pending.clear();
    slices.clear();
    held.holdNothing();
  }

  /** Counts and times a command as its reply goes out; a slow one enters the slow log. */
  private void measure(Command command, Buffer reply, long now) {
    byte type = reply.length() == 0 ? 0 : reply.getByte(0);
    stats.record(command, type == '-' || type == '!', now);
    if (command.mayBlock() || command.skipsSlowlog()) {
      return;
    }
    ProxyConfig config = settings.current();
    long micros = (now - command.readNanos()) / 1000;
    if (config.slowlogSlowerThanMicros() >= 0 && micros >= config.slowlogSlowerThanMicros()) {
      slowLog.add(command, micros, address(), name(), config.slowlogMaxLen());
    }
  }

  /** Hands the large reply in progress to the socket while it has room; true once all of it is. */
  private boolean sendSlices() {
    held.hold(-slices.pump());
    return !slices.busy();
  }

  private Buffer write(Buffer batch) {
    if (batch != null && batch.length() > 0) {
      Sockets.send(socket, batch);
    }
    return null;
  }

  /** Whether a small answered reply is next in line, to be gathered with the one before it. */
  private boolean nextGathers() {
    Command next = pending.peek();
    return next != null && next.answered() && next.reply().length() <= GATHER_LIMIT;
  }

  /** Bytes of the small answered replies at the head of the line, to size one batch exactly. */
  private int gatherSize() {
    int size = 0;
    for (Command c : pending) {
      if (!c.answered() || c.reply().length() > GATHER_LIMIT) {
        break;
      }
      size += c.reply().length();
    }
    return Math.max(size, 64);
  }

  private void pauseReading() {
    if (!readPaused) {
      readPaused = true;
      socket.pause();
    }
  }

  private void resumeIfRoom() {
    if (readPaused && !draining && closeAfter == null && pending.size() < MAX_PENDING / 2 && !congested()) {
      readPaused = false;
      socket.resume();
    }
  }
}
