package io.crescent.e2e;

import io.crescent.testing.Info;
import io.crescent.testing.Proxy;
import io.crescent.testing.RedisServer;
import io.crescent.testing.RespConnection;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that writes its commands and then its end of stream, as {@code nc} or a script piped
 * into a socket does: Redis answers every command it got whole and then closes, even when the end
 * of stream arrives with the commands. So must the proxy.
 */
class EndOfStreamTest {

  private static Proxy start(RedisServer redis) {
    return Proxy.start(new JsonObject().put("cluster", new JsonObject()
        .put("epoch", 1).put("name", "t").put("local", new JsonObject().put(redis.address(), List.of("0-16383")))));
  }

  @Test
  void commandsSentBeforeTheEndOfStreamAreAnswered() {
    // More than ClientInput.MAX_PENDING: reading pauses, and the FIN waits behind queued data.
    int count = 20_000;
    try (RedisServer redis = RedisServer.start(); Proxy proxy = start(redis);
         RespConnection client = proxy.connect()) {
      StringBuilder pipeline = new StringBuilder();
      for (int i = 0; i < count; i++) {
        pipeline.append("*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n");
      }
      client.sendRaw(pipeline.append("*1\r\n$4\r\nPI").toString());
      client.shutdownOutput();
      for (int i = 1; i <= count; i++) {
        assertEquals((long) i, client.read(), "reply " + i);
      }
      assertTrue(client.closedByPeer(), "closed after the last reply; the half command is dropped");
      assertEquals(Integer.toString(count), redis.command("GET", "n"));
    }
  }

  @Test
  void aBlockedClientEndingItsStreamIsLetGoAtOnce() throws Exception {
    withClient((redis, client, redisAdmin) -> {
      client.send("BLPOP", "empty", "60");
      client.shutdownOutput();
      assertLetGo(client, redisAdmin);
    });
  }

  /**
   * Redis answers a transaction on the client's own connection, blocks at the BLPOP, then frees
   * the client at its end of stream: the INCR after the BLPOP never runs.
   */
  @Test
  void aTransactionIsAnsweredAndTheBlockingCommandAfterItEndsTheConnection() throws Exception {
    withClient((redis, client, redisAdmin) -> {
      client.send("INCR", "n").send("MULTI").send("INCR", "n").send("EXEC")
          .send("BLPOP", "empty", "60").send("INCR", "n");
      client.shutdownOutput();
      assertEquals(1L, client.read());
      assertEquals("OK", client.read());
      assertEquals("QUEUED", client.read());
      assertEquals(List.of(2L), client.read());
      assertLetGo(client, redisAdmin);
      assertEquals("2", redis.command("GET", "n"), "nothing after the BLPOP ran");
    });
  }

  /**
   * The end of stream comes while a BLPOP is blocked in Redis and a HELLO waits behind it in the
   * proxy (a protocol switch waits for every earlier reply): closed at once all the same.
   */
  @Test
  void anEndOfStreamWhileBlockedClosesWithCommandsHeldBehindTheBlock() throws Exception {
    withClient((redis, client, redisAdmin) -> {
      client.send("MULTI").send("INCR", "n").send("EXEC").send("BLPOP", "empty", "0").send("HELLO", "3")
          .send("INCR", "n");
      assertEquals("OK", client.read());
      assertEquals("QUEUED", client.read());
      assertEquals(List.of(1L), client.read());
      assertEquals("1", awaitBlockedClients(redisAdmin, "1"), "BLPOP blocks in Redis");
      client.shutdownOutput();
      assertLetGo(client, redisAdmin);
      assertEquals("1", redis.command("GET", "n"), "nothing after the BLPOP ran");
    });
  }

  /** What a test does with its Redis, a client of the proxy, and a connection to Redis itself. */
  private interface Scenario {
    void run(RedisServer redis, RespConnection client, RespConnection redisAdmin) throws Exception;
  }

  private static void withClient(Scenario scenario) throws Exception {
    try (RedisServer redis = RedisServer.start(); Proxy proxy = start(redis);
         RespConnection client = proxy.connect(); RespConnection redisAdmin = new RespConnection(redis.port())) {
      scenario.run(redis, client, redisAdmin);
    }
  }

  /** Closed within two seconds, and no Redis connection left blocked for the client. */
  private static void assertLetGo(RespConnection client, RespConnection redisAdmin) throws InterruptedException {
    long start = System.nanoTime();
    assertTrue(client.closedByPeer(), "closed, as Redis frees a blocked client whose stream ended");
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2));
    assertEquals("0", awaitBlockedClients(redisAdmin, "0"), "no Redis connection is left blocked for it");
  }

  /** Redis's blocked_clients once it reads {@code expected}, or after five seconds. */
  private static String awaitBlockedClients(RespConnection redisAdmin, String expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    String blocked = Info.field(redisAdmin.call("INFO", "clients"), "blocked_clients");
    while (!blocked.equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(20);
      blocked = Info.field(redisAdmin.call("INFO", "clients"), "blocked_clients");
    }
    return blocked;
  }
}
