package io.crescent.e2e;

import io.crescent.testing.Reference;
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
        "PING", "PING hi", "GET k", "SUBSCRIBE news",
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
}
