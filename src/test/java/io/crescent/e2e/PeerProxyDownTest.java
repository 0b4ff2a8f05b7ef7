package io.crescent.e2e;

import io.crescent.cluster.SlotHash;
import io.crescent.testing.FreePorts;
import io.crescent.testing.Proxy;
import io.crescent.testing.ProxyCluster;
import io.crescent.testing.RedisServer;
import io.crescent.testing.RespConnection;
import io.crescent.testing.RespConnection.Error;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Peer proxies that are down: one that accepts connections and never answers (a hung process, a
 * black-holed route), one whose port refuses connections (a stopped process), beside a healthy one.
 * The proxy keeps serving its own slots at normal speed, answers MOVED to the slot table's owner
 * for the others (it has no failover: clients sent to a dead peer fail there), and PUBLISH, the
 * one command it relays to peers, still answers at once and reaches the healthy peer.
 *
 * <p>"Normal speed" is checked loosely: every command is answered well within the backend
 * timeout (3 s) that a command stuck behind a dead peer would wait for.
 */
class PeerProxyDownTest {

  private static final long PROMPT_MS = 1_500;

  private static RedisServer redisA;
  private static RedisServer redisC;
  private static Proxy proxyA;
  private static Proxy proxyC;
  private static BlackHole blackHole;
  private static String refused;

  /** Accepts connections, never reads or writes: what a hung peer looks like from outside. */
  private static final class BlackHole implements AutoCloseable {
    final ServerSocket server;
    final List<Socket> accepted = new CopyOnWriteArrayList<>();

    BlackHole() throws IOException {
      server = new ServerSocket(FreePorts.next(), 50, InetAddress.getLoopbackAddress());
      Thread acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try {
            Socket socket = server.accept();
            socket.setReceiveBufferSize(4096);
            accepted.add(socket);
          } catch (IOException closed) {
            return;
          }
        }
      }, "black-hole");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String address() {
      return "127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }

  @BeforeAll
  static void start() throws IOException {
    redisA = RedisServer.start();
    redisC = RedisServer.start();
    proxyA = Proxy.start(new JsonObject());
    proxyC = Proxy.start(new JsonObject());
    blackHole = new BlackHole();
    refused = "127.0.0.1:" + FreePorts.next();
    // A 0-4095, the black hole 4096-8191, C 8192-12287, the refusing port 12288-16383.
    setCluster(proxyA, redisA, "0-4095", blackHole.address(), "4096-8191", proxyC.address(), "8192-12287",
        refused, "12288-16383");
    setCluster(proxyC, redisC, "8192-12287", proxyA.address(), "0-4095", blackHole.address(), "4096-8191",
        refused, "12288-16383");
  }

  private static void setCluster(Proxy proxy, RedisServer redis, String range, String... peersAndRanges) {
    List<String> args = new ArrayList<>(List.of("UMCTL", "SETCLUSTER", "1", "NOFLAGS", "down", redis.address(), "1",
        range, "PEER"));
    for (int i = 0; i < peersAndRanges.length; i += 2) {
      args.addAll(List.of("down", peersAndRanges[i], "1", peersAndRanges[i + 1]));
    }
    try (RespConnection c = proxy.connect()) {
      assertEquals("OK", c.call(args.toArray(String[]::new)));
    }
  }

  @AfterAll
  static void stop() throws IOException {
    proxyA.close();
    proxyC.close();
    blackHole.close();
    redisA.close();
    redisC.close();
  }

  /** A key of a slot in [first, last], found by counting up. */
  private static String keyIn(int first, int last, int n) {
    for (int i = n; ; i++) {
      String key = "key" + i;
      int slot = SlotHash.slot(key.getBytes(StandardCharsets.US_ASCII));
      if (slot >= first && slot <= last) {
        return key;
      }
    }
  }

  private static Object timed(RespConnection c, String... command) {
    long start = System.nanoTime();
    Object reply = c.call(command);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis < PROMPT_MS, String.join(" ", command) + " took " + millis + " ms");
    return reply;
  }

  @Test
  void ownSlotsAreServedPromptlyAndPeersSlotsAreMoved() {
    try (RespConnection c = proxyA.connect()) {
      for (int i = 0; i < 300; i++) {
        String own = keyIn(0, 4095, i * 7);
        assertEquals("OK", timed(c, "SET", own, "v" + i));
        assertEquals("v" + i, timed(c, "GET", own));
        assertMoved(c, keyIn(4096, 8191, i * 7), blackHole.address());
        assertMoved(c, keyIn(8192, 12287, i * 7), proxyC.address());
        assertMoved(c, keyIn(12288, 16383, i * 7), refused);
      }
      // The slot table is all the proxy knows: the dead peers are listed as connected masters.
      String nodes = String.valueOf(timed(c, "CLUSTER", "NODES"));
      assertTrue(nodes.contains(blackHole.address() + " master - 0 0 1 connected 4096-8191"), nodes);
      assertTrue(nodes.contains(refused + " master - 0 0 1 connected 12288-16383"), nodes);
      assertTrue(String.valueOf(timed(c, "CLUSTER", "INFO")).contains("cluster_state:ok"));
    }
  }

  private static void assertMoved(RespConnection c, String key, String owner) {
    int slot = SlotHash.slot(key.getBytes(StandardCharsets.US_ASCII));
    assertEquals(new Error("MOVED " + slot + " " + owner), timed(c, "GET", key));
  }

  @Test
  void redirectToTheHealthyPeerIsServedThere() {
    String key = keyIn(8192, 12287, 0);
    try (RespConnection a = proxyA.connect(); RespConnection c = proxyC.connect()) {
      assertMoved(a, key, proxyC.address());
      assertEquals("OK", timed(c, "SET", key, "on C"));
      assertEquals("on C", timed(c, "GET", key));
      assertEquals("on C", redisC.command("GET", key));
    }
  }

  /**
   * PUBLISH is relayed to every peer. With one peer hung and one refusing, and enough published
   * to fill the hung peer's socket buffers, each PUBLISH is still answered at once, a subscriber
   * here and one on the healthy peer get every message in order, and commands keep flowing.
   */
  @Test
  void publishAnswersAtOnceAndReachesTheHealthyPeer() {
    String payload = "p".repeat(16 * 1024);
    int messages = 400;
    try (RespConnection publisher = proxyA.connect(); RespConnection other = proxyA.connect();
         RespConnection localSub = proxyA.connect(); RespConnection remoteSub = proxyC.connect()) {
      assertEquals(List.of("subscribe", "news", 1L), localSub.call("SUBSCRIBE", "news"));
      assertEquals(List.of("subscribe", "news", 1L), remoteSub.call("SUBSCRIBE", "news"));
      for (int i = 0; i < messages; i++) {
        assertEquals(1L, timed(publisher, "PUBLISH", "news", i + payload), "counts this proxy's subscriber");
        if (i % 20 == 0) {
          assertEquals("PONG", timed(other, "PING"));
          assertEquals("OK", timed(other, "SET", keyIn(0, 4095, i), "x"));
        }
      }
      for (int i = 0; i < messages; i++) {
        assertEquals(List.of("message", "news", i + payload), localSub.read(), "local message " + i);
        assertEquals(List.of("message", "news", i + payload), remoteSub.read(), "message " + i + " on the healthy peer");
      }
      assertEquals("PONG", timed(publisher, "PING"));
    }
  }

  /**
   * Regression: the proxy gives up on a hung peer's connection when it times out, and on every
   * connection when it stops, even with megabytes queued that the peer will never read. It used to
   * close as Vert.x's {@code NetSocket.close()} does, only once all of it was flushed: the socket
   * and what it queued stayed forever, and stopping the proxy never finished.
   */
  @Test
  void hungPeerConnectionsAreClosedWithDataStillQueued() throws Exception {
    try (RedisServer redis = RedisServer.start(); BlackHole hole = new BlackHole()) {
      Proxy proxy = Proxy.start(new JsonObject().put("backend_timeout_ms", 1000).put("shutdown_timeout_ms", 1000));
      boolean stopped = false;
      try {
        setCluster(proxy, redis, "0-8191", hole.address(), "8192-16383");
        String payload = "p".repeat(16 * 1024);
        try (RespConnection c = proxy.connect()) {
          for (int i = 0; i < 400; i++) {
            assertEquals(0L, timed(c, "PUBLISH", "news", payload));
          }
        }
        int holePort = hole.server.getLocalPort();
        assertTrue(openConnectionsTo(holePort) > 0, "the proxy connected to the hung peer");
        awaitNoOpenConnectionTo(holePort, "after the backend timeout");

        try (RespConnection c = proxy.connect()) {
          for (int i = 0; i < 400; i++) {
            assertEquals(0L, timed(c, "PUBLISH", "news", payload));
          }
        }
        long start = System.nanoTime();
        proxy.close();
        stopped = true;
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 5_000, "stopping took " + millis + " ms");
        awaitNoOpenConnectionTo(holePort, "after stopping");
      } finally {
        if (!stopped) {
          try {
            proxy.close();
          } catch (IllegalStateException hung) {
            // the failure that matters was thrown above
          }
        }
      }
    }
  }

  /**
   * Connections of this process to {@code port} still open on this side: in /proc/net/tcp*, state
   * ESTABLISHED (01) with that remote port. A socket this side has closed is in FIN_WAIT1 or later,
   * even while its unread data is still queued.
   */
  private static int openConnectionsTo(int port) throws IOException {
    String remote = String.format(":%04X", port);
    int open = 0;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(table))) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length > 3 && fields[2].endsWith(remote) && fields[3].equals("01")) {
          open++;
        }
      }
    }
    return open;
  }

  private static void awaitNoOpenConnectionTo(int port, String when) throws Exception {
    long deadline = System.nanoTime() + 15_000_000_000L;
    int open;
    while ((open = openConnectionsTo(port)) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(0, open, "connections to the hung peer still open " + when);
  }

  /**
   * A real peer proxy stopped after its connections were made: the others serve their slots
   * and still redirect to it, and PUBLISH still reaches the remaining peer.
   */
  @Test
  void stoppedPeerInAThreeProxyCluster() {
    try (ProxyCluster cluster = ProxyCluster.start("stop", ProxyCluster.THIRDS)) {
      try (RespConnection remoteSub = cluster.proxy(2).connect(); RespConnection c = cluster.proxy(0).connect()) {
        assertEquals(List.of("subscribe", "ch", 1L), remoteSub.call("SUBSCRIBE", "ch"));
        assertEquals(0L, timed(c, "PUBLISH", "ch", "before"));
        assertEquals(List.of("message", "ch", "before"), remoteSub.read());

        String stoppedAddress = cluster.proxy(1).address();
        cluster.proxy(1).close();
        try (Socket refusedNow = new Socket("127.0.0.1", cluster.proxy(1).port())) {
          throw new AssertionError("the stopped proxy still accepts connections");
        } catch (IOException expected) {
          // refused
        }

        for (int i = 0; i < 100; i++) {
          String own = keyIn(0, 5460, i * 3);
          assertEquals("OK", timed(c, "SET", own, "v"));
          assertMoved(c, keyIn(5461, 10922, i * 3), stoppedAddress);
          assertMoved(c, keyIn(10923, 16383, i * 3), cluster.proxy(2).address());
          assertEquals(0L, timed(c, "PUBLISH", "ch", "after" + i));
        }
        for (int i = 0; i < 100; i++) {
          assertEquals(List.of("message", "ch", "after" + i), remoteSub.read());
        }
      }
    }
  }
}
