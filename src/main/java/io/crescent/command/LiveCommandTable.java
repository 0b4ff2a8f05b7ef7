package io.crescent.command;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
   * the current table, and lets the next call try again. With a non-empty {@code password} the
   * connection authenticates first (as {@code user} when that is non-empty too).
   *
   * @return the table in use once this call is done
   */
  public Future<CommandTable> loadFrom(Vertx vertx, String redisAddress, String user,
      String password, long timeoutMs) {
    if (!loading.compareAndSet(false, true)) {
      return Future.succeededFuture(current());
    }
    RedisOptions options = new RedisOptions()
        .setConnectionString("redis://" + redisAddress)
        .setProtocolNegotiation(false)
        .setPreferredProtocolVersion(ProtocolVersion.RESP2);
    if (!password.isEmpty()) {
      options.setPassword(password);
      if (!user.isEmpty()) {
        options.setUser(user);
      }
    }
    options.getNetClientOptions().setConnectTimeout((int) Math.min(timeoutMs, Integer.MAX_VALUE));
    Redis redis = Redis.createClient(vertx, options);
    return redis.send(Request.cmd(Command.COMMAND))
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .eventually(redis::close)
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
