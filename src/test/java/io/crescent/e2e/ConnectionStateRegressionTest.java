package io.crescent.e2e;

import io.crescent.testing.Proxy;
import io.crescent.testing.RedisServer;
import io.crescent.testing.RespConnection;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Corners of connection state found in review: lost or refused connections of a client's own,
 * binary channel names, protocol switches, RESP3 subscribed mode, and leaks on disconnect.
 */
class ConnectionStateRegressionTest {

  static RedisServer backend;
  static Proxy proxy;
  static Proxy proxyWithPeer;
  static Proxy oneDedicated;

  @BeforeAll
  static void start() {
    backend = RedisServer.start();
    proxy = Proxy.start(new JsonObject().put("cluster", new JsonObject().put("epoch", 1).put("name", "t")
        .put("local", new JsonObject().put(backend.address(), List.of("0-16383")))));
    proxyWithPeer = Proxy.start(new JsonObject().put("cluster", new JsonObject().put("epoch", 1).put("name", "t")
        .put("local", new JsonObject().put(backend.address(), List.of("0-8000")))
        .put("peers", new JsonObject().put("127.0.0.1:1", List.of("8001-16383")))));
    oneDedicated = Proxy.start(new JsonObject().put("event_loops", 1).put("dedicated_connections", 1)
        .put("cluster", new JsonObject().put("epoch", 1).put("name", "t")
        .put("local", new JsonObject().put(backend.address(), List.of("0-16383")))));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    proxyWithPeer.close();
    oneDedicated.close();
    backend.close();
  }

  @BeforeEach
  void flush() {
    backend.flushAll();
  }

  private static void killBackendClients() {
    backend.command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
    sleep(300);
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A client's own Redis connection that drops (Redis restarted, its timeout) takes its WATCH,
   * MULTI or subscriptions with it: the client is disconnected, as from a restarted cluster
   * node, and nothing it sends afterwards runs outside the state it believed it had.
   */
  @Test
  void losingAWatchedConnectionDisconnectsTheClient() {
    try (RespConnection c = proxy.connect()) {
      assertEquals("OK", c.call("WATCH", "k"));
      killBackendClients();
      assertTrue(c.closedByPeer());
    }
  }

  @Test
  void losingATransactionConnectionDisconnectsTheClient() {
    try (RespConnection c = proxy.connect()) {
      assertEquals("OK", c.call("MULTI"));
      assertEquals("QUEUED", c.call("SET", "a", "1"));
      killBackendClients();
      assertTrue(c.closedByPeer());
    }
    assertNull(backend.command("GET", "a"));
  }

  @Test
  void losingASubscriptionDisconnectsTheClient() {
    try (RespConnection c = proxy.connect()) {
      c.send("SUBSCRIBE", "a", "b");
      c.read();
      c.read();
      backend.command("CLIENT", "KILL", "TYPE", "pubsub");
      assertTrue(c.closedByPeer());
    }
  }

  private static String bulk(byte[] b) {
    return "$" + b.length + "\r\n" + new String(b, StandardCharsets.ISO_8859_1) + "\r\n";
  }

  @Test
  void binaryChannelNamesDesyncFrameCount() {
    try (RespConnection c = proxy.connect()) {
      c.sendRaw("*3\r\n$9\r\nSUBSCRIBE\r\n" + bulk(new byte[] {(byte) 0xff}) + bulk(new byte[] {(byte) 0xfe}));
      c.read(); c.read();
      c.sendRaw("*1\r\n$11\r\nUNSUBSCRIBE\r\n");
      Object u1 = c.readWithin(2000, "TIMEOUT");
      Object u2 = c.readWithin(2000, "TIMEOUT");
      assertTrue(u2 instanceof List<?>, "u1=" + u1 + " u2=" + u2);
      assertEquals("PONG", c.call("PING"));
    }
  }

  @Test
  void helloWhilePinnedButNotSubscribed() {
    backend.command("HSET", "h", "f", "v");
    try (RespConnection c = proxy.connect()) {
      assertEquals("OK", c.call("WATCH", "h"));
      c.call("HELLO", "3");
      Object r = c.call("HGETALL", "h");
      assertTrue(r instanceof RespConnection.Map3, "RESP3 client got " + r);
    }
  }

  @Test
  void helloInSameBatchAsEarlierCommand() {
    backend.command("HSET", "h", "f", "v");
    try (RespConnection c = proxy.connect()) {
      c.sendRaw("*2\r\n$7\r\nHGETALL\r\n$1\r\nh\r\n*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n");
      Object r = c.read();
      c.read();
      assertTrue(r instanceof List<?>, "RESP2 HGETALL got " + r);
    }
  }

  @Test
  void resp3SubscribedReplyLookingLikeMessage() {
    backend.command("RPUSH", "l", "message", "x", "y");
    try (RespConnection c = proxy.connect()) {
      c.call("HELLO", "3");
      c.send("SUBSCRIBE", "ch");
      c.read();
      c.send("LRANGE", "l", "0", "-1").send("PING");
      Object r = c.readWithin(2000, "TIMEOUT");
      Object p1 = c.readWithin(2000, "TIMEOUT");
      Object extra = c.readWithin(1000, "NOTHING");
      backend.command("PUBLISH", "ch", "hi");
      Object msg = c.readWithin(2000, "NO MESSAGE");
      assertEquals(List.of("message", "x", "y"), r, "a reply shaped like a message is still a reply");
      assertEquals("PONG", p1);
      assertEquals("NOTHING", extra);
      assertEquals(new RespConnection.Push(List.of("message", "ch", "hi")), msg);
    }
  }

  @Test
  void resp3SubscribedKeyedCommandSkipsSlotCheck() {
    // "a" hashes to 15495 (peer's)
    backend.command("SET", "a", "local-value");
    try (RespConnection c = proxyWithPeer.connect()) {
      c.call("HELLO", "3");
      c.send("SUBSCRIBE", "ch");
      c.read();
      Object r = c.call("GET", "a");
      assertTrue(r instanceof RespConnection.Error && r.toString().contains("MOVED"), "GET a got " + r);
    }
  }

  /** Past dedicated_connections a client is refused and disconnected, as at maxclients. */
  @Test
  void aClientRefusedItsOwnConnectionIsDisconnected() {
    try (RespConnection holder = oneDedicated.connect(); RespConnection c = oneDedicated.connect()) {
      holder.send("SUBSCRIBE", "x");
      holder.read();
      Object multi = c.call("MULTI");
      assertTrue(multi instanceof RespConnection.Error e && e.message().contains("dedicated_connections"), "" + multi);
      assertTrue(c.closedByPeer());
      holder.send("UNSUBSCRIBE");
      holder.read();
      sleep(200);
      try (RespConnection next = oneDedicated.connect()) {
        assertEquals(List.of("subscribe", "y", 1L), next.call("SUBSCRIBE", "y"));
      }
    }
  }

  @Test
  void closeRightAfterSubscribeLeaksDedicatedConnection() throws Exception {
    for (int i = 0; i < 200; i++) {
      try (Socket s = new Socket("127.0.0.1", proxy.port())) {
        OutputStream out = s.getOutputStream();
        out.write("*2\r\n$9\r\nSUBSCRIBE\r\n$4\r\nleak\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    }
    sleep(1500);
    try (RespConnection r = new RespConnection(backend.port())) {
      Object n = r.call("PUBSUB", "NUMSUB", "leak");
      assertEquals(List.of("leak", 0L), n);
    }
  }

  /** A WATCH sent while subscribed in RESP3 keeps the connection the client's own. */
  @Test
  void stateTakenWhileSubscribedInResp3IsNeverPooled() {
    try (RespConnection c1 = oneDedicated.connect()) {
      c1.call("HELLO", "3");
      c1.send("SUBSCRIBE", "ch");
      c1.read();
      assertEquals("OK", c1.call("WATCH", "k"));
      c1.send("UNSUBSCRIBE", "ch");
      c1.read();
      sleep(200);
      try (RespConnection c2 = oneDedicated.connect()) {
        Object multi = c2.call("MULTI");
        assertTrue(multi instanceof RespConnection.Error, "c1 still holds its watched connection: " + multi);
      }
      backend.command("SET", "k", "x");
      assertEquals("OK", c1.call("MULTI"));
      assertEquals("QUEUED", c1.call("SET", "k", "1"));
      assertEquals(RespConnection.Null3.NULL, c1.call("EXEC"), "c1's own WATCH still applies to c1");
    }
  }

  /**
   * A connection given back to the idle pool that Redis then drops (restart, timeout, CLIENT
   * KILL). Regression: its last client was disconnected for "losing its own connection" it no
   * longer had, and the dead connection was handed to the next client that needed one.
   */
  @Test
  void anIdleConnectionRedisDropsHarmsNobody() {
    try (RespConnection a = oneDedicated.connect(); RespConnection b = oneDedicated.connect();
         RespConnection publisher = oneDedicated.connect()) {
      assertNull(a.call("BLPOP", "nolist", "0.01"));
      String blpop = backend.command("CLIENT", "LIST").lines().filter(l -> l.contains("cmd=blpop"))
          .findFirst().orElseThrow();
      backend.command("CLIENT", "KILL", "ID", blpop.substring(3, blpop.indexOf(' ')));
      sleep(300);
      assertEquals("PONG", a.call("PING"), "the client that used it last is not disconnected");
      assertEquals(List.of("subscribe", "ch", 1L), b.call("SUBSCRIBE", "ch"));
      assertEquals(1L, publisher.call("PUBLISH", "ch", "x"));
      assertEquals(List.of("message", "ch", "x"), b.read());
    }
  }

  /**
   * CLIENT REPLY SKIP before a command that waits for the replies before it (HELLO, a blocking
   * command). Regression: the wait took the SKIP and the command, routed again, took none, so its
   * reply was sent and the client was one reply out of step from then on.
   */
  @Test
  void replySkipBeforeACommandThatWaits() {
    try (RespConnection c = proxy.connect()) {
      c.send("INCR", "x").send("CLIENT", "REPLY", "SKIP").send("BLPOP", "nolist", "0.01").send("PING");
      assertEquals(1L, c.read());
      assertEquals("PONG", c.read());
      c.send("INCR", "x").send("CLIENT", "REPLY", "SKIP").send("HELLO", "3").send("PING");
      assertEquals(2L, c.read());
      assertEquals("PONG", c.read());
      assertTrue(c.call("HGETALL", "nohash") instanceof RespConnection.Map3, "HELLO 3 ran");
    }
  }

  /**
   * Commands held back twice: the BLPOP waits for the INCR before it, the HELLO behind it then
   * waits for the BLPOP, and the INCR last waits for both. Each runs once, in order, and every
   * reply comes in its place.
   */
  @Test
  void commandsHeldBackTwiceRunOnceInOrder() {
    try (RespConnection c = proxy.connect()) {
      ByteArrayOutputStream oneWrite = new ByteArrayOutputStream();
      oneWrite.writeBytes(RedisServer.RespText.encode("INCR", "twice"));
      oneWrite.writeBytes(RedisServer.RespText.encode("BLPOP", "nolist", "0.05"));
      oneWrite.writeBytes(RedisServer.RespText.encode("HELLO", "3"));
      oneWrite.writeBytes(RedisServer.RespText.encode("INCR", "twice"));
      c.sendRaw(oneWrite.toByteArray());
      assertEquals(1L, c.read());
      assertNull(c.read(), "the BLPOP times out");
      assertTrue(c.read() instanceof RespConnection.Map3, "HELLO 3");
      assertEquals(2L, c.read());
      assertEquals(RespConnection.Null3.NULL, c.call("GET", "nokey"), "RESP3 from then on");
    }
    assertEquals("2", backend.command("GET", "twice"));
  }

  /**
   * RESET right behind a command of a RESP3 client: as HELLO, it waits for the replies before it,
   * which stay in RESP3. Regression: the command went over a RESP2 connection.
   */
  @Test
  void resetDoesNotChangeTheProtocolOfCommandsBeforeIt() {
    backend.command("HSET", "h", "f", "v");
    try (RespConnection c = proxy.connect()) {
      c.call("HELLO", "3");
      c.send("HGETALL", "h").send("RESET");
      assertEquals(new RespConnection.Map3(List.of("f", "v")), c.read());
      assertEquals("RESET", c.read());
      assertEquals(List.of("f", "v"), c.call("HGETALL", "h"), "RESP2 after RESET");
    }
  }

  /**
   * A RESP3 subscriber that sends HELLO again. Regression: the proxy's own HELLO on the
   * subscriber's connection took its pushes, and after HELLO 2 the connection's messages were
   * read as replies nobody asked for.
   */
  @Test
  void helloWhileSubscribedInResp3() {
    try (RespConnection c = proxy.connect(); RespConnection publisher = proxy.connect()) {
      c.call("HELLO", "3");
      assertEquals(new RespConnection.Push(List.of("subscribe", "ch", 1L)), c.call("SUBSCRIBE", "ch"));
      assertTrue(c.call("HELLO", "3") instanceof RespConnection.Map3);
      assertEquals(1L, publisher.call("PUBLISH", "ch", "x"));
      assertEquals(new RespConnection.Push(List.of("message", "ch", "x")), c.readWithin(2000, "NO MESSAGE"));
      assertTrue(c.call("HELLO", "2") instanceof List<?>);
      assertEquals(1L, publisher.call("PUBLISH", "ch", "y"));
      assertEquals(List.of("message", "ch", "y"), c.readWithin(2000, "NO MESSAGE"));
    }
  }

  /**
   * CLIENT KILL of itself with QUIT or a bad frame behind it, read together: the connection closes
   * after the kill's reply. Regression: the QUIT, read first, stayed the command to close after,
   * but was never routed, and the connection hung.
   */
  @Test
  void clientKillOfItselfBeforeQuitClosesAfterTheKill() {
    for (String after : List.of("*1\r\n$4\r\nQUIT\r\n", "*1\r\n$x\r\n")) {
      try (RespConnection c = proxy.connect()) {
        Object id = c.call("CLIENT", "ID");
        ByteArrayOutputStream oneWrite = new ByteArrayOutputStream();
        oneWrite.writeBytes(RedisServer.RespText.encode("CLIENT", "KILL", "ID", id.toString(), "SKIPME", "no"));
        oneWrite.writeBytes(RedisServer.RespText.encode("INCR", "after"));
        oneWrite.writeBytes(after.getBytes(StandardCharsets.US_ASCII));
        c.sendRaw(oneWrite.toByteArray());
        assertEquals(1L, c.readWithin(2000, "NO REPLY"));
        assertTrue(c.closedByPeer(), "closed after the kill, with " + after.trim());
      }
    }
    assertNull(backend.command("GET", "after"));
  }

  /** As Redis, nothing a client sent after CLIENT KILL of itself runs. */
  @Test
  void nothingRunsAfterClientKillOfItself() {
    try (RespConnection c = proxy.connect()) {
      Object id = c.call("CLIENT", "ID");
      ByteArrayOutputStream oneWrite = new ByteArrayOutputStream();
      oneWrite.writeBytes(RedisServer.RespText.encode("CLIENT", "KILL", "ID", id.toString(), "SKIPME", "no"));
      oneWrite.writeBytes(RedisServer.RespText.encode("INCR", "after"));
      oneWrite.writeBytes(RedisServer.RespText.encode("BLPOP", "l", "0"));
      c.sendRaw(oneWrite.toByteArray());
      assertEquals(1L, c.read());
      assertTrue(c.closedByPeer());
    }
    sleep(200);
    assertNull(backend.command("GET", "after"));
    assertEquals("0", backend.command("INFO", "clients").lines().filter(l -> l.startsWith("blocked_clients:"))
        .findFirst().orElseThrow().substring("blocked_clients:".length()).trim());
  }
}
