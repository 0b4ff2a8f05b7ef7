package io.crescent.route;

import io.crescent.resp.ReplySink;
import io.vertx.core.buffer.Buffer;

/**
 * A sink that stands for its client in everything but how a reply is completed: for commands
 * whose reply the client gets changed, or gets as pushes.
 */
abstract class ClientSink implements ReplySink {

  protected final Client client;

  ClientSink(Client client) {
    this.client = client;
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
