package io.crescent.server;

import io.crescent.resp.Command;
import io.crescent.resp.ProtocolException;
import io.crescent.resp.RequestParser;
import io.crescent.resp.Resp;
import io.crescent.route.Client;
import io.crescent.route.CommandBatch;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.net.NetSocket;

import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * One client connection: parses what the client sends, hands each read's commands to the router
 * in one event-bus message, and writes replies strictly in the order the commands came, however
 * they complete. Everything, including the router and backend work for it, runs on the
 * connection's event loop, so nothing here needs a lock.
 */
final class ClientSession implements Client {

  private final long id;
  private final NetSocket socket;
  private final EventBus bus;
  private final String router;
  private final RequestParser parser = new RequestParser();
  /** Commands sent and not yet answered to the client, oldest first. */
  private final ArrayDeque<Command> pending = new ArrayDeque<>();

  private String name = "";
  private boolean authenticated;
  private boolean admin;
  private Command closeAfter;
  private boolean closed;

  ClientSession(long id, NetSocket socket, EventBus bus, String router) {
    this.id = id;
    this.socket = socket;
    this.bus = bus;
    this.router = router;
  }

  void start() {
    socket.handler(this::onData);
    socket.closeHandler(v -> closed = true);
    socket.exceptionHandler(e -> socket.close());
  }

  private void onData(Buffer data) {
    if (closeAfter != null) {
      return;
    }
    ArrayList<Command> commands = new ArrayList<>();
    ProtocolException error = null;
    try {
      parser.feed(data, commands);
    } catch (ProtocolException e) {
      error = e;
    }
    for (Command command : commands) {
      command.sink(this);
      pending.add(command);
    }
    if (!commands.isEmpty()) {
      bus.send(router, new CommandBatch(this, commands));
    }
    if (error != null) {
      Command placeholder = Command.of();
      placeholder.reply(Resp.error(error.errorReply()));
      pending.add(placeholder);
      closeAfter(placeholder);
      socket.pause();
      flush();
    }
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void name(String name) {
    this.name = name;
  }

  @Override
  public boolean authenticated() {
    return authenticated;
  }

  @Override
  public boolean admin() {
    return admin;
  }

  @Override
  public void authenticated(boolean asAdmin) {
    authenticated = true;
    admin = asAdmin;
  }

  @Override
  public void closeAfter(Command command) {
    if (closeAfter == null) {
      closeAfter = command;
    }
  }

  @Override
  public void complete(Command command, Buffer reply) {
    command.reply(reply);
  }

  @Override
  public void flush() {
    Command head = pending.peek();
    if (head == null || !head.answered()) {
      return;
    }
    // A single reply is written as it is; several are gathered into one write. Replies are
    // constants or slices of a backend's buffer, so they are never appended to.
    Buffer out = null;
    boolean gathered = false;
    boolean end = false;
    while (head != null && head.answered()) {
      pending.poll();
      if (out == null) {
        out = head.reply();
      } else {
        if (!gathered) {
          out = Buffer.buffer(out.length() * 4).appendBuffer(out);
          gathered = true;
        }
        out.appendBuffer(head.reply());
      }
      if (head == closeAfter) {
        end = true;
        break;
      }
      head = pending.peek();
    }
    if (closed) {
      return;
    }
    if (end) {
      pending.clear();
      socket.end(out);
    } else {
      socket.write(out);
    }
  }
}
