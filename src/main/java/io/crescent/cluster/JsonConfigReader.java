package io.crescent.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the configuration file form, one cluster:
 * <pre>
 * {"epoch": 1, "name": "mydb", "force": false,
 *  "local": {"127.0.0.1:6379": ["0-8000"]}, "peers": {"127.0.0.1:7000": ["8001-16383"]},
 *  "config": {"field": "value"}}
 * </pre>
 * Only {@code epoch} and {@code name} are required. Each address's array is one slot
 * assignment. Unknown keys are refused so that a misspelt key does not silently drop slots.
 */
final class JsonConfigReader {

  private static final Set<String> KEYS = Set.of("epoch", "name", "force", "local", "peers", "config");

  private JsonConfigReader() {
  }

  static ClusterConfig read(JsonObject json) {
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new ClusterConfigException("unknown config key '" + key + "'");
      }
    }
    long epoch = epoch(json.getValue("epoch"));
    Object name = json.getValue("name");
    if (!(name instanceof String)) {
      throw new ClusterConfigException("config key 'name' must be a string");
    }
    Object force = json.getValue("force", false);
    if (!(force instanceof Boolean)) {
      throw new ClusterConfigException("config key 'force' must be true or false");
    }
    ClusterSpec.Builder cluster = new ClusterSpec.Builder((String) name);
    for (Map.Entry<String, Object> owner : object(json, "local")) {
      cluster.local(owner.getKey(), slots("local", owner));
    }
    for (Map.Entry<String, Object> owner : object(json, "peers")) {
      cluster.peer(owner.getKey(), slots("peers", owner));
    }
    for (Map.Entry<String, Object> field : object(json, "config")) {
      if (!(field.getValue() instanceof String value)) {
        throw new ClusterConfigException("config key 'config." + field.getKey() + "' must be a string");
      }
      cluster.config(field.getKey(), value);
    }
    return new ClusterConfig(epoch, (Boolean) force, List.of(cluster.build()));
  }

  private static long epoch(Object value) {
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0) {
      throw new ClusterConfigException("config key 'epoch' must be a non-negative integer");
    }
    return ((Number) value).longValue();
  }

  private static JsonObject object(JsonObject json, String key) {
    Object value = json.getValue(key, new JsonObject());
    if (!(value instanceof JsonObject object)) {
      throw new ClusterConfigException("config key '" + key + "' must be an object");
    }
    return object;
  }

  private static SlotAssignment slots(String key, Map.Entry<String, Object> owner) {
    String where = " in config key '" + key + "." + owner.getKey() + "'";
    if (!(owner.getValue() instanceof JsonArray array)) {
      throw new ClusterConfigException(
          "config key '" + key + "." + owner.getKey() + "' must be an array of slot ranges");
    }
    try {
      HostPort.parse(owner.getKey());
      List<SlotRange> ranges = new ArrayList<>(array.size());
      for (Object range : array) {
        if (!(range instanceof String text)) {
          throw new ClusterConfigException("invalid slot range '" + range + "'");
        }
        ranges.add(SlotRange.parse(text));
      }
      return new SlotAssignment(ranges);
    } catch (ClusterConfigException e) {
      throw new ClusterConfigException(e.getMessage() + where);
    }
  }
}
