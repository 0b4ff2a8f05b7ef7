package io.crescent.server;

import io.crescent.config.ConfigStore;
import io.crescent.config.ProxyConfig;
import io.crescent.metrics.CommandStats;
import io.crescent.metrics.SlowLog;
import io.crescent.net.Sockets;
import io.crescent.resp.Command;
import io.crescent.resp.FrameMemory;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.util.ArrayDeque;

/**
 * A client's commands in the order it sent them, until their replies are written: replies may
 * come in any order, and go out in this one, gathered into as few writes as possible.
 */
final class ReplyLine {

  /** Replies larger than this go out through the {@link SlicedWriter}, not copied into a batch. */
  private static final int GATHER_LIMIT = 16 * 1024;

  private final ClientSession session;
  private final NetSocket socket;
  /** Large replies go out through it, a slice at a time. */
  private final SlicedWriter slices;
  private final Backpressure backpressure;
  /** This loop's command counts and latencies, and the proxy's slow log. */
  private final CommandStats stats;
  private final SlowLog slowLog;
  private final ConfigStore settings;
  /** Where the large commands of this client hold memory until they are answered. */
  private final FrameMemory frames;
  /** Commands sent and not yet answered to the client, oldest first. */
  private final ArrayDeque<Command> pending = new ArrayDeque<>();
  /** The command whose reply is the last this connection gets (QUIT, a protocol error). */
  private Command last;
  /** After its end of stream, the first command that may block: it and what follows get no reply. */
  private Command cut;

  ReplyLine(ClientSession session, NetSocket socket, SlicedWriter slices, Backpressure backpressure,
      CommandStats stats, SlowLog slowLog, ConfigStore settings, FrameMemory frames) {
    this.session = session;
    this.socket = socket;
    this.slices = slices;
    this.backpressure = backpressure;
    this.stats = stats;
    this.slowLog = slowLog;
    this.settings = settings;
    this.frames = frames;
  }

  void add(Command command) {
    pending.add(command);
  }

  int size() {
    return pending.size();
  }

  boolean isEmpty() {
    return pending.isEmpty();
  }

  void last(Command command) {
    last = command;
  }

  boolean hasLast() {
    return last != null;
  }

  /** Only the first such command counts: the connection closes there. */
  void cutBefore(Command command) {
    if (cut == null) {
      cut = command;
    }
  }

  boolean cut() {
    return cut != null;
  }

  /** Every reply this connection will write is written. */
  boolean drained() {
    return (pending.isEmpty() || pending.peek() == cut) && !slices.busy();
  }

  boolean waitingBefore(Command command) {
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

  /** The first command still unanswered that may block, or null. */
  Command firstBlocking() {
    for (Command command : pending) {
      if (command.mayBlock() && !command.answered()) {
        return command;
      }
    }
    return null;
  }

  void complete(Command command, Buffer reply) {
    boolean open = !session.done();
    boolean full = open && backpressure.socketFull();
    if (full && reply.length() <= GATHER_LIMIT) {
      // A slice would keep Redis's whole read buffer alive for as long as the client takes, and
      // the held count would understate it.
      reply = reply.copy();
    }
    boolean small = command.frameMemory() == 0;
    command.reply(reply);
    releaseFrame(command);
    if (open) {
      if (small) {
        backpressure.inFlight(-command.frame().length());
      }
      // Its request stays in memory too until it leaves the line. While the client takes nothing,
      // it counts as held: one that reads nothing while it writes large commands answered with
      // +OK would otherwise hold them uncounted. Behind a slow command, it does not.
      command.requestHeld(full ? command.frame().length() : 0);
      backpressure.hold(reply.length() + command.requestHeld());
    }
  }

  /** A large command is answered or dropped: the memory its frame took is free for others. */
  void releaseFrame(Command command) {
    if (command.frameMemory() > 0) {
      frames.release(command.frameMemory());
      command.frameMemory(0);
    }
  }

  /**
   * Writes every reply now next in line, while the socket has room. False when the last reply
   * the connection gets went out, and the connection with it.
   */
  boolean writeAnswered() {
    Buffer batch = null;
    Command head;
    long now = 0;
    while (sendSlices() && slices.hasRoom() && (head = pending.peek()) != null && head != cut
        && head.answered()) {
      pending.poll();
      backpressure.hold(-head.requestHeld());
      Buffer reply = head.reply();
      if (!head.isPush()) {
        if (now == 0) {
          now = System.nanoTime();
        }
        measure(head, reply, now);
      }
      if (head.silent()) {
        backpressure.hold(-reply.length());
        continue;
      }
      if (reply.length() > GATHER_LIMIT) {
        batch = write(batch);
        slices.start(reply);
        continue;
      }
      backpressure.hold(-reply.length());
      if (batch == null && !nextGathers()) {
        // Alone (the common case without pipelining): written as it is, not copied.
        Sockets.send(socket, reply);
      } else {
        if (batch == null) {
          batch = Buffer.buffer(reply.length() + gatherSize());
        }
        batch.appendBuffer(reply);
      }
      if (head == last) {
        // Replies still to come for commands after it are not this client's to hold.
        session.endWith(batch == null ? Buffer.buffer() : batch);
        return false;
      }
    }
    write(batch);
    return true;
  }

  void push(Buffer frame) {
    if (!backpressure.socketFull()) {
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
    backpressure.hold(frame.length());
    backpressure.checkOutputLimit();
  }

  /** Forgets the commands still unanswered: the connection is closing. */
  void drop() {
    int commands = 0;
    for (Command command : pending) {
      commands += command.isPush() ? 0 : 1;
      releaseFrame(command);
    }
    stats.dropped(commands);
    pending.clear();
    slices.clear();
    backpressure.holdNothing();
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
      slowLog.add(command, micros, session.address(), session.name(), config.slowlogMaxLen());
    }
  }

  /** Hands the large reply in progress to the socket while it has room; true once all of it is. */
  private boolean sendSlices() {
    backpressure.hold(-slices.pump());
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
}
