package io.crescent.e2e;

import io.crescent.testing.Proxy;
import io.crescent.testing.RedisServer;
import io.crescent.testing.Reference;
import io.crescent.testing.RespConnection;
import io.crescent.testing.RespConnection.Error;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pub/sub through the proxy, frame for frame as a single-node Redis Cluster sends it. */
class PubSubTest {

  private static Reference ref;

  @BeforeAll
  static void start() {
    ref = Reference.start(new JsonObject(), "0-15000");
  }

  @AfterAll
  static void stop() {
    ref.close();
  }

  /**
   * Unsubscribing from everything lists channels in hash-table order, which differs between two
   * servers, so scripts unsubscribe from several channels by name.
   *
   * <p>Runs the script on a subscriber connection to each server; {@code >n} reads n more frames,
   * {@code !cmd} runs cmd on a second connection of the same server.
   */
  private static void sameAsClusterNode(String... script) {
    try (RespConnection node = new RespConnection(ref.clusterNode().port());
         RespConnection nodeOther = new RespConnection(ref.clusterNode().port());
         RespConnection viaProxy = ref.proxy().connect();
         RespConnection proxyOther = ref.proxy().connect()) {
      for (String line : script) {
        if (line.startsWith(">")) {
          for (int i = 0; i < Integer.parseInt(line.substring(1)); i++) {
            assertEquals(node.read(), viaProxy.read(), "frame after " + line);
          }
        } else if (line.startsWith("!")) {
          String[] args = CommandRoutingTest.tokens(line.substring(1));
          assertEquals(nodeOther.call(args), proxyOther.call(args), line);
        } else {
          String[] args = CommandRoutingTest.tokens(line);
          assertEquals(node.call(args), viaProxy.call(args), line);
        }
      }
    }
  }

  @Test
  void subscribeReceiveAndUnsubscribe() {
    sameAsClusterNode(
        "SUBSCRIBE news sport", ">1",
        "!PUBLISH news hello", ">1",
        "PSUBSCRIBE n*", "!PUBLISH news again", ">2",
        "PING", "PING hi", "GET k", "HELLO", "HELLO 2", "SUBSCRIBE news",
        "UNSUBSCRIBE news sport", ">1", "PUNSUBSCRIBE",
        "GET k", "PING", "UNSUBSCRIBE", "UNSUBSCRIBE a b", ">1", "PUNSUBSCRIBE");
  }

  @Test
  void shardedPubSubIsSlotRouted() {
    sameAsClusterNode("SSUBSCRIBE {c}ch {c}other", ">1", "!SPUBLISH {c}ch hi", ">1",
        "SSUBSCRIBE {c}ch {u}ch", "SUNSUBSCRIBE {c}other", "SUNSUBSCRIBE", "PING");
    try (RespConnection c = ref.proxy().connect()) {
      assertEquals(new Error("MOVED 15495 127.0.0.1:7000"), c.call("SSUBSCRIBE", "a"));
      assertEquals(new Error("MOVED 15495 127.0.0.1:7000"), c.call("SPUBLISH", "a", "x"));
      assertEquals("PONG", c.call("PING"));
    }
  }

  @Test
  void aSubscriberThatLeavesIsGone() throws Exception {
    try (RespConnection publisher = ref.proxy().connect()) {
      try (RespConnection subscriber = ref.proxy().connect()) {
        assertEquals(List.of("subscribe", "gone", 1L), subscriber.call("SUBSCRIBE", "gone"));
        assertEquals(1L, publisher.call("PUBLISH", "gone", "x"));
      }
      Thread.sleep(200);
      assertEquals(0L, publisher.call("PUBLISH", "gone", "x"));
    }
  }

  /**
   * Redis refuses a whole SUBSCRIBE (here its backend user may use no channel, Redis 7's default
   * for a new ACL user): nothing was subscribed, so the UNSUBSCRIBE after it is answered with one
   * frame and replies stay in step. Regression: the proxy counted the channels as subscribed,
   * waited for two UNSUBSCRIBE frames, and the client hung or got each reply one command late.
   */
  @Test
  void aRefusedSubscribeSubscribesNothing() {
    try (RedisServer redis = RedisServer.start()) {
      redis.command("ACL", "SETUSER", "nochannels", "on", ">pw", "~*", "+@all", "resetchannels");
      try (Proxy proxy = Proxy.start(new JsonObject().put("backend_user", "nochannels").put("backend_password", "pw")
               .put("cluster", new JsonObject().put("epoch", 1).put("name", "t")
                   .put("local", new JsonObject().put(redis.address(), List.of("0-16383")))));
           RespConnection c = proxy.connect()) {
        Object refused = c.call("SUBSCRIBE", "a", "b");
        assertTrue(refused instanceof Error e && e.message().startsWith("NOPERM"), String.valueOf(refused));
        c.send("UNSUBSCRIBE");
        assertEquals(Arrays.asList("unsubscribe", null, 0L), c.readWithin(2000, "NO REPLY"));
        // The same in one write: the UNSUBSCRIBE is read before Redis has refused the SUBSCRIBE.
        c.send("SUBSCRIBE", "a", "b").send("UNSUBSCRIBE");
        assertTrue(c.readWithin(2000, "NO REPLY") instanceof Error);
        assertEquals(Arrays.asList("unsubscribe", null, 0L), c.readWithin(2000, "NO REPLY"));
        assertEquals("OK", c.call("SET", "k", "v"));
        assertEquals("v", c.call("GET", "k"));
      }
    }
  }
}
