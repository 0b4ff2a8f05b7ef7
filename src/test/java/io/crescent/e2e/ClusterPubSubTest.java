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
    try (Subscribers subscribers = Subscribers.onEveryProxy("news")) {
      try (RespConnection publisher = cluster.proxy(1).connect()) {
        assertEquals(1L, publisher.call("PUBLISH", "news", "hello"), "counts this node's subscribers");
        assertEquals(1L, publisher.call("PUBLISH", "news", "again"));
      }
      for (RespConnection s : subscribers.connections()) {
        assertEquals(List.of("message", "news", "hello"), s.read());
        assertEquals(List.of("message", "news", "again"), s.read(), "in order, once each");
      }
    }
  }

  /**
   * PUBLISH inside MULTI reaches every proxy's subscribers once EXEC runs it, and none after
   * DISCARD. Regression: only this proxy's subscribers got it.
   */
  @Test
  void publishInsideATransactionReachesEveryProxyOnceRun() {
    try (Subscribers subscribers = Subscribers.onEveryProxy("tx")) {
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
      for (RespConnection s : subscribers.connections()) {
        assertEquals(List.of("message", "tx", "run"), s.readWithin(2000, "NO MESSAGE"));
      }
    }
  }

  /** One subscriber to a channel on each proxy of the cluster, closed together. */
  private record Subscribers(List<RespConnection> connections) implements AutoCloseable {

    static Subscribers onEveryProxy(String channel) {
      Subscribers subscribers = new Subscribers(new ArrayList<>());
      try {
        for (int i = 0; i < cluster.size(); i++) {
          RespConnection s = cluster.proxy(i).connect();
          subscribers.connections.add(s);
          assertEquals(List.of("subscribe", channel, 1L), s.call("SUBSCRIBE", channel));
        }
      } catch (RuntimeException | AssertionError e) {
        subscribers.close();
        throw e;
      }
      return subscribers;
    }

    @Override
    public void close() {
      connections.forEach(RespConnection::close);
    }
  }
}
