package io.crescent.route;

import io.crescent.resp.Command;
import io.vertx.core.buffer.Buffer;

/**
 * The reply to a command the proxy sent on a client's own connection on its own initiative,
 * which the client gets as frames it did not ask for, as a node sends them (the {@code
 * sunsubscribe} of a shard channel whose slot it lost). An error goes nowhere: the client sent
 * nothing it could answer, and what the command changed is undone.
 */
final class PushedReplySink extends ClientSink {

  private final Pinned pinned;
  private final Subscriptions.Change change;

  PushedReplySink(Client client, Pinned pinned, Subscriptions.Change change) {
    super(client);
    this.pinned = pinned;
    this.change = change;
  }

  @Override
  public void complete(Command command, Buffer reply) {
    pinned.ownCommandAnswered();
    if (reply.length() > 0 && reply.getByte(0) == '-') {
      change.undo();
    } else {
      client.push(reply);
    }
    // The connection may be clean now: the client gives it back once its replies are out.
    client.flush();
  }
}
