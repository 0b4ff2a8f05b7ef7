package io.crescent.route;

import io.crescent.resp.Command;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;

import java.util.List;

/**
 * A command from a co-deployed verticle, answered through its event-bus message. It behaves as
 * a trusted RESP2 client with one command and no connection state of its own.
 */
final class BusClient implements Client {

  private final long id;
  private final Message<JsonArray> message;

  BusClient(long id, Message<JsonArray> message) {
    this.id = id;
    this.message = message;
  }

  @Override
  public void complete(Command command, Buffer reply) {
    Object value = RespJson.decode(reply);
    if (value instanceof RespJson.Error error) {
      message.fail(0, error.text());
    } else {
      message.reply(value);
    }
  }

  @Override
  public void flush() {
  }

  @Override
  public void push(Buffer frame) {
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public int lane() {
    return (int) id;
  }

  @Override
  public boolean closed() {
    return false;
  }

  @Override
  public String name() {
    return "";
  }

  @Override
  public void name(String name) {
  }

  @Override
  public boolean authenticated() {
    return true;
  }

  @Override
  public boolean admin() {
    return false;
  }

  @Override
  public void authenticated(boolean asAdmin) {
  }

  @Override
  public Pinned pinned() {
    return null;
  }

  /** Never called: commands that need a connection of their own are refused before routing. */
  @Override
  public void pinned(Pinned pinned) {
    throw new IllegalStateException("event-bus commands hold no connection");
  }

  @Override
  public boolean waitingBefore(Command command) {
    return false;
  }

  @Override
  public void park(Command command) {
    throw new IllegalStateException("event-bus commands are never parked");
  }

  @Override
  public boolean parking() {
    return false;
  }

  @Override
  public List<Command> unpark() {
    return List.of();
  }

  @Override
  public int protocol() {
    return 2;
  }

  @Override
  public void protocol(int version) {
  }

  @Override
  public void replyMode(ReplyMode mode) {
  }

  @Override
  public boolean dropsNextReply() {
    return false;
  }

  @Override
  public void reset() {
  }

  @Override
  public void lastCommand(String name) {
  }

  @Override
  public String lastCommand() {
    return "NULL";
  }

  @Override
  public String address() {
    return "eventbus:0";
  }

  @Override
  public String localAddress() {
    return "eventbus:0";
  }

  @Override
  public long ageMillis() {
    return 0;
  }

  @Override
  public long idleMillis() {
    return 0;
  }

  @Override
  public boolean inputEnded() {
    return false;
  }

  @Override
  public void kill() {
  }

  @Override
  public void closeAfter(Command command) {
  }

  @Override
  public void closeBefore(Command command) {
  }
}
