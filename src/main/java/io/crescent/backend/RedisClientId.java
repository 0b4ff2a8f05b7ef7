package io.crescent.backend;

import io.crescent.resp.Command;
import io.crescent.resp.Numbers;
import io.crescent.resp.OwnCommandSink;
import io.vertx.core.buffer.Buffer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.LongConsumer;

/**
 * Redis's id for one connection (its CLIENT ID), asked for when the connection opens: a command
 * blocked on it can only be woken from another connection, by CLIENT UNBLOCK with that id.
 */
final class RedisClientId extends OwnCommandSink {

  private static final Logger log = LoggerFactory.getLogger(RedisClientId.class);

  /** 0 until Redis answered (or if it refused, say for lack of the ACL permission). */
  private long value;
  private LongConsumer waiting;

  /** The CLIENT ID command to send first on a new connection. */
  Command request() {
    value = 0;
    Command command = Command.of("CLIENT", "ID");
    command.sink(this);
    return command;
  }

  /** Runs {@code action} with the id, now or once Redis has told it. */
  void whenKnown(LongConsumer action) {
    if (value > 0) {
      action.accept(value);
    } else {
      waiting = action;
    }
  }

  /** The connection goes back to the pool: what was waiting was for its last client. */
  void forget() {
    waiting = null;
  }

  @Override
  public void complete(Command command, Buffer reply) {
    long id = reply.length() > 3 && reply.getByte(0) == ':'
        ? Numbers.parseLong(reply, 1, reply.length() - 2) : Numbers.INVALID;
    if (id <= 0) {
      log.warn("Redis refused CLIENT ID ({}): clients blocked on a slot this proxy loses will stay blocked; "
          + "allow the backend user CLIENT ID and CLIENT UNBLOCK", reply.toString().trim());
      return;
    }
    value = id;
    if (waiting != null) {
      LongConsumer action = waiting;
      waiting = null;
      action.accept(id);
    }
  }
}
