package io.crescent.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProxyConfigTest {

  @Test
  void defaults() {
    ProxyConfig config = ProxyConfig.defaults();
    assertEquals("127.0.0.1:5299", config.address().toString());
    assertEquals(config.address(), config.announceAddress());
    assertNull(config.metricsAddress());
    assertEquals(1, config.backendConnections());
    assertEquals(3000, config.backendTimeoutMs());
    assertEquals(1000, config.backendConnectTimeoutMs());
    assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), config.eventLoops());
    assertNull(config.cluster());
  }

  @Test
  void environmentBeatsTheFileAndAnnounceFollowsAddress() {
    ProxyConfig config = ProxyConfig.from(
        new JsonObject().put("address", "127.0.0.1:5299").put("backend_connections", 2),
        Map.of("CRESCENT_ADDRESS", "0.0.0.0:6001", "CRESCENT_BACKEND_CONNECTIONS", "4",
            "CRESCENT_CLUSTER", "{\"epoch\":1,\"name\":\"a\"}", "UNRELATED", "x"));
    assertEquals("0.0.0.0:6001", config.address().toString());
    assertEquals("0.0.0.0:6001", config.announceAddress().toString());
    assertEquals(4, config.backendConnections());
    assertEquals("a", config.cluster().getString("name"));
  }

  @Test
  void errorsNameTheKey() {
    assertMessage("unknown configuration key 'adress'", new JsonObject().put("adress", "x"));
    assertMessage("address: invalid address 'localhost'", new JsonObject().put("address", "localhost"));
    assertMessage("announce_address: invalid address '1.2.3.4:99999'",
        new JsonObject().put("announce_address", "1.2.3.4:99999"));
    assertMessage("backend_connections: 0 is out of range", new JsonObject().put("backend_connections", 0));
    assertMessage("backend_timeout_ms: expected a whole number, got 'soon'",
        new JsonObject().put("backend_timeout_ms", "soon"));
    assertMessage("event_loops: expected a whole number", new JsonObject().put("event_loops", 1.5));
    assertMessage("cluster: expected a JSON object", new JsonObject().put("cluster", "nope"));
    assertMessage("metrics_address: invalid address ':9000'", new JsonObject().put("metrics_address", ":9000"));
    ConfigException fromEnv = assertThrows(ConfigException.class,
        () -> ProxyConfig.from(new JsonObject(), Map.of("CRESCENT_EVENT_LOOPS", "many")));
    assertTrue(fromEnv.getMessage().startsWith("event_loops:"), fromEnv.getMessage());
  }

  @Test
  void metricsAddressIsAHostAndPort() {
    ProxyConfig config = ProxyConfig.from(new JsonObject().put("metrics_address", "127.0.0.1:9121"), Map.of());
    assertEquals("127.0.0.1:9121", config.metricsAddress().toString());
    assertNull(ProxyConfig.from(new JsonObject().put("metrics_address", ""), Map.of()).metricsAddress());
    assertEquals("0.0.0.0:9121", ProxyConfig.from(new JsonObject(),
        Map.of("CRESCENT_METRICS_ADDRESS", "0.0.0.0:9121")).metricsAddress().toString());
  }

  private static void assertMessage(String start, JsonObject json) {
    ConfigException e = assertThrows(ConfigException.class, () -> ProxyConfig.from(json, Map.of()));
    assertTrue(e.getMessage().startsWith(start), e.getMessage());
  }
}
