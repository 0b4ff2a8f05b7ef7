package io.crescent.e2e;

import io.crescent.testing.Info;
import io.crescent.testing.Proxy;
import io.crescent.testing.RedisServer;
import io.crescent.testing.RespConnection;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The bound on small unanswered commands (a quarter of frame_memory_limit per loop) never strands a client. */
class InFlightBudgetTest {

  /**
   * A client that sends BLPOP while its loop's unanswered commands are past their share is paused
   * until that BLPOP is answered, however long it blocks and however soon the loop recovers. Paused,
   * the proxy does not see the client leave: the BLPOP stays blocked on Redis for nobody and pops
   * the next element pushed, which is lost. Redis itself (and the proxy when not paused) frees a
   * blocked client at its end of stream.
   */
  @Test
  void aClientPausedWhileBlockedIsStillSeenToLeave() throws Exception {
    try (RedisServer redis = RedisServer.start();
         Proxy proxy = Proxy.start(new JsonObject().put("event_loops", 1)
             .put("frame_memory_limit", 64 * 1024)
             .put("cluster", new JsonObject().put("epoch", 1).put("name", "b")
                 .put("local", new JsonObject().put(redis.address(), List.of("0-16383")))));
         RespConnection pipeliner = proxy.connect();
         RespConnection direct = new RespConnection(redis.port())) {
      assertEquals("OK", pipeliner.call("SET", "warm", "1"));
      RespConnection blocker = proxy.connect();
      assertEquals("PONG", blocker.call("PING"));
      String value = "v".repeat(1024);
      redis.signal("STOP");
      try {
        for (int i = 0; i < 40; i++) {
          pipeliner.send("SET", "k" + i, value);
        }
        Thread.sleep(300);
        blocker.send("BLPOP", "q", "0");
        Thread.sleep(300);
      } finally {
        redis.signal("CONT");
      }
      for (int i = 0; i < 40; i++) {
        assertEquals("OK", pipeliner.read());
      }
      assertEquals("1", Info.await(direct, "clients", "blocked_clients", "1", 5));

      blocker.close();
      Thread.sleep(1_000);
      assertEquals(1L, direct.call("LPUSH", "q", "x"));
      assertEquals(1L, direct.call("LLEN", "q"), "the element was popped by a BLPOP of a client gone");
    }
  }

  /** An idle proxy has nothing in flight: INFO does not count itself. */
  @Test
  void infoOnAnIdleProxyShowsNothingInFlight() throws Exception {
    try (RedisServer redis = RedisServer.start();
         Proxy proxy = Proxy.start(new JsonObject().put("cluster", new JsonObject().put("epoch", 1).put("name", "b")
             .put("local", new JsonObject().put(redis.address(), List.of("0-16383")))));
         RespConnection c = proxy.connect()) {
      assertEquals("OK", c.call("SET", "k", "v"));
      assertEquals("0", Info.field(c.call("INFO", "proxy"), "requests_in_flight"));
    }
  }
}
