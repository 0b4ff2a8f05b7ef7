package io.crescent.backend;

import io.crescent.cluster.HostPort;
import io.crescent.config.Passwords;
import io.crescent.metrics.BackendMeters;
import io.crescent.net.Sockets;
import io.crescent.resp.Command;
import io.crescent.resp.DiscardingSink;
import io.crescent.resp.OwnCommandSink;
import io.crescent.resp.FrameMemory;
import io.crescent.resp.ProtocolException;
import io.crescent.resp.ReplyReader;
import io.crescent.resp.ReplySink;
import io.crescent.resp.Resp;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * One pipelined connection to a backend, shared by many clients.
 *
 * <p>Commands are queued and written in one go when the event loop has finished what it is doing,
 * so the commands of many clients that arrive in the same loop iteration reach Redis in a single
 * write. Replies come back in the order commands were written; each is handed to its client's
 * sink, and every sink touched by a read is flushed once at the end of that read.
 *
 * <p>When the connection fails or the backend stops answering within the timeout, every command
 * in flight gets an error at once: a command that may have run is never sent again.
 */
final class BackendConnection implements ReplyReader.Handler {

  private static final Logger log = LoggerFactory.getLogger(BackendConnection.class);
  private static final long RETRY_BACKOFF_NANOS = 200_000_000L;
  /** Writes at least this large are timed from when they are written out, not handed over. */
  private static final int LARGE_WRITE = 1024 * 1024;
  /**
   * How long a client that takes nothing may keep this connection from reading while other
   * clients' replies wait behind its own (a client alone on it gets the whole backend timeout).
   */
  private static final long STALL_GRACE_NANOS = 1_000_000_000L;

  private enum State { IDLE, CONNECTING, CONNECTED }

  private final String backend;
  private final HostPort address;
  private final NetClient client;
  private final Context context;
  /** Read at each connect: a reload of the backend credentials reaches new connections. */
  private final Supplier<Passwords> passwords;
  private final int protocol;
  /** A client's own connection: never reconnected, since its state on Redis would be lost. */
  private final boolean dedicated;
  /** Redis's id for a client's own connection, to wake what blocks on it; null for shared ones. */
  private final RedisClientId redisId;
  private boolean lost;
  private final BackendMeters meters;
  /** A connection attempt failed or the connection was lost: the next success is a reconnect. */
  private boolean reconnecting;

  private State state = State.IDLE;
  private NetSocket socket;
  private final ReplyReader reader;
  private final FrameStream frames;
  /** Written, waiting for their replies, oldest first. */
  private final ArrayDeque<Command> inFlight = new ArrayDeque<>();
  /** Not written yet. */
  private final ArrayList<Command> queued = new ArrayList<>();
  private boolean flushScheduled;
  private long lastProgressNanos;
  private final List<ReplySink> touched = new ArrayList<>();
  /** Clients too slow to take their replies: reading stops until each has caught up. */
  private final Set<ReplySink> waitingFor = Collections.newSetFromMap(new IdentityHashMap<>());
  private long pausedSinceNanos;
  /** Who gets pushes: the client of this connection (a dedicated one) that sent last. */
  private ReplySink subscriber;
  /** While set, a backend that refused connections is not tried again before this time. */
  private long retryAfterNanos;
  private String lastConnectError;

  /** {@code backend}: the address as the topology spells it; pools are found by it. */
  BackendConnection(String backend, NetClient client, Context context, Supplier<Passwords> passwords,
      int protocol, boolean dedicated, BackendMeters meters, FrameMemory frames) {
    this.backend = backend;
    this.address = HostPort.parse(backend);
    this.dedicated = dedicated;
    this.redisId = dedicated ? new RedisClientId() : null;
    this.reader = new ReplyReader(frames);
    this.meters = meters;
    this.passwords = passwords;
    this.protocol = protocol;
    this.frames = new FrameStream(protocol);
    this.client = client;
    this.context = context;
  }

  void send(List<Command> commands) {
    // One by one: addAll copies the list into an array first.
    for (int i = 0; i < commands.size(); i++) {
      queued.add(commands.get(i));
    }
    ReplySink last = commands.get(commands.size() - 1).sink();
    if (last != DiscardingSink.INSTANCE) {
      // The proxy's own commands (a protocol switch) answer nobody: pushes stay with the client.
      subscriber = last;
    }
    if (lost) {
      failAll("ERR Crescent: this client's own connection to backend " + address + " was lost");
      return;
    }
    switch (state) {
      case IDLE -> {
        if (lastConnectError != null && System.nanoTime() - retryAfterNanos < 0) {
          failAll(lastConnectError);
        } else {
          connect();
        }
      }
      case CONNECTED -> scheduleFlush();
      case CONNECTING -> { }
    }
  }

  private void connect() {
    state = State.CONNECTING;
    client.connect(address.port(), address.host()).onComplete(ar -> {
      if (ar.failed()) {
        state = State.IDLE;
        meters.connectFailed();
        reconnecting = true;
        if (lastConnectError == null) {
          log.warn("cannot connect to backend {}: {}", address, ar.cause().getMessage());
        }
        // Fail fast for a moment rather than hammering a backend that is down.
        lastConnectError = "ERR Crescent: cannot connect to backend " + address + ": " + ar.cause().getMessage();
        retryAfterNanos = System.nanoTime() + RETRY_BACKOFF_NANOS;
        failAll(lastConnectError);
        loseIfDedicated();
        return;
      }
      NetSocket s = ar.result();
      if (lost) {
        // Closed on purpose while it was connecting (its client left, or the proxy is stopping):
        // a command queued on it, say a BLPOP, must never reach Redis and block there for nobody.
        state = State.IDLE;
        Sockets.closeNow(s);
        failAll("ERR Crescent: the connection to backend " + address + " was closed");
        return;
      }
      socket = s;
      state = State.CONNECTED;
      lastConnectError = null;
      if (reconnecting) {
        reconnecting = false;
        meters.reconnected();
      }
      // Handlers check their socket: a timed-out socket's late bytes must never reach the
      // commands of the connection that replaced it.
      s.handler(data -> {
        if (s == socket) {
          onData(data);
        }
      });
      s.closeHandler(v -> {
        if (s == socket) {
          onClosed("connection to backend " + address + " closed");
        }
      });
      s.exceptionHandler(e -> log.debug("backend {} socket error", address, e));
      log.info("connected to backend {}", address);
      if (redisId != null) {
        queued.add(0, redisId.request());
      }
      if (protocol == 3) {
        queued.add(0, setupCommand(Command.of("HELLO", "3")));
      }
      Passwords auth = passwords.get();
      if (auth.backendAuth()) {
        queued.add(0, setupCommand(auth.backendUser().isEmpty()
            ? Command.of("AUTH", auth.backendPassword())
            : Command.of("AUTH", auth.backendUser(), auth.backendPassword())));
      }
      flush();
    });
  }

  /**
   * AUTH and HELLO 3 go first on a new connection, pipelined with what is queued: if Redis
   * refuses them, the commands behind get Redis's own errors, and the operator gets a log line.
   */
  private Command setupCommand(Command command) {
    command.sink(setupSink);
    return command;
  }

  /** Logs a refused setup command; it has no client, and a failed connection is logged elsewhere. */
  private final ReplySink setupSink = new OwnCommandSink() {
    @Override
    public void complete(Command command, Buffer reply) {
      if (reply.length() > 0 && reply.getByte(0) == '-') {
        log.error("backend {} refused {}: {}", address, command.argString(0), reply.toString().trim());
      }
    }
  };

  private void scheduleFlush() {
    if (!flushScheduled) {
      flushScheduled = true;
      context.runOnContext(v -> flush());
    }
  }

  private void flush() {
    flushScheduled = false;
    if (state != State.CONNECTED || queued.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    if (inFlight.isEmpty()) {
      lastProgressNanos = now;
    }
    Buffer out;
    if (queued.size() == 1) {
      out = queued.get(0).frame();
      queued.get(0).sent(now);
    } else {
      int size = 0;
      for (Command c : queued) {
        size += c.frame().length();
        c.sent(now);
      }
      out = Buffer.buffer(size);
      for (Command c : queued) {
        out.appendBuffer(c.frame());
      }
    }
    inFlight.addAll(queued);
    queued.clear();
    if (out.length() < LARGE_WRITE) {
      Sockets.send(socket, out);
    } else {
      // Redis cannot answer a command before it has all of it: its time starts once it is written.
      socket.write(out).onSuccess(v -> lastProgressNanos = System.nanoTime());
    }
  }

  private void onData(Buffer data) {
    lastProgressNanos = System.nanoTime();
    try {
      reader.feed(data, this);
    } catch (ProtocolException e) {
      // A reply too large to hold cannot be skipped without reading it: the connection goes, as
      // one whose stream broke does, and the commands in flight on it fail.
      String why = e.tooLarge() ? "a reply from backend " + address + " is too large: " + e.getMessage()
          : "backend " + address + " broke the protocol";
      log.error("{}; dropping the connection", e.tooLarge() ? why : why + " (" + e.getMessage() + ")");
      NetSocket broken = socket;
      onClosed(why);
      Sockets.closeNow(broken);
    } finally {
      flushTouched();
    }
  }

  @Override
  public void onReply(Buffer reply) throws ProtocolException {
    Command command = inFlight.peek();
    if (frames.outOfBand(reply, command)) {
      if (subscriber != null) {
        subscriber.push(reply);
        if (touched.isEmpty() || touched.get(touched.size() - 1) != subscriber) {
          touched.add(subscriber);
        }
      }
      return;
    }
    if (command == null) {
      throw new ProtocolException("a reply nobody asked for");
    }
    reply = frames.reply(command, reply);
    if (reply == null) {
      return;
    }
    inFlight.poll();
    command.backendReplied(lastProgressNanos);
    frames.completed(command, reply);
    ReplySink sink = command.sink();
    sink.complete(command, reply);
    if (touched.isEmpty() || touched.get(touched.size() - 1) != sink) {
      touched.add(sink);
    }
  }

  private void flushTouched() {
    for (int i = 0; i < touched.size(); i++) {
      touched.get(i).flush();
    }
    for (int i = 0; i < touched.size(); i++) {
      ReplySink sink = touched.get(i);
      if (socket != null && sink.congested() && waitingFor.add(sink)) {
        NetSocket s = socket;
        sink.onDrained(() -> {
          waitingFor.remove(sink);
          if (waitingFor.isEmpty() && s == socket) {
            // Redis was not being read: the time it waited for the client is not its delay.
            lastProgressNanos = System.nanoTime();
            s.resume();
          }
        });
      }
    }
    touched.clear();
    if (!waitingFor.isEmpty() && socket != null) {
      // Backpressure: Redis keeps what we do not read, the proxy holds a bounded amount. Other
      // clients of this connection wait too: their replies are behind in the same stream.
      socket.pause();
      pausedSinceNanos = System.nanoTime();
    }
  }

  private void onClosed(String why) {
    if (state == State.CONNECTED && !lost) {
      log.warn("{}; {} commands in flight fail", why, inFlight.size());
      reconnecting = true;
    }
    state = State.IDLE;
    socket = null;
    waitingFor.clear();
    reader.reset();
    frames.reset();
    failAll("ERR Crescent: " + why);
    loseIfDedicated();
  }

  private void loseIfDedicated() {
    if (dedicated && !lost) {
      lost = true;
      if (subscriber != null) {
        subscriber.backendLost();
      }
    }
  }

  /** Gives up on a backend that has not answered for longer than the timeout. */
  void checkTimeout(long nowNanos, long timeoutNanos) {
    if (!waitingFor.isEmpty()) {
      long grace = othersWaiting() ? Math.min(timeoutNanos, STALL_GRACE_NANOS) : timeoutNanos;
      if (nowNanos - pausedSinceNanos > grace) {
        new ArrayList<>(waitingFor).forEach(sink -> sink.abandon(grace));
      }
      return;
    }
    if (state == State.CONNECTED && !inFlight.isEmpty() && !inFlight.peek().mayBlock()
        && nowNanos - lastProgressNanos > timeoutNanos) {
      log.warn("backend {} did not answer within {} ms; failing {} commands", address,
          timeoutNanos / 1_000_000, inFlight.size());
      NetSocket stalled = socket;
      onClosed("backend " + address + " timed out");
      Sockets.closeNow(stalled);
    }
  }

  /** Whether a client this connection is not waiting for has commands on it. */
  private boolean othersWaiting() {
    for (Command command : inFlight) {
      if (!waitingFor(command.sink().owner())) {
        return true;
      }
    }
    for (Command command : queued) {
      if (!waitingFor(command.sink().owner())) {
        return true;
      }
    }
    return false;
  }

  private boolean waitingFor(Object owner) {
    for (ReplySink sink : waitingFor) {
      if (sink.owner() == owner) {
        return true;
      }
    }
    return false;
  }

  private void failAll(String error) {
    Buffer reply = Resp.error(error);
    ArrayList<Command> failed = new ArrayList<>(inFlight);
    failed.addAll(queued);
    inFlight.clear();
    queued.clear();
    for (Command command : failed) {
      if (command.sink() == setupSink) {
        continue;
      }
      command.sink().complete(command, reply);
      if (touched.isEmpty() || touched.get(touched.size() - 1) != command.sink()) {
        touched.add(command.sink());
      }
    }
    flushTouched();
  }

  int protocol() {
    return protocol;
  }

  String backend() {
    return backend;
  }

  /** Commands are queued or in flight on it. */
  boolean busy() {
    return !inFlight.isEmpty() || !queued.isEmpty();
  }

  /** Connected, with nothing queued or in flight: safe to hand to another client. */
  boolean idle() {
    return state == State.CONNECTED && inFlight.isEmpty() && queued.isEmpty() && !frames.holdsState();
  }

  /** Back in the idle pool: if Redis drops it there, the client that used it last is not told. */
  void released() {
    subscriber = null;
    if (redisId != null) {
      redisId.forget();
    }
  }

  /** Runs {@code action} with Redis's id for this connection, now or once known (a client's own only). */
  void whenRedisIdKnown(LongConsumer action) {
    if (redisId != null) {
      redisId.whenKnown(action);
    }
  }

  /** Closes on purpose (given back, or shutting down): nobody is told the connection was lost. */
  void close() {
    lost = true;
    if (socket != null) {
      Sockets.closeNow(socket);
    }
  }
}
