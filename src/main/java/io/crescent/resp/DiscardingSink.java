package io.crescent.resp;

import io.vertx.core.buffer.Buffer;

/** For commands the proxy sends on its own account, whose replies nobody reads. */
public final class DiscardingSink extends OwnCommandSink {

  public static final DiscardingSink INSTANCE = new DiscardingSink();

  private DiscardingSink() {
  }

  @Override
  public void complete(Command command, Buffer reply) {
  }
}
