package io.crescent.e2e;

import io.crescent.testing.Info;
import io.crescent.testing.Proxy;
import io.crescent.testing.RedisServer;
import io.crescent.testing.RespConnection;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A proxy given a new topology lets go of what the old one named. Regression: the connections to
 * a Redis the proxy no longer served (shared ones, and idle ones kept for clients that need their
 * own) stayed open for good, so reassignments piled connections up on servers that had left.
 */
class TopologyChangeTest {

  @Test
  void connectionsToARedisNoLongerServedAreClosed() throws Exception {
    try (RedisServer before = RedisServer.start(); RedisServer after = RedisServer.start();
         Proxy proxy = Proxy.start(new JsonObject());
         RespConnection admin = new RespConnection(before.port());
         RespConnection c = proxy.connect()) {
      assertEquals("OK", c.call("UMCTL", "SETCLUSTER", "1", "NOFLAGS", "t", before.address(), "1", "0-16383"));
      assertEquals("OK", c.call("SET", "k", "1"));
      assertNull(c.call("BLPOP", "empty", "0.01"), "takes and gives back a connection of its own");
      int opened = Integer.parseInt(Info.field(admin.call("INFO", "clients"), "connected_clients"));
      assertTrue(opened > 1, opened + " connections on the first Redis");

      assertEquals("OK", c.call("UMCTL", "SETCLUSTER", "2", "NOFLAGS", "t", after.address(), "1", "0-16383"));
      assertNull(c.call("GET", "k"), "served by the second Redis now");
      assertEquals("1", Info.await(admin, "clients", "connected_clients", "1", 5),
          "connections left on the Redis the proxy no longer serves, besides this test's");
    }
  }
}
