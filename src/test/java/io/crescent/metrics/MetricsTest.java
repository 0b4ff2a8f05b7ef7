package io.crescent.metrics;

import io.crescent.CrescentVerticle;
import io.crescent.testing.FreePorts;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The metrics endpoint of a proxy: health, readiness, and Crescent's own meters moving with traffic. */
class MetricsTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private record Reply(int status, String body) {
  }

  @Test
  void healthReadinessAndRoutingCounters() {
    int metricsPort = FreePorts.next();
    String base = "http://127.0.0.1:" + metricsPort;
    try (RedisServer redis = RedisServer.start();
         Proxy proxy = Proxy.start(new JsonObject().put("metrics_address", "127.0.0.1:" + metricsPort));
         RespConnection c = proxy.connect()) {
      assertEquals(new Reply(200, "ok\n"), get(base + "/health"));
      assertEquals(503, get(base + "/ready").status());
      assertEquals(404, get(base + "/nothing").status());

      assertTrue(c.call("GET", "a") instanceof Error e && e.message().startsWith("CLUSTERDOWN"));
      awaitValue(base, "crescent_clusterdown_total", 1);
      awaitValue(base, "crescent_slot_table_epoch", 0);

      assertEquals("OK", c.call("UMCTL", "SETCLUSTER", "3", "NOFLAGS", "t", redis.address(), "1", "0-8000",
          "PEER", "t", "127.0.0.1:7000", "1", "8001-16383"));
      assertEquals(200, get(base + "/ready").status());
      assertEquals("OK", c.call("SET", "b", "1"));
      assertEquals(new Error("MOVED 15495 127.0.0.1:7000"), c.call("GET", "a"));
      assertEquals(new Error("MOVED 15495 127.0.0.1:7000"), c.call("GET", "a"));
      assertTrue(c.call("MGET", "b", "c") instanceof Error e && e.message().startsWith("CROSSSLOT"));

      awaitValue(base, "crescent_moved_total", 2);
      awaitValue(base, "crescent_crossslot_total", 1);
      awaitValue(base, "crescent_clusterdown_total", 1);
      awaitValue(base, "crescent_slot_table_epoch", 3);
      awaitValue(base, "crescent_client_connections", 1);
      String text = get(base + "/metrics").body();
      assertTrue(text.contains("# TYPE crescent_moved_total counter"), text);
    }
  }

  @Test
  void backendConnectFailuresAndReconnectsByAddress() {
    int metricsPort = FreePorts.next();
    String base = "http://127.0.0.1:" + metricsPort;
    String dead = "127.0.0.1:" + FreePorts.next();
    try (RedisServer redis = RedisServer.start();
         Proxy proxy = Proxy.start(new JsonObject().put("metrics_address", "127.0.0.1:" + metricsPort)
             .put("backend_connect_timeout_ms", 500)
             .put("cluster", new JsonObject().put("epoch", 1).put("name", "t")
                 .put("local", new JsonObject().put(redis.address(), List.of("0-8000"))
                     .put(dead, List.of("8001-16383")))));
         RespConnection c = proxy.connect()) {
      assertTrue(c.call("GET", "a") instanceof Error e && e.message().contains("cannot connect"));
      awaitValue(base, "crescent_backend_connect_failures_total{backend=\"" + dead + "\"}", 1);

      assertEquals("OK", c.call("SET", "b", "1"));
      redis.command("CLIENT", "KILL", "TYPE", "normal");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!"1".equals(c.call("GET", "b"))) {
        assertTrue(System.nanoTime() < deadline, "the proxy never reconnected");
      }
      awaitValue(base, "crescent_backend_reconnects_total{backend=\"" + redis.address() + "\"}", 1);
      awaitValue(base, "crescent_backend_connect_failures_total{backend=\"" + redis.address() + "\"}", 0);
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
    String base = "http://127.0.0.1:" + metricsPort;
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
        awaitValue(base, "crescent_client_connections", 1);
        String text = get(base + "/metrics").body();
        assertTrue(text.contains("vertx_net_server_active_connections"), text);
        assertTrue(text.contains("vertx_net_server_bytes_read_total"), text);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }

  /** Waits for a series to reach {@code expected}: routers publish their counts without a fence. */
  private static void awaitValue(String base, String series, double expected) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    double seen;
    String text;
    do {
      text = get(base + "/metrics").body();
      seen = value(text, series);
      if (seen == expected) {
        return;
      }
      sleep();
    } while (System.nanoTime() < deadline);
    throw new AssertionError(series + " is " + seen + ", expected " + expected + "\n" + text);
  }

  private static double value(String text, String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return Double.NaN;
  }

  private static Reply get(String url) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
          .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new AssertionError("GET " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
