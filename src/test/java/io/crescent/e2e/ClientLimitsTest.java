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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis's client limits, applied by the proxy to its own clients: maxclients, timeout and the
 * output buffer limit.
 */
class ClientLimitsTest {

  private static JsonObject config(RedisServer redis) {
    return new JsonObject().put("cluster", new JsonObject().put("epoch", 1).put("name", "t")
        .put("local", new JsonObject().put(redis.address(), List.of("0-16383"))));
  }

  @Test
  void connectionsPastMaxClientsGetRedisErrorAndAreClosed() {
    try (RedisServer redis = RedisServer.start(); Proxy proxy = Proxy.start(config(redis).put("max_clients", 2));
         RespConnection first = proxy.connect(); RespConnection second = proxy.connect()) {
      assertEquals("PONG", first.call("PING"));
      assertEquals("PONG", second.call("PING"));
      try (RespConnection third = proxy.connect()) {
        assertEquals(new RespConnection.Error("ERR max number of clients reached"), third.read());
        assertTrue(third.closedByPeer());
      }
      assertEquals("PONG", first.call("PING"), "the others are unaffected");
    }
  }

  @Test
  void idleClientsAreClosedAfterTimeoutButSubscribersAreNot() throws Exception {
    try (RedisServer redis = RedisServer.start(); Proxy proxy = Proxy.start(config(redis).put("timeout", 1));
         RespConnection idle = proxy.connect(); RespConnection subscriber = proxy.connect()) {
      assertEquals("PONG", idle.call("PING"));
      assertEquals(List.of("subscribe", "ch", 1L), subscriber.call("SUBSCRIBE", "ch"));
      Thread.sleep(2_500);
      assertTrue(idle.closedByPeer(), "idle past the timeout");
      assertFalse(subscriber.closedByPeer(), "subscribers are exempt, as in Redis");
    }
  }

  /**
   * A client that asks for 100 MB of replies and reads none is disconnected, and its connection
   * and what was queued for it are freed at once: Vert.x's ordinary close would wait for the
   * queued bytes to be written, which never happens. Other clients are served meanwhile.
   */
  @Test
  void clientThatReadsNothingIsDisconnectedAndFreed() throws Exception {
    try (RedisServer redis = RedisServer.start();
         Proxy proxy = Proxy.start(config(redis).put("client_output_buffer_limit", 1024 * 1024).put("backend_timeout_ms", 1000));
         RespConnection other = proxy.connect();
         RespConnection hoarder = proxy.connect()) {
      String value = "v".repeat(256 * 1024);
      assertEquals("OK", other.call("SET", "big", value));
      for (int i = 0; i < 400; i++) {
        hoarder.send("GET", "big");
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      String clients = Info.field(other.call("INFO", "proxy"), "connected_clients");
      while (!"1".equals(clients) && System.nanoTime() < deadline) {
        assertEquals(value, other.call("GET", "big"), "another client is served meanwhile");
        Thread.sleep(100);
        clients = Info.field(other.call("INFO", "proxy"), "connected_clients");
      }
      assertEquals("1", clients, "the client that read nothing is gone");
    }
  }

  /**
   * A client that sends 3000 GETs of 10 KB and reads none of the 30 MB of replies for two seconds
   * (as a client writing a whole pipeline before reading does) is served as Redis would serve
   * it: the proxy holds its replies, within {@code held_replies_limit}, and keeps reading from
   * Redis, so another client on the same Redis connection is not held up, and the late reader is
   * not disconnected and gets every reply.
   */
  @Test
  void clientThatReadsLateDoesNotHoldUpOthers() throws Exception {
    try (RedisServer redis = RedisServer.start();
         Proxy proxy = oneRedisConnection(redis, 64 * 1024 * 1024);
         RespConnection other = proxy.connect();
         RespConnection late = proxy.connect()) {
      String value = "v".repeat(10 * 1024);
      assertEquals("OK", other.call("SET", "big", value));
      assertEquals("OK", other.call("SET", "small", "s"));
      int gets = 3000;
      for (int i = 0; i < gets; i++) {
        late.send("GET", "big");
      }
      // The first waits behind the pipeline in the shared Redis connection, as it would behind
      // any client's; after it, nothing is held up by a client that is not reading.
      assertEquals("s", other.call("GET", "small"));
      long worst = worstLatencyFor(other, TimeUnit.SECONDS.toNanos(2));
      assertTrue(worst < TimeUnit.MILLISECONDS.toNanos(500), "another client waited " + worst / 1_000_000 + " ms");
      long held = Long.parseLong(Info.field(other.call("INFO", "proxy"), "replies_held"));
      assertTrue(held > 1024 * 1024, "the proxy holds what the late reader's socket does not take: " + held);
      for (int i = 0; i < gets; i++) {
        assertEquals(value, late.read(), "reply " + i);
      }
      assertEquals("2", Info.field(other.call("INFO", "proxy"), "connected_clients"), "the late reader stays");
      assertEquals("0", Info.field(other.call("INFO", "proxy"), "replies_held"));
    }
  }

  /**
   * Past {@code held_replies_limit} (8 MB here), a client that pipelines 500 GETs of 100 KB and
   * reads none makes the proxy stop reading from Redis for it, and so holds up the others on that
   * Redis connection: it is disconnected after a second of taking nothing while they wait, not
   * after the whole backend timeout (5 s here).
   */
  @Test
  void clientThatReadsNothingPastTheLimitHoldsUpOthersForASecondAtMost() throws Exception {
    try (RedisServer redis = RedisServer.start();
         Proxy proxy = oneRedisConnection(redis, 8 * 1024 * 1024);
         RespConnection other = proxy.connect();
         RespConnection hog = proxy.connect()) {
      assertEquals("OK", other.call("SET", "big", "v".repeat(100 * 1024)));
      assertEquals("OK", other.call("SET", "small", "s"));
      for (int i = 0; i < 500; i++) {
        hog.send("GET", "big");
      }
      long worst = worstLatencyFor(other, TimeUnit.SECONDS.toNanos(4));
      assertTrue(worst < TimeUnit.MILLISECONDS.toNanos(3000), "another client waited " + worst / 1_000_000 + " ms");
      assertEquals("1", Info.field(other.call("INFO", "proxy"), "connected_clients"), "the hog is gone");
    }
  }

  /**
   * A proxy whose clients all share one Redis connection (one event loop), with a 5 s backend
   * timeout and the given {@code held_replies_limit}.
   */
  private static Proxy oneRedisConnection(RedisServer redis, int heldRepliesLimit) {
    return Proxy.start(config(redis).put("backend_timeout_ms", 5000).put("event_loops", 1)
        .put("held_replies_limit", heldRepliesLimit));
  }

  /** The longest a {@code GET small} took, called one after another for {@code nanos}. */
  private static long worstLatencyFor(RespConnection client, long nanos) {
    long worst = 0;
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end) {
      long start = System.nanoTime();
      assertEquals("s", client.call("GET", "small"));
      worst = Math.max(worst, System.nanoTime() - start);
    }
    return worst;
  }

  /**
   * A client that reads nothing writes large commands answered with a short +OK. Their requests
   * stay in memory until their replies go out, behind a reply the client does not read: they
   * count against {@code client_output_buffer_limit} as the replies do. Regression: they were
   * not counted at all, and such a client could run the proxy out of memory.
   */
  @Test
  void largeCommandsWaitingBehindAnUnreadReplyCountAgainstTheLimit() throws Exception {
    int limit = 32 * 1024 * 1024;
    try (RedisServer redis = RedisServer.start();
         Proxy proxy = Proxy.start(config(redis).put("client_output_buffer_limit", limit));
         RespConnection other = proxy.connect()) {
      assertEquals("OK", other.call("SET", "big", "v".repeat(8 * 1024 * 1024)));
      RespConnection hoarder = proxy.connect();
      String arg = "s".repeat(512 * 1024);
      Thread writer = new Thread(() -> {
        try {
          hoarder.send("GET", "big");
          for (int i = 0; i < 200; i++) {
            hoarder.send("SET", "k" + i, arg);
          }
        } catch (RuntimeException closedByTheProxy) {
          // Expected once the proxy has had enough.
        }
      });
      writer.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      String clients = Info.field(other.call("INFO", "proxy"), "connected_clients");
      while (!"1".equals(clients) && System.nanoTime() < deadline) {
        Thread.sleep(100);
        clients = Info.field(other.call("INFO", "proxy"), "connected_clients");
      }
      hoarder.abort();
      writer.join(10_000);
      assertEquals("1", clients, "the client holding 100 MB of answered commands is gone");
      assertEquals("PONG", other.call("PING"));
    }
  }

  /**
   * A client that reads its replies pipelines large SETs to one Redis behind a slow script on
   * another: their replies wait for the script's, not for the client, so their requests do not
   * count against its limit.
   */
  @Test
  void largeCommandsWaitingBehindASlowOneDoNotCountAgainstTheLimit() throws Exception {
    try (RedisServer slow = RedisServer.start(); RedisServer fast = RedisServer.start();
         Proxy proxy = Proxy.start(new JsonObject().put("client_output_buffer_limit", 4 * 1024 * 1024)
             .put("cluster", new JsonObject().put("epoch", 1).put("name", "t")
                 .put("local", new JsonObject().put(slow.address(), List.of("0-8000"))
                     .put(fast.address(), List.of("8001-16383")))));
         RespConnection c = proxy.connect()) {
      String arg = "s".repeat(512 * 1024);
      // {b} hashes to slot 3300 (the slow Redis), {a} to 15495 (the fast one).
      c.send("EVAL", "local n = 0 for i = 1, 30000000 do n = n + i end return 1", "1", "{b}k");
      for (int i = 0; i < 32; i++) {
        c.send("SET", "{a}" + i, arg);
      }
      assertEquals(1L, c.readWithin(10_000, "NO REPLY"), "the script");
      for (int i = 0; i < 32; i++) {
        assertEquals("OK", c.read(), "SET " + i);
      }
    }
  }

  /**
   * A subscriber that reads nothing loses its Redis connection and is closed; the close waits for
   * the replies already written. Regression: meanwhile the proxy kept reading its commands, and
   * the frame memory of a large one stayed taken, refusing every other client's large commands.
   */
  @Test
  void aClientClosedForLosingItsConnectionReadsNothingMore() throws Exception {
    try (RedisServer redis = RedisServer.start(); Proxy proxy = Proxy.start(config(redis));
         RespConnection other = proxy.connect();
         RespConnection subscriber = proxy.connect()) {
      subscriber.send("SUBSCRIBE", "ch");
      String message = "m".repeat(1024 * 1024);
      for (int i = 0; i < 30; i++) {
        other.call("PUBLISH", "ch", message);
      }
      redis.command("CLIENT", "KILL", "TYPE", "pubsub");
      Thread.sleep(300);
      // Half of a 4 MB command: a large frame, whose memory the proxy would reserve as it reads.
      subscriber.sendRaw("*2\r\n$4\r\nECHO\r\n$4194304\r\n" + "e".repeat(2 * 1024 * 1024));
      Thread.sleep(300);
      assertEquals("0", Info.field(other.call("INFO", "proxy"), "frame_memory_used"));
      subscriber.abort();
    }
  }
}
