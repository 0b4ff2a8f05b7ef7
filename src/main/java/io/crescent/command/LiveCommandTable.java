package io.crescent.command;

import io.crescent.backend.ControlClient;
import io.crescent.config.Passwords;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The command table the routers use, shared by every event loop: the built-in table until the
 * COMMAND reply of a local Redis has been merged into it ({@link CommandTable#mergedWith}), then
 * the merged table, swapped in whole. Readers take {@link #current()} once per batch.
 */
public final class LiveCommandTable {

  private static final Logger log = LoggerFactory.getLogger(LiveCommandTable.class);

  private final CommandTable base;
  private final AtomicReference<CommandTable> current;
  /** Set while a fetch runs and once one has succeeded; cleared by a failure, to try again. */
  private final AtomicBoolean loading = new AtomicBoolean();

  public LiveCommandTable(CommandTable base) {
    this.base = base;
    this.current = new AtomicReference<>(base);
  }

  public CommandTable current() {
    return current.get();
  }

  /**
   * Fetches COMMAND from the Redis at {@code host:port} and swaps in the base table merged with
   * its reply, unless a fetch is running or has already succeeded. Never blocks; a failure
   * (including no reply within {@code timeoutMs}, connecting included) is logged at WARN, keeps
   * the current table, and lets the next call try again. The connection authenticates as the
   * proxy's backend connections do.
   *
   * @return the table in use once this call is done
   */
  public Future<CommandTable> loadFrom(Vertx vertx, String redisAddress, Passwords passwords, long timeoutMs) {
    if (!loading.compareAndSet(false, true)) {
      return Future.succeededFuture(current());
    }
    return ControlClient.send(vertx, redisAddress, passwords, timeoutMs, Request.cmd(Command.COMMAND))
        .map(reply -> {
          CommandTable merged = base.mergedWith((List<?>) tree(reply));
          current.set(merged);
          log.info("Command table completed from the COMMAND reply of {}: {} commands, {} added to"
              + " the built-in {}", redisAddress, reply.size(),
              merged.commands().size() - base.commands().size(), base.commands().size());
          return merged;
        })
        .recover(e -> {
          loading.set(false);
          log.warn("Could not read COMMAND from {}, keeping the built-in command table: {}",
              redisAddress, e.toString());
          return Future.failedFuture(e);
        });
  }

  /** A RESP2 reply as {@link CommandReply} reads it: lists, strings and longs. */
  private static Object tree(Response response) {
    if (response == null) {
      return null;
    }
    return switch (response.type()) {
      case MULTI -> {
        List<Object> list = new ArrayList<>(response.size());
        for (Response child : response) {
          list.add(tree(child));
        }
        yield list;
      }
      case NUMBER -> response.toLong();
      default -> response.toString();
    };
  }
}
