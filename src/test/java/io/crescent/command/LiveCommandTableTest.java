package io.crescent.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.crescent.config.Passwords;
import io.crescent.testing.FreePorts;
import io.crescent.testing.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** {@link LiveCommandTable} against a real redis-server, through vertx-redis-client. */
class LiveCommandTableTest {

  private static RedisServer redis;
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    redis.close();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void mergesTheLiveReplyOnceAndSwapsItIn() throws Exception {
    LiveCommandTable live = new LiveCommandTable(CommandTable.builtIn());
    CommandTable loaded = await(live.loadFrom(vertx, redis.address(), Passwords.NONE, 2000));
    assertNotSame(CommandTable.builtIn(), loaded);
    assertSame(loaded, live.current());
    assertEquals(Long.parseLong(redis.command("COMMAND", "COUNT")), loaded.commands().size());
    assertSame(loaded, await(live.loadFrom(vertx, redis.address(), Passwords.NONE, 2000)),
        "fetched only once");
  }

  @Test
  void aFailedFetchKeepsTheBuiltInTableAndCanBeRetried() throws Exception {
    LiveCommandTable live = new LiveCommandTable(CommandTable.builtIn());
    String nobody = "127.0.0.1:" + FreePorts.next();
    assertThrows(ExecutionException.class,
        () -> await(live.loadFrom(vertx, nobody, Passwords.NONE, 1000)));
    assertSame(CommandTable.builtIn(), live.current());
    assertNotSame(CommandTable.builtIn(),
        await(live.loadFrom(vertx, redis.address(), Passwords.NONE, 2000)));
  }

  @Test
  void authenticatesWithTheBackendPassword() throws Exception {
    try (RedisServer secured = RedisServer.start("--requirepass", "s3cret")) {
      LiveCommandTable live = new LiveCommandTable(CommandTable.builtIn());
      assertThrows(ExecutionException.class,
          () -> await(live.loadFrom(vertx, secured.address(), Passwords.NONE, 2000)), "NOAUTH");
      assertNotSame(CommandTable.builtIn(),
          await(live.loadFrom(vertx, secured.address(), new Passwords("", "", "", "s3cret"), 2000)));
    }
  }
}
