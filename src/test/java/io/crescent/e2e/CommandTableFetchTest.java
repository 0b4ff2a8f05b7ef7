package io.crescent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

import io.crescent.command.CommandTable;
import io.crescent.command.LiveCommandTable;
import io.crescent.testing.Proxy;
import io.crescent.testing.RedisServer;
import io.crescent.testing.RespConnection;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * The proxy reads COMMAND from its local Redis as soon as it has one, from the start-up
 * configuration or from UMCTL SETCLUSTER, and its routers then use the merged table.
 */
class CommandTableFetchTest {

  private static RedisServer redis;
  private static long commandCount;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    commandCount = Long.parseLong(redis.command("COMMAND", "COUNT"));
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  @Test
  void fetchedAtStartFromTheClusterConfiguration() throws InterruptedException {
    try (Proxy proxy = Proxy.start(new JsonObject().put("cluster", new JsonObject()
        .put("epoch", 1).put("name", "test")
        .put("local", new JsonObject().put(redis.address(), List.of("0-16383")))))) {
      CommandTable live = awaitLiveTable(proxy.verticle().commands());
      assertEquals(commandCount, live.commands().size());
      try (RespConnection c = proxy.connect()) {
        assertEquals("OK", c.call("SET", "{t}a", "1"));
        assertEquals(1L, c.call("RPUSH", "{t}l", "1"));
        assertEquals(1L, c.call("SORT", "{t}l", "STORE", "{t}d"));
      }
    }
  }

  @Test
  void fetchedWhenUmctlSetclusterGivesTheFirstLocalRedis() throws InterruptedException {
    try (Proxy proxy = Proxy.start()) {
      LiveCommandTable commands = proxy.verticle().commands();
      assertSame(CommandTable.builtIn(), commands.current(), "no local Redis yet");
      try (RespConnection c = proxy.connect()) {
        assertEquals("OK", c.call("UMCTL", "SETCLUSTER", "1", "NOFLAGS", "test", redis.address(),
            "1", "0-16383"));
      }
      assertEquals(commandCount, awaitLiveTable(commands).commands().size());
    }
  }

  private static CommandTable awaitLiveTable(LiveCommandTable commands)
      throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      CommandTable current = commands.current();
      if (current != CommandTable.builtIn()) {
        return current;
      }
      Thread.sleep(20);
    }
    fail("the proxy did not load its Redis's COMMAND reply within 10 s");
    return null;
  }
}
