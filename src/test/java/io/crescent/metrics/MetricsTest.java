package io.crescent.metrics;

import io.crescent.CrescentVerticle;
import io.crescent.testing.FreePorts;
import io.crescent.testing.MetricsEndpoint;
import io.crescent.testing.Proxy;
import io.crescent.testing.RedisServer;
import io.crescent.testing.RespConnection;
import io.crescent.testing.RespConnection.Error;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The metrics endpoint of a proxy: health, readiness, and Crescent's own meters moving with traffic. */
class MetricsTest {

  @Test
  void healthReadinessAndRoutingCounters() {
    int metricsPort = FreePorts.next();
    MetricsEndpoint endpoint = new MetricsEndpoint(metricsPort);
    try (RedisServer redis = RedisServer.start();
         Proxy proxy = Proxy.start(new JsonObject().put("metrics_address", "127.0.0.1:" + metricsPort));
         RespConnection c = proxy.connect()) {
      assertEquals(new MetricsEndpoint.Reply(200, "ok\n"), endpoint.get("/health"));
      assertEquals(503, endpoint.get("/ready").status());
      assertEquals(404, endpoint.get("/nothing").status());

      assertTrue(c.call("GET", "a") instanceof Error e && e.message().startsWith("CLUSTERDOWN"));
      endpoint.awaitValue("crescent_clusterdown_total", 1);
      endpoint.awaitValue("crescent_slot_table_epoch", 0);

      assertEquals("OK", c.call("UMCTL", "SETCLUSTER", "3", "NOFLAGS", "t", redis.address(), "1", "0-8000",
          "PEER", "t", "127.0.0.1:7000", "1", "8001-16383"));
      assertEquals(200, endpoint.get("/ready").status());
      assertEquals("OK", c.call("UMCTL", "SETCLUSTER", "4", "NOFLAGS"));
      assertEquals(503, endpoint.get("/ready").status(), "a configuration that assigns no slot serves nothing");
      assertEquals("OK", c.call("UMCTL", "SETCLUSTER", "5", "NOFLAGS", "t", redis.address(), "1", "0-8000",
          "PEER", "t", "127.0.0.1:7000", "1", "8001-16383"));
      assertEquals(200, endpoint.get("/ready").status());
      assertEquals("OK", c.call("SET", "b", "1"));
      assertEquals(new Error("MOVED 15495 127.0.0.1:7000"), c.call("GET", "a"));
      assertEquals(new Error("MOVED 15495 127.0.0.1:7000"), c.call("GET", "a"));
      assertTrue(c.call("MGET", "b", "c") instanceof Error e && e.message().startsWith("CROSSSLOT"));

      endpoint.awaitValue("crescent_moved_total", 2);
      endpoint.awaitValue("crescent_crossslot_total", 1);
      endpoint.awaitValue("crescent_clusterdown_total", 1);
      endpoint.awaitValue("crescent_slot_table_epoch", 5);
      endpoint.awaitValue("crescent_client_connections", 1);
      endpoint.awaitValue("crescent_replies_held_bytes", 0);
      endpoint.awaitValue("crescent_frame_memory_used_bytes", 0);
      String text = endpoint.get("/metrics").body();
      assertTrue(text.contains("# TYPE crescent_moved_total counter"), text);
    }
  }

  @Test
  void backendConnectFailuresAndReconnectsByAddress() {
    int metricsPort = FreePorts.next();
    MetricsEndpoint endpoint = new MetricsEndpoint(metricsPort);
    String dead = "127.0.0.1:" + FreePorts.next();
    try (RedisServer redis = RedisServer.start();
         Proxy proxy = Proxy.start(new JsonObject().put("metrics_address", "127.0.0.1:" + metricsPort)
             .put("backend_connect_timeout_ms", 500)
             .put("cluster", new JsonObject().put("epoch", 1).put("name", "t")
                 .put("local", new JsonObject().put(redis.address(), List.of("0-8000"))
                     .put(dead, List.of("8001-16383")))));
         RespConnection c = proxy.connect()) {
      assertTrue(c.call("GET", "a") instanceof Error e && e.message().contains("cannot connect"));
      endpoint.awaitValue("crescent_backend_connect_failures_total{backend=\"" + dead + "\"}", 1);

      assertEquals("OK", c.call("SET", "b", "1"));
      redis.command("CLIENT", "KILL", "TYPE", "normal");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!"1".equals(c.call("GET", "b"))) {
        assertTrue(System.nanoTime() < deadline, "the proxy never reconnected");
      }
      endpoint.awaitValue("crescent_backend_reconnects_total{backend=\"" + redis.address() + "\"}", 1);
      endpoint.awaitValue("crescent_backend_connect_failures_total{backend=\"" + redis.address() + "\"}", 0);
    }
  }

  @Test
  void notReadyWhileTheLocalRedisStallsOrTheProxyShutsDown() throws Exception {
    int metricsPort = FreePorts.next();
    MetricsEndpoint endpoint = new MetricsEndpoint(metricsPort);
    try (RedisServer redis = RedisServer.start()) {
      Proxy proxy = Proxy.start(new JsonObject().put("metrics_address", "127.0.0.1:" + metricsPort)
          .put("backend_timeout_ms", 300).put("shutdown_timeout_ms", 5000)
          .put("cluster", new JsonObject().put("epoch", 1).put("name", "t")
              .put("local", new JsonObject().put(redis.address(), List.of("0-16383")))));
      try (RespConnection c = proxy.connect()) {
        assertEquals(new MetricsEndpoint.Reply(200, "ready\n"), endpoint.get("/ready"));
        redis.signal("STOP");
        MetricsEndpoint.Reply stalled = endpoint.get("/ready");
        redis.signal("CONT");
        assertEquals(503, stalled.status());
        assertTrue(stalled.body().startsWith("backend " + redis.address() + " does not answer PING"), stalled.body());
        assertEquals(200, endpoint.get("/ready").status());

        // A blocked command holds the shutdown open; meanwhile the probe says the proxy is leaving.
        c.send("BLPOP", "queue", "0");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!redis.command("INFO", "clients").contains("blocked_clients:1")) {
          assertTrue(System.nanoTime() < deadline, "BLPOP never reached Redis");
        }
        CompletableFuture<Void> closing = proxy.vertx().close().toCompletionStage().toCompletableFuture();
        MetricsEndpoint.Reply reply;
        while ((reply = endpoint.get("/ready")).status() == 200) {
          assertTrue(System.nanoTime() < deadline, "still ready while shutting down");
        }
        assertEquals(new MetricsEndpoint.Reply(503, "shutting down\n"), reply);
        assertEquals("1", redis.command("RPUSH", "queue", "x"));
        assertEquals(List.of("queue", "x"), c.read());
        closing.get(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aMetricsPortInUseFailsTheStartNamingTheKey() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String address = "127.0.0.1:" + taken.getLocalPort();
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> Proxy.start(new JsonObject().put("metrics_address", address)).close());
      StringBuilder messages = new StringBuilder();
      for (Throwable t = e; t != null; t = t.getCause()) {
        messages.append(t.getMessage()).append('\n');
      }
      assertTrue(messages.toString().contains("metrics_address " + address), messages.toString());
    }
  }

  /** With a Micrometer Prometheus backend on Vert.x (as the launcher sets up), Vert.x's meters are served too. */
  @Test
  void vertxMetersAreServedWhenVertxHasMicrometer() throws Exception {
    int metricsPort = FreePorts.next();
    int port = FreePorts.next();
    MetricsEndpoint endpoint = new MetricsEndpoint(metricsPort);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setEventLoopPoolSize(2).setMetricsOptions(new MicrometerMetricsOptions()
            .setEnabled(true).setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))))
        .withMetrics(new MicrometerMetricsFactory())
        .build();
    try {
      vertx.deployVerticle(new CrescentVerticle(), new DeploymentOptions().setConfig(new JsonObject()
              .put("address", "127.0.0.1:" + port).put("metrics_address", "127.0.0.1:" + metricsPort)))
          .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      try (RespConnection c = new RespConnection(port)) {
        assertEquals("PONG", c.call("PING"));
        endpoint.awaitValue("crescent_client_connections", 1);
        String text = endpoint.get("/metrics").body();
        assertTrue(text.contains("vertx_net_server_active_connections"), text);
        assertTrue(text.contains("vertx_net_server_bytes_read_total"), text);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }
}
