package io.crescent.e2e;

import io.crescent.testing.Reference;
import io.crescent.testing.RespConnection;
import io.crescent.testing.RespConnection.Error;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transactions and blocking commands, which need a backend connection of the client's own:
 * compared with a single-node Redis Cluster where both can run, and checked for what only the
 * proxy can get wrong (other clients delayed, connections leaked, order across the switch).
 */
class OwnConnectionTest {

  private static final Error EXECABORT = new Error("EXECABORT Transaction discarded because of previous errors.");

  private static Reference ref;

  @BeforeAll
  static void start() {
    ref = Reference.start(new JsonObject().put("backend_timeout_ms", 300), "0-15000");
  }

  @AfterAll
  static void stop() {
    ref.close();
  }

  @BeforeEach
  void flush() {
    ref.flushAll();
  }

  /** Runs the same lines on one connection to each and compares every reply. */
  private static void sameAsClusterNode(String... lines) {
    try (RespConnection node = new RespConnection(ref.clusterNode().port()); RespConnection viaProxy = ref.proxy().connect()) {
      for (String line : lines) {
        String[] args = CommandRoutingTest.tokens(line);
        assertEquals(node.call(args), viaProxy.call(args), line);
      }
    }
  }

  @Test
  void transactionsMatchAClusterNode() {
    sameAsClusterNode("MULTI", "SET {c}a 1", "INCR {c}a", "PING", "ECHO hi", "GET {c}a", "EXEC", "GET {c}a");
    sameAsClusterNode("MULTI", "SET {c}a 1", "DISCARD", "GET {c}a", "EXEC", "DISCARD");
    sameAsClusterNode("MULTI", "SET {c}a 1", "SET {u}b 2", "EXEC", "GET {c}a", "GET {u}b");
    sameAsClusterNode("MULTI", "MSET {c}a 1 {u}b 2", "SET {c}a 1", "EXEC", "GET {c}a");
    sameAsClusterNode("MULTI", "SET {c}a", "SET {c}a 1", "EXEC", "GET {c}a");
    sameAsClusterNode("MULTI", "MULTI", "WATCH {c}a", "EXEC");
    sameAsClusterNode("WATCH {c}a", "UNWATCH", "MULTI", "SET {c}a 1", "EXEC");
  }

  /**
   * What a cluster node runs at EXEC and refuses there: queued, failed in EXEC's reply, the rest
   * applied. Regression: SELECT 1 was relayed and left the pooled Redis connection, and the
   * clients it served next, in database 1; the others doomed the whole transaction.
   */
  @Test
  void clusterRefusalsInsideATransactionFailAtExecAsOnANode() {
    sameAsClusterNode("MULTI", "SELECT 1", "SET {c}a 1", "EXEC", "GET {c}a");
    sameAsClusterNode("MULTI", "SET {c}a 2", "MOVE {c}a 1", "SWAPDB 0 1", "COPY {c}a {c}b DB 1", "SORT {c}l BY x*",
        "SORT {c}l GET x*", "REPLICAOF 127.0.0.1 1", "FAILOVER", "EXEC", "GET {c}a");
    sameAsClusterNode("MULTI", "READONLY", "READWRITE", "ASKING", "SELECT 0", "SELECT x", "SELECT -1", "EXEC");
    sameAsClusterNode("MULTI", "SELECT 2", "BLPOP {c}l 1", "EXEC", "RPUSH {c}l x", "MULTI", "BLPOP {c}l 1", "EXEC");
  }

  /** REPLICAOF on the Redis behind the proxy would replace its data with another server's. */
  @Test
  void replicationCommandsAreRefusedAsOnANode() {
    sameAsClusterNode("REPLICAOF 127.0.0.1 1", "SLAVEOF 127.0.0.1 1", "FAILOVER", "REPLICAOF NO ONE");
    try (RespConnection backend = new RespConnection(ref.backend().port())) {
      assertEquals("master", ((List<?>) backend.call("ROLE")).get(0), "the Redis behind the proxy");
    }
  }

  @Test
  void movedInsideATransactionAbortsIt() {
    try (RespConnection c = ref.proxy().connect()) {
      assertEquals("OK", c.call("MULTI"));
      assertEquals("QUEUED", c.call("SET", "{c}x", "1"));
      assertEquals(new Error("MOVED 15495 127.0.0.1:7000"), c.call("SET", "a", "1"));
      assertEquals(EXECABORT, c.call("EXEC"));
      assertNull(c.call("GET", "{c}x"));
      assertEquals("PONG", c.call("PING"));
    }
  }

  @Test
  void watchedKeyChangedByAnotherClientAbortsExec() {
    try (RespConnection a = ref.proxy().connect(); RespConnection b = ref.proxy().connect()) {
      assertEquals("OK", a.call("WATCH", "{w}k"));
      assertEquals("OK", b.call("SET", "{w}k", "theirs"));
      assertEquals("OK", a.call("MULTI"));
      assertEquals("QUEUED", a.call("SET", "{w}k", "mine"));
      assertNull(a.call("EXEC"));
      assertEquals("theirs", a.call("GET", "{w}k"));
    }
  }

  @Test
  void blockingPopIsReleasedByAnotherClientWithoutDelayingOthers() throws Exception {
    try (RespConnection blocked = ref.proxy().connect(); RespConnection pusher = ref.proxy().connect();
         RespConnection bystander = ref.proxy().connect()) {
      blocked.send("BLPOP", "{q}list", "10");
      Thread.sleep(100);
      long start = System.nanoTime();
      for (int i = 0; i < 100; i++) {
        assertEquals("OK", bystander.call("SET", "{q}other", Integer.toString(i)));
      }
      assertTrue((System.nanoTime() - start) / 1_000_000 < 2_000, "others are not held up");
      assertEquals(1L, pusher.call("RPUSH", "{q}list", "v"));
      assertEquals(List.of("{q}list", "v"), blocked.read());
      assertEquals("PONG", blocked.call("PING"));
    }
  }

  @Test
  void blockingCommandsOutliveTheBackendTimeoutAndKeepOrder() {
    try (RespConnection c = ref.proxy().connect()) {
      c.send("SET", "{o}k", "before").send("BLPOP", "{o}empty", "0.8").send("GET", "{o}k");
      assertEquals("OK", c.read());
      assertNull(c.read(), "BLPOP timed out on Redis's clock, not the proxy's 300 ms");
      assertEquals("before", c.read());
    }
  }

  @Test
  void aClientThatLeavesWhileBlockedDoesNotTakeTheNextElement() throws Exception {
    try (RespConnection pusher = ref.proxy().connect()) {
      try (RespConnection blocked = ref.proxy().connect()) {
        blocked.send("BLPOP", "{g}list", "0");
        Thread.sleep(100);
      }
      Thread.sleep(200);
      assertEquals(1L, pusher.call("RPUSH", "{g}list", "kept"));
      Thread.sleep(100);
      assertEquals(1L, pusher.call("LLEN", "{g}list"));
    }
  }

  @Test
  void ownConnectionsAreReusedNotLeaked() {
    try (RespConnection c = ref.proxy().connect()) {
      for (int i = 0; i < 200; i++) {
        assertEquals("OK", c.call("MULTI"));
        assertEquals("QUEUED", c.call("INCR", "{r}n"));
        assertEquals(List.of((long) i + 1), c.call("EXEC"));
      }
    }
    long connections = ref.backend().command("CLIENT", "LIST").lines().count();
    assertTrue(connections < 20, "Redis sees " + connections + " connections");
  }

  /**
   * HELLO 3 right behind a transaction: the proxy answers it, tells the client's own connection
   * to switch protocol, and gives that connection back. Regression: the release overtook the
   * switch on its way to the backend verticle, which then opened a new connection for the switch
   * alone and kept it, unowned, for good.
   */
  @Test
  void aProtocolSwitchAfterATransactionLeavesNoConnectionBehind() throws InterruptedException {
    long before = ref.backend().command("CLIENT", "LIST").lines().count();
    for (int i = 0; i < 20; i++) {
      try (RespConnection c = ref.proxy().connect()) {
        c.send("MULTI").send("INCR", "{r}n").send("EXEC").send("HELLO", "3");
        assertEquals("OK", c.read());
        assertEquals("QUEUED", c.read());
        assertEquals(List.of((long) i + 1), c.read());
        assertTrue(c.read() instanceof RespConnection.Map3);
        assertEquals(0L, c.call("EXISTS", "{r}none"));
      }
    }
    long deadline = System.currentTimeMillis() + 5000;
    long after = ref.backend().command("CLIENT", "LIST").lines().count();
    while (after > before && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
      after = ref.backend().command("CLIENT", "LIST").lines().count();
    }
    assertTrue(after <= before, "Redis connections went from " + before + " to " + after);
  }
}
