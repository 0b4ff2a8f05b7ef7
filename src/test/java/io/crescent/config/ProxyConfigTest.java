package io.crescent.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

  /** Passwords never appear in logs, even mistyped as numbers. */
  @Test
  void aPasswordOfTheWrongTypeIsNotEchoed() {
    for (String key : List.of("password", "admin_password", "backend_password")) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> ProxyConfig.from(new JsonObject().put(key, 987654321), Map.of()));
      assertFalse(e.getMessage().contains("987654321"), e.getMessage());
      assertTrue(e.getMessage().startsWith(key + ": expected a string"), e.getMessage());
    }
  }

  @Test
  void metricsAddressIsAHostAndPort() {
    ProxyConfig config = ProxyConfig.from(new JsonObject().put("metrics_address", "127.0.0.1:9121"), Map.of());
    assertEquals("127.0.0.1:9121", config.metricsAddress().toString());
    assertNull(ProxyConfig.from(new JsonObject().put("metrics_address", ""), Map.of()).metricsAddress());
    assertEquals("0.0.0.0:9121", ProxyConfig.from(new JsonObject(),
        Map.of("CRESCENT_METRICS_ADDRESS", "0.0.0.0:9121")).metricsAddress().toString());
  }

  /**
   * One valid value, other than the default, for every setting but {@code transport}, whose only
   * valid value is its default, {@code nio}.
   */
  private static final Map<Setting, Object> OTHER_VALUES = Map.ofEntries(
      Map.entry(Setting.ADDRESS, "127.0.0.1:1"), Map.entry(Setting.ANNOUNCE_ADDRESS, "127.0.0.1:2"),
      Map.entry(Setting.METRICS_ADDRESS, "127.0.0.1:3"), Map.entry(Setting.EVENT_LOOPS, 5),
      Map.entry(Setting.BACKEND_CONNECTIONS, 2), Map.entry(Setting.DEDICATED_CONNECTIONS, 6),
      Map.entry(Setting.BACKEND_CONNECT_TIMEOUT_MS, 7), Map.entry(Setting.CONFIG_SCAN_PERIOD_MS, 77),
      Map.entry(Setting.BACKEND_TIMEOUT_MS, 9), Map.entry(Setting.TIMEOUT, 11), Map.entry(Setting.MAX_CLIENTS, 13),
      Map.entry(Setting.CLIENT_OUTPUT_BUFFER_LIMIT, 15), Map.entry(Setting.HELD_REPLIES_LIMIT, 16),
      Map.entry(Setting.FRAME_MEMORY_LIMIT, 18),
      Map.entry(Setting.SHUTDOWN_TIMEOUT_MS, 17),
      Map.entry(Setting.SLOWLOG_LOG_SLOWER_THAN, 19), Map.entry(Setting.SLOWLOG_MAX_LEN, 21),
      Map.entry(Setting.LOG_LEVEL, "debug"), Map.entry(Setting.PASSWORD, "p"), Map.entry(Setting.ADMIN_PASSWORD, "a"),
      Map.entry(Setting.BACKEND_USER, "u"), Map.entry(Setting.BACKEND_PASSWORD, "b"),
      Map.entry(Setting.CLUSTER, new JsonObject().put("epoch", 1).put("name", "x")));

  @Test
  void aReloadChangesTheRuntimeSettingsAndReportsTheOthers() {
    for (Setting setting : Setting.values()) {
      if (setting == Setting.TRANSPORT) {
        continue;
      }
      assertTrue(OTHER_VALUES.containsKey(setting), "no test value for " + setting.key());
      ConfigStore store = new ConfigStore(ProxyConfig.defaults());
      ProxyConfig edited = ProxyConfig.from(new JsonObject().put(setting.key(), OTHER_VALUES.get(setting)), Map.of());
      ConfigStore.Changes changes = store.apply(edited);
      List<Setting> expected = setting == Setting.ADDRESS ? List.of(Setting.ADDRESS, Setting.ANNOUNCE_ADDRESS)
          : List.of(setting);
      if (setting.runtime()) {
        assertEquals(expected, changes.applied(), setting.key());
        assertEquals(List.of(), changes.needRestart(), setting.key());
        assertEquals(setting.value(edited), setting.value(store.current()), setting.key());
      } else {
        assertEquals(List.of(), changes.applied(), setting.key());
        assertEquals(expected, changes.needRestart(), setting.key());
        assertEquals(setting.value(ProxyConfig.defaults()), setting.value(store.current()), setting.key());
      }
    }
  }

  @Test
  void logLevelIsOneOfLogbacks() {
    assertEquals("warn", ProxyConfig.from(new JsonObject().put("log_level", "WARN"), Map.of()).logLevel());
    assertMessage("log_level: expected one of [debug, error, info, off, trace, warn], got 'loud'",
        new JsonObject().put("log_level", "loud"));
  }

  /** io_uring and auto, which earlier versions took, are refused with the reason, from the file or the environment. */
  @Test
  void transportIsNioOnly() {
    assertEquals("nio", ProxyConfig.defaults().transport());
    assertEquals("nio", ProxyConfig.from(new JsonObject().put("transport", "NIO"), Map.of()).transport());
    assertEquals("nio", ProxyConfig.from(new JsonObject(), Map.of("CRESCENT_TRANSPORT", "nio")).transport());
    String ioUring = "transport: io_uring is not supported: the Netty in use (4.2.9) can send a closed "
        + "connection's in-flight write from memory already reused (netty#17238); use nio";
    String auto = "transport: auto is not supported: it meant io_uring where available, and the Netty in use "
        + "(4.2.9) can send a closed connection's in-flight write from memory already reused (netty#17238); use nio";
    assertEquals(ioUring, refusal(new JsonObject().put("transport", "io_uring"), Map.of()));
    assertEquals(ioUring, refusal(new JsonObject(), Map.of("CRESCENT_TRANSPORT", "IO_URING")));
    assertEquals(auto, refusal(new JsonObject().put("transport", "auto"), Map.of()));
    assertEquals(auto, refusal(new JsonObject().put("transport", "nio"), Map.of("CRESCENT_TRANSPORT", "auto")));
    assertEquals("transport: expected one of [nio], got 'epoll'",
        refusal(new JsonObject().put("transport", "epoll"), Map.of()));
  }

  /** A reload can only keep {@code nio}: nothing to apply, nothing waiting for a restart. */
  @Test
  void aReloadKeepsNio() {
    ConfigStore store = new ConfigStore(ProxyConfig.defaults());
    ConfigStore.Changes changes = store.apply(ProxyConfig.from(new JsonObject().put("transport", "NIO"), Map.of()));
    assertEquals(List.of(), changes.applied());
    assertEquals(List.of(), changes.needRestart());
    assertEquals("nio", store.current().transport());
  }

  private static String refusal(JsonObject json, Map<String, String> env) {
    return assertThrows(ConfigException.class, () -> ProxyConfig.from(json, env)).getMessage();
  }

  private static void assertMessage(String start, JsonObject json) {
    ConfigException e = assertThrows(ConfigException.class, () -> ProxyConfig.from(json, Map.of()));
    assertTrue(e.getMessage().startsWith(start), e.getMessage());
  }
}
