package io.crescent.cluster;

import io.crescent.resp.Resp;
import io.vertx.core.buffer.Buffer;

/**
 * A cluster configuration that cannot be accepted. The message is written for the operator who
 * sent it and goes back to them as {@code -ERR <message>}.
 */
public final class ClusterConfigException extends RuntimeException {

  public ClusterConfigException(String message) {
    super(message);
  }

  public Buffer reply() {
    return Resp.error("ERR " + getMessage());
  }
}
