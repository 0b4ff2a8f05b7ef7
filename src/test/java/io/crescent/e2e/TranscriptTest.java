package io.crescent.e2e;

import io.crescent.testing.Proxy;
import io.crescent.testing.RedisServer;
import io.crescent.testing.RespConnection;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed's walkthrough, reply for reply, plus the configuration rules around it. */
class TranscriptTest {

  private static RedisServer redis;
  private static Proxy proxy;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    // Node ids derive from the announced address, so announcing 5299 reproduces the transcript's
    // ids byte for byte while the proxy listens on a free port.
    proxy = Proxy.start(new JsonObject().put("announce_address", "127.0.0.1:5299"));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    redis.close();
  }

  @Test
  void walkthrough() {
    try (RespConnection c = proxy.connect()) {
      assertEquals(new RespConnection.Error("CLUSTERDOWN The cluster is down"), c.call("get", "a"));
      assertEquals(0L, c.call("UMCTL", "READY"));

      assertEquals("OK", c.call("UMCTL", "SETCLUSTER", "1", "NOFLAGS", "mydb", redis.address(), "1", "0-8000",
          "PEER", "mydb", "127.0.0.1:7000", "1", "8001-16383"));
      assertEquals(
          "mydb________________9f8fca2805923328____ 127.0.0.1:5299 myself,master - 0 0 1 connected 0-8000\n"
              + "mydb________________d458dd9b55cc9ad9____ 127.0.0.1:7000 master - 0 0 1 connected 8001-16383\n",
          c.call("CLUSTER", "NODES"));
      assertEquals(new RespConnection.Error("MOVED 15495 127.0.0.1:7000"), c.call("get", "a"));
      assertEquals("OK", c.call("set", "b", "1"));
      assertEquals("1", redis.command("GET", "b"), "the write reached the local Redis");

      assertEquals(1L, c.call("UMCTL", "READY"));
      assertEquals(1L, c.call("UMCTL", "GETEPOCH"));
      assertEquals(List.of("mydb"), c.call("UMCTL", "LISTCLUSTER"));
      assertEquals(new RespConnection.Error("ERR OLD_EPOCH"), c.call("UMCTL", "SETCLUSTER", "1", "NOFLAGS",
          "mydb", redis.address(), "1", "0-16383"));

      Object nodesBefore = c.call("CLUSTER", "NODES");
      Object bad = c.call("UMCTL", "SETCLUSTER", "2", "NOFLAGS", "mydb", redis.address(), "1", "0-9000",
          "PEER", "mydb", "127.0.0.1:7000", "1", "8001-16383");
      assertTrue(bad instanceof RespConnection.Error e && e.message().startsWith("ERR"), "overlap refused: " + bad);
      assertEquals(nodesBefore, c.call("CLUSTER", "NODES"), "a refused configuration changes nothing");

      assertEquals("OK", c.call("UMCTL", "SETCLUSTER", "1", "FORCE", "mydb", redis.address(), "1", "0-100"));
      assertEquals(new RespConnection.Error("CLUSTERDOWN Hash slot not served"), c.call("get", "a"));
      assertEquals("OK", c.call("UMCTL", "SETCLUSTER", "v2", "3", "NOFLAGS", "mydb", redis.address(), "1", "0-16383"));
      assertEquals("1", c.call("get", "b"));
    }
  }
}
