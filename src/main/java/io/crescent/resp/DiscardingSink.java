package io.crescent.resp;

import io.vertx.core.buffer.Buffer;

/** For commands the proxy sends on its own account, whose replies nobody reads. */
public final class DiscardingSink implements ReplySink {

  public static final DiscardingSink INSTANCE = new DiscardingSink();

  private DiscardingSink() {
  }

  @Override
  public void complete(Command command, Buffer reply) {
  }

  @Override
  public void flush() {
  }

  @Override
  public void push(Buffer frame) {
  }

  @Override
  public long id() {
    return 0;
  }
}
