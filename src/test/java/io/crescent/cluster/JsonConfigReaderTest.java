package io.crescent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonConfigReaderTest {

  @Test
  void sameModelAsTheCommand() {
    ClusterConfig json = ClusterConfig.fromJson(new JsonObject(
        "{\"epoch\":1,\"name\":\"mydb\",\"local\":{\"127.0.0.1:6379\":[\"0-8000\"]},"
            + "\"peers\":{\"127.0.0.1:7000\":[\"8001-16383\"]}}"));
    assertEquals(SetClusterParserTest.parse(
        "1 NOFLAGS mydb 127.0.0.1:6379 1 0-8000 PEER mydb 127.0.0.1:7000 1 8001-16383"), json);
    assertFalse(json.force());
  }

  @Test
  void optionalKeys() {
    ClusterConfig config = ClusterConfig.fromJson(new JsonObject(
        "{\"epoch\":2,\"name\":\"mydb\",\"force\":true,\"config\":{\"a\":\"b\"},"
            + "\"local\":{\"127.0.0.1:6379\":[\"0-10\",\"20-30\"],\"127.0.0.1:6380\":[]}}"));
    assertTrue(config.force());
    ClusterSpec spec = config.clusters().get(0);
    assertEquals(Map.of("a", "b"), spec.config());
    assertEquals(List.of("127.0.0.1:6379", "127.0.0.1:6380"), List.copyOf(spec.local().keySet()));
    assertEquals(2, spec.local().get("127.0.0.1:6379").get(0).ranges().size());
    assertTrue(spec.peers().isEmpty());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{\"name\":\"mydb\"}|config key 'epoch' must be a non-negative integer",
      "{\"epoch\":-1,\"name\":\"mydb\"}|config key 'epoch' must be a non-negative integer",
      "{\"epoch\":\"1\",\"name\":\"mydb\"}|config key 'epoch' must be a non-negative integer",
      "{\"epoch\":1.5,\"name\":\"mydb\"}|config key 'epoch' must be a non-negative integer",
      "{\"epoch\":1}|config key 'name' must be a string",
      "{\"epoch\":1,\"name\":\"my db\"}|invalid cluster name 'my db'",
      "{\"epoch\":1,\"name\":\"mydb\",\"force\":1}|config key 'force' must be true or false",
      "{\"epoch\":1,\"name\":\"mydb\",\"pers\":{}}|unknown config key 'pers'",
      "{\"epoch\":1,\"name\":\"mydb\",\"local\":[]}|config key 'local' must be an object",
      "{\"epoch\":1,\"name\":\"mydb\",\"local\":{\"127.0.0.1:6379\":\"0-1\"}}|"
          + "config key 'local.127.0.0.1:6379' must be an array of slot ranges",
      "{\"epoch\":1,\"name\":\"mydb\",\"local\":{\"127.0.0.1:6379\":[\"9000-8000\"]}}|"
          + "invalid slot range '9000-8000' in config key 'local.127.0.0.1:6379'",
      "{\"epoch\":1,\"name\":\"mydb\",\"local\":{\"127.0.0.1:6379\":[5]}}|"
          + "invalid slot range '5' in config key 'local.127.0.0.1:6379'",
      "{\"epoch\":1,\"name\":\"mydb\",\"peers\":{\"localhost\":[\"0-1\"]}}|"
          + "invalid address 'localhost' in config key 'peers.localhost'",
      "{\"epoch\":1,\"name\":\"mydb\",\"config\":{\"a\":1}}|config key 'config.a' must be a string",
      "{\"epoch\":1,\"name\":\"mydb\",\"local\":{\"127.0.0.1:6379\":[\"0-8000\"]},"
          + "\"peers\":{\"127.0.0.1:7000\":[\"8000-16383\"]}}|"
          + "slot 8000 is assigned to both 127.0.0.1:6379 and 127.0.0.1:7000 in cluster 'mydb'",
  })
  void errorsNameTheKey(String json, String message) {
    JsonObject object = new JsonObject(json);
    assertEquals(message,
        assertThrows(ClusterConfigException.class, () -> ClusterConfig.fromJson(object)).getMessage());
  }
}
