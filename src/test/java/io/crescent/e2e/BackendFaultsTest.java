package io.crescent.e2e;

import io.crescent.testing.Proxy;
import io.crescent.testing.RedisServer;
import io.crescent.testing.RespConnection;
import io.crescent.testing.RespConnection.Error;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Redis that stalls, dies, restarts empty, cannot be reached or was never there: clients get
 * errors promptly and in order, nothing that may have run is sent again, and the proxy serves
 * again on its own once Redis is back.
 */
class BackendFaultsTest {

  private static JsonObject ownAllSlots(String redis) {
    return new JsonObject()
        .put("backend_timeout_ms", 500)
        .put("backend_connect_timeout_ms", 500)
        .put("cluster", new JsonObject().put("epoch", 1).put("name", "t")
            .put("local", new JsonObject().put(redis, List.of("0-16383"))));
  }

  @Test
  void stalledRedisTimesOutThenRecovers() throws Exception {
    try (RedisServer redis = RedisServer.start(); Proxy proxy = Proxy.start(ownAllSlots(redis.address()));
         RespConnection c = proxy.connect()) {
      assertEquals("OK", c.call("SET", "k", "1"));
      redis.signal("STOP");
      try {
        long start = System.nanoTime();
        c.send("INCR", "k").send("GET", "k").send("PING");
        Object first = c.read();
        Object second = c.read();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(first instanceof Error e && e.message().contains("timed out"), String.valueOf(first));
        assertEquals(first, second);
        assertEquals("PONG", c.read(), "the proxy's own reply keeps its place in line");
        assertTrue(millis < 3_000, "failed after " + millis + " ms");
      } finally {
        redis.signal("CONT");
      }
      assertEquals("2", awaitValue(c, "k"), "the INCR that may have run is not sent twice");
    }
  }

  @Test
  void deadRedisFailsFastAndIsReconnected() throws Exception {
    int port;
    try (RedisServer redis = RedisServer.start()) {
      port = redis.port();
    }
    String address = "127.0.0.1:" + port;
    try (Proxy proxy = Proxy.start(ownAllSlots(address)); RespConnection c = proxy.connect()) {
      long start = System.nanoTime();
      Object reply = c.call("GET", "k");
      assertTrue(reply instanceof Error e && e.message().startsWith("ERR Crescent: cannot connect to backend "
          + address), String.valueOf(reply));
      assertTrue((System.nanoTime() - start) / 1_000_000 < 2_000);

      Process redis = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no").start();
      try {
        assertEquals("OK", awaitOk(c));
        redis.destroy();
        redis.waitFor();
        Object afterKill = c.call("GET", "k");
        assertTrue(afterKill instanceof Error, String.valueOf(afterKill));
        assertEquals("PONG", c.call("PING"));
      } finally {
        redis.destroyForcibly().waitFor();
      }
    }
  }

  @Test
  void killedRedisFailsWhatWasInFlightAtOnceAndIsServedAgainWhenRestartedEmpty() throws Exception {
    RedisServer redis = RedisServer.start();
    int port = redis.port();
    // A long timeout: the errors must come from the closed connection, not from the timer.
    JsonObject config = ownAllSlots(redis.address()).put("backend_timeout_ms", 20_000);
    try (Proxy proxy = Proxy.start(config); RespConnection c = proxy.connect()) {
      assertEquals("OK", c.call("SET", "k", "before"));
      assertEquals(1L, c.call("INCR", "n"));
      // Stopped first, so the commands are surely written to Redis and left unanswered.
      redis.signal("STOP");
      c.send("INCR", "n").send("GET", "k").send("PING");
      Thread.sleep(200);
      long start = System.nanoTime();
      redis.signal("KILL");
      Object incr = c.read();
      Object get = c.read();
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(incr instanceof Error e && e.message().startsWith("ERR Crescent: connection to backend"),
          String.valueOf(incr));
      assertEquals(incr, get);
      assertEquals("PONG", c.read());
      assertTrue(millis < 3_000, "failed after " + millis + " ms");
      redis.close();

      try (RedisServer restarted = RedisServer.startOn(port)) {
        assertEquals(null, awaitValue(c, "k"), "the restarted Redis is empty");
        assertEquals(1L, c.call("INCR", "n"), "the INCR in flight at the kill was not sent again");
        assertEquals("1", restarted.command("GET", "n"));
      }
    } finally {
      redis.close();
    }
  }

  @Test
  void unreachableRedisFailsWithinTheConnectTimeout() {
    // TEST-NET-1 (RFC 5737): never routed, so a connection either hangs or is refused at once.
    String unreachable = "192.0.2.1:6379";
    try (Proxy proxy = Proxy.start(ownAllSlots(unreachable)); RespConnection c = proxy.connect()) {
      for (int attempt = 0; attempt < 3; attempt++) {
        long start = System.nanoTime();
        c.send("SET", "k", "v").send("PING");
        Object reply = c.read();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(reply instanceof Error e && e.message().startsWith("ERR Crescent: cannot connect to backend "
            + unreachable), String.valueOf(reply));
        assertEquals("PONG", c.read());
        assertTrue(millis < 2_000, "attempt " + attempt + " failed after " + millis + " ms");
      }
    }
  }

  private static Object awaitOk(RespConnection c) throws InterruptedException {
    Object reply = null;
    for (int i = 0; i < 100; i++) {
      reply = c.call("SET", "k", "v");
      if ("OK".equals(reply)) {
        return reply;
      }
      Thread.sleep(50);
    }
    return reply;
  }

  private static Object awaitValue(RespConnection c, String key) throws InterruptedException {
    Object reply = null;
    for (int i = 0; i < 100; i++) {
      reply = c.call("GET", key);
      if (!(reply instanceof Error)) {
        return reply;
      }
      Thread.sleep(50);
    }
    return reply;
  }
}
