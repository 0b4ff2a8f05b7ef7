package io.crescent.e2e;

import io.crescent.testing.ReferenceExtension;
import io.crescent.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CLIENT REPLY, RESET and RESP3 client tracking: per-connection state, compared reply for reply
 * (and silence for silence) with a single-node Redis Cluster.
 */
class ConnectionStateTest {

  @RegisterExtension
  static final ReferenceExtension ref = ReferenceExtension.emptiedBeforeEach();

  /** Runs the same steps against one connection (and a second one) to each server. */
  private static void both(TwoConnections steps) {
    try (RespConnection node = new RespConnection(ref.clusterNode().port());
         RespConnection nodeOther = new RespConnection(ref.clusterNode().port());
         RespConnection viaProxy = ref.proxy().connect();
         RespConnection proxyOther = ref.proxy().connect()) {
      List<Object> expected = new java.util.ArrayList<>();
      List<Object> actual = new java.util.ArrayList<>();
      steps.run(node, nodeOther, expected::add);
      steps.run(viaProxy, proxyOther, actual::add);
      assertEquals(expected, actual);
    }
  }

  interface TwoConnections {
    void run(RespConnection c, RespConnection other, Consumer<Object> record);
  }

  /** A client that kills itself gets the reply, then the connection closes; others are killed at once. */
  @Test
  void clientKillOfItselfAnswersThenCloses() {
    both((c, other, record) -> {
      Object otherId = other.call("CLIENT", "ID");
      record.accept(c.call("CLIENT", "KILL", "ID", String.valueOf(otherId)));
      record.accept(other.closedByPeer());
      Object id = c.call("CLIENT", "ID");
      record.accept(c.call("CLIENT", "KILL", "ID", String.valueOf(id)));
      record.accept(c.call("CLIENT", "KILL", "ID", String.valueOf(id), "SKIPME", "no"));
      record.accept(c.closedByPeer());
    });
  }

  @Test
  void clientReplySkipAndOff() {
    both((c, other, record) -> {
      c.send("CLIENT", "REPLY", "SKIP").send("SET", "{c}a", "1").send("GET", "{c}a");
      record.accept(c.read());
      c.send("CLIENT", "REPLY", "OFF").send("INCR", "{c}n").send("PING").send("CLIENT", "REPLY", "ON");
      record.accept(c.read());
      record.accept(c.call("GET", "{c}n"));
    });
  }

  @Test
  void resetForgetsTransactionsSubscriptionsAndProtocol() {
    both((c, other, record) -> {
      record.accept(c.call("MULTI"));
      record.accept(c.call("SET", "{c}a", "1"));
      record.accept(c.call("RESET"));
      record.accept(c.call("GET", "{c}a"));
      record.accept(c.call("SUBSCRIBE", "ch"));
      record.accept(c.call("RESET"));
      record.accept(other.call("PUBLISH", "ch", "x"));
      record.accept(c.call("HELLO", "3") instanceof RespConnection.Map3);
      record.accept(c.call("GET", "{c}none"));
      record.accept(c.call("RESET"));
      record.accept(c.call("GET", "{c}none"));
    });
  }

  /** MONITOR lines carry timestamps and addresses, so only their content is compared. */
  @Test
  void monitorStreamsTheLocalRedisCommandLog() {
    try (RespConnection monitor = ref.proxy().connect(); RespConnection other = ref.proxy().connect()) {
      assertEquals("OK", monitor.call("MONITOR"));
      assertEquals("OK", other.call("SET", "{c}k", "v"));
      String line = (String) monitor.read();
      assertTrue(Character.isDigit(line.charAt(0)) && line.endsWith("\"SET\" \"{c}k\" \"v\""), line);
      // The proxy answers PING itself, so unlike on a cluster node it does not show in the log.
      assertEquals("PONG", monitor.call("PING"));
      assertEquals("v", other.call("GET", "{c}k"));
      assertTrue(((String) monitor.read()).endsWith("\"GET\" \"{c}k\""));
      assertEquals("RESET", monitor.call("RESET"));
      assertEquals("v", monitor.call("GET", "{c}k"));
    }
  }

  @Test
  void resp3ClientTrackingGetsInvalidations() {
    both((c, other, record) -> {
      c.call("HELLO", "3");
      record.accept(c.call("CLIENT", "TRACKING", "on"));
      record.accept(c.call("GET", "{c}k"));
      record.accept(other.call("SET", "{c}k", "v"));
      record.accept(c.read());
      record.accept(c.call("CLIENT", "TRACKING", "off"));
      record.accept(c.call("PING"));
    });
  }
}
