package io.crescent.e2e;

import io.crescent.testing.Proxy;
import io.crescent.testing.RedisServer;
import io.crescent.testing.RespConnection;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redis's client limits, applied by the proxy to its own clients: maxclients and timeout. */
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
}
