package io.crescent.route;

import io.crescent.resp.Command;
import io.vertx.core.buffer.Buffer;

import java.util.function.UnaryOperator;

/**
 * Passes a backend's reply through a rewrite before the client gets it, as the reply to
 * {@code target}: the command the client sent, which may differ from the one Redis ran.
 */
final class RewritingSink extends ClientSink {

  private final Command target;
  private final UnaryOperator<Buffer> rewrite;

  RewritingSink(Client client, Command target, UnaryOperator<Buffer> rewrite) {
    super(client);
    this.target = target;
    this.rewrite = rewrite;
  }

  @Override
  public void complete(Command command, Buffer reply) {
    client.complete(target, rewrite.apply(reply));
  }
}
