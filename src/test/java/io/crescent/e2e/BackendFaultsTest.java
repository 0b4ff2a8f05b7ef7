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
 * A Redis that stalls, dies or was never there: clients get errors promptly and in order, and
 * the proxy serves again on its own once Redis is back.
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
  void stalledRedisTimesOutThenRecovers() {
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

  private static Object awaitValue(RespConnection c, String key) {
    Object reply = null;
    for (int i = 0; i < 100; i++) {
      reply = c.call("GET", key);
      if (!(reply instanceof Error)) {
        return reply;
      }
    }
    return reply;
  }
}
