package io.crescent.e2e;

import io.crescent.testing.ProxyCluster;
import io.crescent.testing.RespConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** PUBLISH on any proxy reaches subscribers on every proxy, as Redis Cluster broadcasts it. */
class ClusterPubSubTest {

  private static ProxyCluster cluster;

  @BeforeAll
  static void start() {
    cluster = ProxyCluster.start("pubsub", ProxyCluster.THIRDS);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void publishReachesSubscribersOfEveryProxy() {
    List<RespConnection> subscribers = new ArrayList<>();
    try {
      subscribeOnEveryProxy("news", subscribers);
      try (RespConnection publisher = cluster.proxy(1).connect()) {
        assertEquals(1L, publisher.call("PUBLISH", "news", "hello"), "counts this node's subscribers");
        assertEquals(1L, publisher.call("PUBLISH", "news", "again"));
      }
      for (RespConnection s : subscribers) {
        assertEquals(List.of("message", "news", "hello"), s.read());
        assertEquals(List.of("message", "news", "again"), s.read(), "in order, once each");
      }
    } finally {
      subscribers.forEach(RespConnection::close);
    }
  }

  /**
   * PUBLISH inside MULTI reaches every proxy's subscribers once EXEC runs it, and none after
   * DISCARD. Regression: only this proxy's subscribers got it.
   */
  @Test
  void publishInsideATransactionReachesEveryProxyOnceRun() {
    List<RespConnection> subscribers = new ArrayList<>();
    try {
      subscribeOnEveryProxy("tx", subscribers);
      try (RespConnection publisher = cluster.proxy(1).connect()) {
        assertEquals("OK", publisher.call("MULTI"));
        assertEquals("QUEUED", publisher.call("PUBLISH", "tx", "discarded"));
        assertEquals("OK", publisher.call("DISCARD"));
        // RESET drops the transaction too, and what it queued must never reach anyone.
        publisher.send("MULTI").send("PUBLISH", "tx", "reset").send("RESET").send("MULTI").send("EXEC");
        assertEquals("OK", publisher.read());
        assertEquals("QUEUED", publisher.read());
        assertEquals("RESET", publisher.read());
        assertEquals("OK", publisher.read());
        assertEquals(List.of(), publisher.read());
        assertEquals("OK", publisher.call("MULTI"));
        assertEquals("QUEUED", publisher.call("PUBLISH", "tx", "run"));
        assertEquals(List.of(1L), publisher.call("EXEC"));
      }
      for (RespConnection s : subscribers) {
        assertEquals(List.of("message", "tx", "run"), s.readWithin(2000, "NO MESSAGE"));
      }
    } finally {
      subscribers.forEach(RespConnection::close);
    }
  }

  /** One subscriber to {@code channel} on each proxy, added to {@code subscribers} (closed by the caller). */
  private static void subscribeOnEveryProxy(String channel, List<RespConnection> subscribers) {
    for (int i = 0; i < cluster.size(); i++) {
      RespConnection s = cluster.proxy(i).connect();
      subscribers.add(s);
      assertEquals(List.of("subscribe", channel, 1L), s.call("SUBSCRIBE", channel));
    }
  }
}
