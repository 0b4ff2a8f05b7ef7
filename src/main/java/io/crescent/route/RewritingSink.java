package io.crescent.route;

import io.crescent.resp.Command;
import io.crescent.resp.ReplySink;
import io.vertx.core.buffer.Buffer;

import java.util.function.UnaryOperator;

/**
 * Passes a backend's reply through a rewrite before the client gets it, as the reply to
 * {@code target}: the command the client sent, which may differ from the one Redis ran.
 */
final class RewritingSink implements ReplySink {

  private final Client client;
  private final Command target;
  private final UnaryOperator<Buffer> rewrite;

  RewritingSink(Client client, Command target, UnaryOperator<Buffer> rewrite) {
    this.client = client;
    this.target = target;
    this.rewrite = rewrite;
  }

  @Override
  public void complete(Command command, Buffer reply) {
    client.complete(target, rewrite.apply(reply));
  }

  @Override
  public void flush() {
    client.flush();
  }

  @Override
  public void push(Buffer frame) {
    client.push(frame);
  }

  @Override
  public boolean congested() {
    return client.congested();
  }

  @Override
  public void onDrained(Runnable action) {
    client.onDrained(action);
  }

  @Override
  public void abandon(long idleNanos) {
    client.abandon(idleNanos);
  }

  @Override
  public Object owner() {
    return client;
  }

  @Override
  public void backendLost() {
    client.backendLost();
  }

  @Override
  public long id() {
    return client.id();
  }
}
