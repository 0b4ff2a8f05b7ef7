package io.crescent.e2e;

import io.crescent.testing.FreePorts;
import io.crescent.testing.MetricsEndpoint;
import io.crescent.testing.Proxy;
import io.crescent.testing.RedisServer;
import io.crescent.testing.RespConnection;
import io.crescent.testing.RespConnection.Error;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proxy's own SLOWLOG, kept and answered as Redis keeps and answers its own (compared with a
 * plain redis-server logging every command), and the per-command counters and latency histograms
 * on {@code /metrics}.
 */
class SlowLogAndCommandStatsTest {

  private static RedisServer redis;
  /** Logs every command, as the proxy below does: what both keep of a command must match. */
  private static RedisServer reference;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start("--enable-debug-command", "yes");
    reference = RedisServer.start("--slowlog-log-slower-than", "0");
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
    reference.close();
  }

  private static JsonObject config() {
    return new JsonObject().put("cluster", new JsonObject().put("epoch", 1).put("name", "t")
        .put("local", new JsonObject().put(redis.address(), List.of("0-16383"))));
  }

  @Test
  void entriesAreKeptAsRedisKeepsThem() {
    try (Proxy proxy = Proxy.start(config().put("slowlog_log_slower_than", 0).put("slowlog_max_len", 3));
         RespConnection c = proxy.connect();
         RespConnection r = new RespConnection(reference.port())) {
      List<String> many = new ArrayList<>(List.of("RPUSH", "{k}list"));
      for (int i = 0; i < 40; i++) {
        many.add(i == 3 ? "x".repeat(200) : "v" + i);
      }
      // The first command through a proxy waits for its Redis connection: not what is compared here.
      assertEquals("OK", c.call("SET", "warm", "up"));
      for (RespConnection conn : List.of(c, r)) {
        assertEquals("OK", conn.call("CLIENT", "SETNAME", "tester"));
        assertEquals("OK", conn.call("SLOWLOG", "RESET"));
        conn.call(many.toArray(String[]::new));
        conn.call("AUTH", "default", "not-shown");
      }
      List<?> ours = (List<?>) c.call("SLOWLOG", "GET");
      List<?> theirs = (List<?>) r.call("SLOWLOG", "GET");
      // Newest first: AUTH, RPUSH, and the SLOWLOG RESET before them.
      assertEquals(3, ours.size(), ours.toString());
      for (int i = 0; i < 3; i++) {
        List<?> entry = (List<?>) ours.get(i);
        List<?> expected = (List<?>) theirs.get(i);
        assertEquals(expected.get(3), entry.get(3), "arguments of entry " + i);
        assertEquals("tester", entry.get(5));
        assertTrue(((String) entry.get(4)).startsWith("127.0.0.1:"), entry.toString());
      }
      long newest = (Long) ((List<?>) ours.get(0)).get(0);
      assertEquals(newest - 1, ((List<?>) ours.get(1)).get(0), "ids count up");
      assertEquals(List.of("AUTH", "(redacted)", "(redacted)"), ((List<?>) ours.get(0)).get(3));
      // slowlog_max_len 3: SLOWLOG GET itself pushed out the oldest.
      assertEquals(3L, c.call("SLOWLOG", "LEN"));
      assertEquals(1, ((List<?>) c.call("SLOWLOG", "GET", "1")).size());
      assertEquals(3, ((List<?>) c.call("SLOWLOG", "GET", "-1")).size());
    }
  }

  @Test
  void onlyCommandsSlowerThanTheThresholdAreLogged() {
    try (Proxy proxy = Proxy.start(config().put("slowlog_log_slower_than", 20_000));
         RespConnection c = proxy.connect()) {
      assertEquals("OK", c.call("SET", "a", "1"));
      assertEquals("OK", c.call("SLOWLOG", "RESET"));
      assertEquals("OK", c.call("DEBUG", "SLEEP", "0.05"));
      assertEquals("1", c.call("GET", "a"));
      List<?> entries = (List<?>) c.call("SLOWLOG", "GET");
      assertEquals(1, entries.size(), entries.toString());
      List<?> entry = (List<?>) entries.get(0);
      assertEquals(List.of("DEBUG", "SLEEP", "0.05"), entry.get(3));
      assertTrue((Long) entry.get(2) >= 50_000, "duration in microseconds: " + entry);
      String info = (String) c.call("INFO", "proxy");
      assertTrue(info.contains("\r\nconnected_clients:1\r\n") && info.contains("\r\nslowlog_len:1\r\n")
          && info.contains("\r\ntotal_commands_processed:5\r\n"), info);
      assertEquals("OK", c.call("SLOWLOG", "RESET"));
      assertEquals(0L, c.call("SLOWLOG", "LEN"));
    }
  }

  @Test
  void badArgumentsGetRedisErrors() {
    try (Proxy proxy = Proxy.start(config());
         RespConnection c = proxy.connect();
         RespConnection r = new RespConnection(reference.port())) {
      for (String[] command : List.of(new String[] {"SLOWLOG", "GET", "-2"}, new String[] {"SLOWLOG", "GET", "x"},
          new String[] {"SLOWLOG", "GET", "1", "2"}, new String[] {"SLOWLOG", "LEN", "1"},
          new String[] {"SLOWLOG", "NOPE"}, new String[] {"SLOWLOG", "HELP"})) {
        assertEquals(r.call(command), c.call(command), String.join(" ", command));
      }
    }
  }

  @Test
  void commandsByNameAndOutcomeAndLatencyHistogramsAreServed() {
    int metricsPort = FreePorts.next();
    MetricsEndpoint endpoint = new MetricsEndpoint(metricsPort);
    try (Proxy proxy = Proxy.start(config().put("metrics_address", "127.0.0.1:" + metricsPort));
         RespConnection c = proxy.connect()) {
      for (int i = 0; i < 5; i++) {
        assertEquals("OK", c.call("SET", "a", "x"));
      }
      assertTrue(c.call("INCR", "a") instanceof Error);
      assertTrue(c.call("NOSUCHCOMMAND") instanceof Error);
      assertEquals("PONG", c.call("PING"));
      endpoint.awaitValue("crescent_commands_total{command=\"set\",outcome=\"ok\"}", 5);
      endpoint.awaitValue("crescent_commands_total{command=\"incr\",outcome=\"error\"}", 1);
      endpoint.awaitValue("crescent_commands_total{command=\"unknown\",outcome=\"error\"}", 1);
      endpoint.awaitValue("crescent_commands_total{command=\"ping\",outcome=\"ok\"}", 1);
      endpoint.awaitValue("crescent_command_duration_seconds_count{stage=\"total\"}", 8);
      endpoint.awaitValue("crescent_command_duration_seconds_count{stage=\"proxy\"}", 8);
      endpoint.awaitValue("crescent_command_duration_seconds_bucket{stage=\"total\",le=\"+Inf\"}", 8);
      String text = endpoint.metrics();
      double total = MetricsEndpoint.value(text, "crescent_command_duration_seconds_sum{stage=\"total\"}");
      double proxyOnly = MetricsEndpoint.value(text, "crescent_command_duration_seconds_sum{stage=\"proxy\"}");
      assertTrue(total > 0 && proxyOnly > 0 && proxyOnly < total, "total " + total + ", proxy " + proxyOnly);
      assertTrue(text.contains("# TYPE crescent_command_duration_seconds histogram"), text);

      endpoint.awaitValue("crescent_commands_pending", 0);
      try (RespConnection blocked = proxy.connect()) {
        blocked.send("BLPOP", "queue", "0");
        endpoint.awaitValue("crescent_commands_pending", 1);
        assertEquals(1L, c.call("RPUSH", "queue", "x"));
        assertEquals(List.of("queue", "x"), blocked.read());
        endpoint.awaitValue("crescent_commands_pending", 0);
        blocked.send("BLPOP", "queue", "0");
        endpoint.awaitValue("crescent_commands_pending", 1);
      }
      endpoint.awaitValue("crescent_commands_pending", 0);
    }
  }
}
