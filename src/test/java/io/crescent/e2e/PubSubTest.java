package io.crescent.e2e;

import io.crescent.testing.Proxy;
import io.crescent.testing.RedisServer;
import io.crescent.testing.RespConnection;
import io.crescent.testing.RespConnection.Error;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Pub/sub through the proxy, frame for frame as a single-node Redis Cluster sends it. */
class PubSubTest {

  private static RedisServer backend;
  private static RedisServer clusterNode;
  private static Proxy proxy;

  @BeforeAll
  static void start() {
    backend = RedisServer.start();
    clusterNode = RedisServer.startClusterNode();
    proxy = Proxy.start(new JsonObject().put("cluster", new JsonObject().put("epoch", 1).put("name", "t")
        .put("local", new JsonObject().put(backend.address(), List.of("0-15000")))
        .put("peers", new JsonObject().put("127.0.0.1:7000", List.of("15001-16383")))));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    clusterNode.close();
    backend.close();
  }

  /**
   * Unsubscribing from everything lists channels in hash-table order, which differs between two
   * servers, so scripts unsubscribe from several channels by name.
   *
   * <p>Runs the script on a subscriber connection to each server; {@code >n} reads n more frames,
   * {@code !cmd} runs cmd on a second connection of the same server.
   */
  private static void sameAsClusterNode(String... script) {
    try (RespConnection node = new RespConnection(clusterNode.port());
         RespConnection nodeOther = new RespConnection(clusterNode.port());
         RespConnection viaProxy = proxy.connect();
         RespConnection proxyOther = proxy.connect()) {
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
        "PING", "PING hi", "GET k", "SUBSCRIBE news",
        "UNSUBSCRIBE news sport", ">1", "PUNSUBSCRIBE",
        "GET k", "PING", "UNSUBSCRIBE", "UNSUBSCRIBE a b", ">1", "PUNSUBSCRIBE");
  }

  @Test
  void shardedPubSubIsSlotRouted() {
    sameAsClusterNode("SSUBSCRIBE {c}ch {c}other", ">1", "!SPUBLISH {c}ch hi", ">1",
        "SSUBSCRIBE {c}ch {u}ch", "SUNSUBSCRIBE {c}other", "SUNSUBSCRIBE", "PING");
    try (RespConnection c = proxy.connect()) {
      assertEquals(new Error("MOVED 15495 127.0.0.1:7000"), c.call("SSUBSCRIBE", "a"));
      assertEquals(new Error("MOVED 15495 127.0.0.1:7000"), c.call("SPUBLISH", "a", "x"));
      assertEquals("PONG", c.call("PING"));
    }
  }

  @Test
  void aSubscriberThatLeavesIsGone() throws Exception {
    try (RespConnection publisher = proxy.connect()) {
      try (RespConnection subscriber = proxy.connect()) {
        assertEquals(List.of("subscribe", "gone", 1L), subscriber.call("SUBSCRIBE", "gone"));
        assertEquals(1L, publisher.call("PUBLISH", "gone", "x"));
      }
      Thread.sleep(200);
      assertEquals(0L, publisher.call("PUBLISH", "gone", "x"));
    }
  }
}
