package io.crescent.resp;

import io.vertx.core.buffer.Buffer;

/** For commands the proxy sends on its own account: there is no client to write or push to. */
public abstract class OwnCommandSink implements ReplySink {

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
