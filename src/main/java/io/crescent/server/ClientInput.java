package io.crescent.server;

import io.crescent.bus.Outbox;
import io.crescent.metrics.CommandStats;
import io.crescent.resp.Command;
import io.crescent.resp.ProtocolException;
import io.crescent.resp.RequestParser;
import io.crescent.route.CommandBatch;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.util.ArrayList;
import java.util.List;

/**
 * What a client sends: each read's commands join its {@link ReplyLine} and go to the router in
 * one batch. Reads stop at QUIT, a protocol error or the client's end of stream, and pause while
 * too many of its commands are unanswered or it is congested.
 */
final class ClientInput {

  /** Redis's default client-query-buffer-limit: a command may not be larger. */
  private static final long QUERY_BUFFER_LIMIT = 1024L * 1024 * 1024;
  /** Unanswered commands beyond which we stop reading from the client. */
  static final int MAX_PENDING = 8192;

  private final ClientSession session;
  private final NetSocket socket;
  private final RequestParser parser;
  private final ReplyLine line;
  private final Backpressure backpressure;
  private final CommandStats stats;
  /** Where this read's commands go: the router of this event loop, with other sessions' reads. */
  private final Outbox<CommandBatch> router;
  private boolean readPaused;
  /** Waiting for the loop's unanswered commands to be within its share again. */
  private boolean waitingForRoom;
  /** The client sent its end of stream. */
  private boolean inputEnded;

  ClientInput(ClientSession session, NetSocket socket, RequestParser parser, ReplyLine line,
      Backpressure backpressure, CommandStats stats, Outbox<CommandBatch> router) {
    this.session = session;
    this.socket = socket;
    this.parser = parser;
    this.line = line;
    this.backpressure = backpressure;
    this.stats = stats;
    this.router = router;
  }

  void onData(Buffer data) {
    if (session.done() || line.hasLast()) {
      return;
    }
    if (data.length() == 0) {
      if (inputEnded) {
        endOfInput();
      }
      return;
    }
    session.sentSomething();
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
      session.disconnect("its query buffer passed " + QUERY_BUFFER_LIMIT
          + " bytes (Redis's client-query-buffer-limit)");
      return;
    }
    // Redis reads nothing after QUIT: what follows it must not run.
    for (int i = 0; i < commands.size(); i++) {
      if (commands.get(i).argc() > 0 && commands.get(i).argIs(0, "quit")) {
        line.last(commands.get(i));
        parser.close();
        commands.subList(i + 1, commands.size()).forEach(line::releaseFrame);
        commands = commands.subList(0, i + 1);
        error = null;
        break;
      }
    }
    long now = System.nanoTime();
    long small = 0;
    for (Command command : commands) {
      command.sink(session);
      command.readNanos(now);
      line.add(command);
      small += command.frameMemory() == 0 ? command.frame().length() : 0;
    }
    backpressure.inFlight(small);
    stats.read(commands.size());
    if (!commands.isEmpty()) {
      router.add(new CommandBatch(session, commands));
    }
    if (error != null) {
      Command placeholder = Command.of();
      placeholder.readNanos(now);
      placeholder.reply(error.errorReply());
      backpressure.hold(placeholder.reply().length());
      line.add(placeholder);
      stats.read(1);
      line.last(placeholder);
    }
    if (line.hasLast()) {
      socket.pause();
      session.flush();
    } else if (line.size() >= MAX_PENDING || backpressure.inFlightSpent()) {
      pause();
      if (backpressure.inFlightSpent() && !waitingForRoom) {
        // Not only once its own commands are answered: one may block for good (BLPOP q 0), and
        // a client not read is not seen to leave, so its BLPOP would pop an element for nobody.
        waitingForRoom = true;
        Context context = Vertx.currentContext();
        backpressure.whenInFlightHasRoom(() -> context.runOnContext(v -> {
          waitingForRoom = false;
          if (!session.done()) {
            resumeIfRoom();
          }
        }));
      }
    }
  }

  /**
   * Everything the client sent before its end of stream has been read. As Redis: the commands it
   * sent whole are answered, a partial one is dropped, then the connection closes. Redis frees a
   * client blocked at its end of stream, so the commands before the first still unanswered that
   * may block are answered and the connection closes there (the router does the same for such a
   * command routed after this).
   */
  private void endOfInput() {
    if (session.done()) {
      return;
    }
    parser.close();
    Command blocking = line.firstBlocking();
    if (blocking != null) {
      session.closeBefore(blocking);
      return;
    }
    session.drain();
  }

  /** Runs first, as the end of stream arrives: the bytes before it may still be on their way. */
  void endSeen() {
    inputEnded = true;
  }

  boolean ended() {
    return inputEnded;
  }

  /** Lets go of a command being read: nothing more will be. */
  void close() {
    parser.close();
  }

  void pause() {
    if (!readPaused) {
      readPaused = true;
      socket.pause();
    }
  }

  void resumeIfRoom() {
    if (readPaused && !session.draining() && !line.hasLast() && line.size() < MAX_PENDING / 2
        && !backpressure.congested() && !backpressure.inFlightSpent()) {
      readPaused = false;
      socket.resume();
    }
  }
}
