package io.crescent.e2e;

import io.crescent.testing.ExternalCommand;
import io.crescent.testing.ProxyCluster;
import io.crescent.testing.RecordingRelay;
import io.crescent.testing.RedisServer;
import io.crescent.testing.RespConnection;
import io.crescent.testing.RespFrames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.util.JedisClusterCRC16;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three plain redis-servers behind three Crescent proxies that own a third of the slots each, used
 * by real cluster clients through a single entry proxy: Jedis, {@code redis-cli -c} and
 * {@code redis-benchmark --cluster}.
 */
class ThreeProxyClusterTest {

  private static final Duration CLI_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration BENCHMARK_TIMEOUT = Duration.ofSeconds(120);

  private static ProxyCluster cluster;

  @BeforeAll
  static void start() {
    cluster = ProxyCluster.start("e2e", ProxyCluster.THIRDS);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void emptyRedises() {
    cluster.flushAll();
  }

  // ---------------------------------------------------------------- Jedis

  @ParameterizedTest(name = "entry proxy {0}")
  @ValueSource(ints = {0, 1, 2})
  void jedisClusterThroughOneEntryProxy(int entry) {
    int keys = 10_000;
    assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
      try (JedisCluster jedis = jedisCluster(cluster.proxy(entry).port())) {
        for (int i = 0; i < keys; i++) {
          assertEquals("OK", jedis.set(key(entry, i), value(entry, i)));
        }
        for (int i = 0; i < keys; i++) {
          assertEquals(value(entry, i), jedis.get(key(entry, i)), key(entry, i));
        }
      }
    });

    long total = 0;
    for (int r = 0; r < cluster.size(); r++) {
      long size = Long.parseLong(cluster.redis(r).command("DBSIZE"));
      assertTrue(size > 2500, "redis " + r + " holds " + size + " of " + keys + " keys");
      total += size;
    }
    assertEquals(keys, total, "every key is stored exactly once");

    for (int i = 0; i < keys; i += 97) {
      String key = key(entry, i);
      int slot = JedisClusterCRC16.getSlot(key);
      int owner = cluster.ownerOf(slot);
      try (RespConnection proxy = cluster.proxy(entry).connect()) {
        assertEquals((long) slot, proxy.call("CLUSTER", "KEYSLOT", key), "the proxy's CLUSTER KEYSLOT agrees with Jedis");
      }
      assertEquals(value(entry, i), cluster.redis(owner).command("GET", key),
          key + " (slot " + slot + ") lives on redis " + owner);
      for (int other = 0; other < cluster.size(); other++) {
        if (other != owner) {
          assertNull(cluster.redis(other).command("GET", key), key + " is not on redis " + other);
        }
      }
    }
  }

  /**
   * What Jedis 8 says to the seed node on connect: {@code HELLO 3}, then {@code CLIENT SETINFO
   * LIB-NAME} and {@code LIB-VER}, then {@code CLUSTER SLOTS}, all in RESP3, which the proxy
   * speaks; nothing may fail.
   */
  @Test
  void jedisSpeaksResp3WithTheSeedProxy() {
    try (RecordingRelay relay = RecordingRelay.to(cluster.proxy(0).port())) {
      assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
        try (JedisCluster jedis = jedisCluster(relay.port())) {
          assertEquals("OK", jedis.set("handshake", "1"));
          assertEquals("1", jedis.get("handshake"));
        }
      });
      List<RecordingRelay.Conversation> conversations = relay.conversations();
      assertTrue(!conversations.isEmpty(), "Jedis connected to the seed");
      String transcript = transcript(conversations);
      RecordingRelay.Conversation seed = conversations.get(0);
      List<List<String>> sent = RespFrames.commands(seed.sent());
      List<String> replies = RespFrames.replyHeads(seed.received());
      assertEquals(List.of("HELLO 3", "CLIENT SETINFO LIB-NAME jedis", "CLIENT SETINFO LIB-VER 8.0.2",
          "CLUSTER SLOTS"), sent.stream().map(c -> String.join(" ", c)).toList(), transcript);
      assertEquals(List.of("%7", "+OK", "+OK", "*3"), replies, transcript);
      for (RecordingRelay.Conversation c : conversations.subList(1, conversations.size())) {
        assertTrue(RespFrames.replyHeads(c.received()).stream().noneMatch(r -> r.startsWith("-")), transcript);
      }
    }
  }

  private static JedisCluster jedisCluster(int port) {
    return new JedisCluster(Set.of(new HostAndPort("127.0.0.1", port)),
        DefaultJedisClientConfig.builder().connectionTimeoutMillis(5_000).socketTimeoutMillis(5_000).build(), 5);
  }

  private static String key(int entry, int i) {
    return "jedis:" + entry + ":" + i;
  }

  private static String value(int entry, int i) {
    return "value-" + i + "-via-" + entry;
  }

  // ---------------------------------------------------------------- redis-cli

  @ParameterizedTest(name = "entry proxy {0}")
  @ValueSource(ints = {0, 1, 2})
  void redisCliFollowsMovedToTheOtherProxies(int entry) {
    int port = cluster.proxy(entry).port();
    for (int owner = 0; owner < cluster.size(); owner++) {
      if (owner == entry) {
        continue;
      }
      String key = keyOwnedBy(owner, "cli:" + entry + ":");
      String value = "from-" + entry + "-to-" + owner;
      ExternalCommand.Result set = cli("-c", "-p", Integer.toString(port), "set", key, value);
      assertTrue(set.ok(), set.describe());
      assertEquals("OK", lastLine(set.stdout()), set.describe());
      assertEquals(value, cluster.redis(owner).command("GET", key), "the SET reached redis " + owner);

      ExternalCommand.Result get = cli("-c", "-p", Integer.toString(port), "get", key);
      assertTrue(get.ok(), get.describe());
      assertEquals(value, lastLine(get.stdout()), get.describe());

      try (RespConnection direct = cluster.proxy(entry).connect()) {
        int slot = JedisClusterCRC16.getSlot(key);
        assertEquals(new RespConnection.Error("MOVED " + slot + " " + cluster.proxy(owner).address()),
            direct.call("GET", key), "redis-cli had to follow a redirection");
      }
    }
  }

  @ParameterizedTest(name = "entry proxy {0}")
  @ValueSource(ints = {0, 1, 2})
  void redisCliClusterNodesListsThreeNodes(int entry) {
    ExternalCommand.Result nodes = cli("-p", Integer.toString(cluster.proxy(entry).port()), "cluster", "nodes");
    assertTrue(nodes.ok(), nodes.describe());
    List<String> lines = nonEmptyLines(nodes.stdout());
    assertEquals(3, lines.size(), nodes.describe());
    for (int i = 0; i < cluster.size(); i++) {
      String address = cluster.proxy(i).address();
      String range = cluster.range(i).toString();
      long matching = lines.stream()
          .filter(l -> List.of(l.split(" ")).contains(address) && l.endsWith(" " + range)).count();
      assertEquals(1, matching, "one line for " + address + " serving " + range + "\n" + nodes.describe());
    }
    assertEquals(1, lines.stream().filter(l -> l.contains("myself")).count(), nodes.describe());
    assertTrue(lines.stream().filter(l -> l.contains("myself")).allMatch(l -> l.contains(cluster.proxy(entry).address())),
        nodes.describe());
  }

  private static String keyOwnedBy(int owner, String prefix) {
    for (int n = 0; ; n++) {
      String key = prefix + n;
      if (cluster.ownerOf(JedisClusterCRC16.getSlot(key)) == owner) {
        return key;
      }
    }
  }

  private static ExternalCommand.Result cli(String... args) {
    List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1"));
    command.addAll(List.of(args));
    return ExternalCommand.run(CLI_TIMEOUT, command);
  }

  // ---------------------------------------------------------------- redis-benchmark

  @ParameterizedTest(name = "entry proxy {0}")
  @ValueSource(ints = {0, 1, 2})
  void redisBenchmarkInClusterMode(int entry) {
    ExternalCommand.Result bench = benchmark(cluster.proxy(entry).port(), 20_000);
    assertTrue(bench.ok(), bench.describe());
    List<String> lines = nonEmptyLines(bench.stdout() + "\n" + bench.stderr());
    assertTrue(lines.contains("Cluster has 3 master nodes:"), bench.describe());
    for (String line : lines) {
      assertFalse(line.toLowerCase(Locale.ROOT).contains("err"), "error line: " + line + "\n" + bench.describe());
    }
    for (String test : List.of("SET", "GET")) {
      assertTrue(lines.stream().anyMatch(l -> l.matches(test + ": [0-9.]+ requests per second.*")),
          test + " throughput reported\n" + bench.describe());
    }

    // Without -r every client writes the same key per node: key:{<tag>}:__rand_int__, where the
    // tag is chosen to hash to a slot of that node; the value is -d 3 random bytes.
    for (int r = 0; r < cluster.size(); r++) {
      List<String> keys = keys(cluster.redis(r));
      assertFalse(keys.isEmpty(), "redis-benchmark wrote to redis " + r);
      for (String key : keys) {
        assertTrue(key.startsWith("key:{"), key);
        assertEquals(r, cluster.ownerOf(JedisClusterCRC16.getSlot(key)), key + " is on the right redis");
        assertEquals(3, cluster.redis(r).command("GET", key).length(), key);
      }
    }
  }

  /**
   * Everything redis-benchmark says to the entry node, through a recording relay: CLUSTER NODES,
   * then CONFIG GET save and appendonly on each node, then the benchmark itself; no error comes
   * back on any connection.
   */
  @Test
  void redisBenchmarkConversationHasNoErrors() {
    try (RecordingRelay relay = RecordingRelay.to(cluster.proxy(0).port())) {
      ExternalCommand.Result bench = benchmark(relay.port(), 300);
      assertTrue(bench.ok(), bench.describe());
      List<RecordingRelay.Conversation> conversations = relay.conversations();
      String transcript = transcript(conversations);
      assertEquals(List.of("CLUSTER NODES"), RespFrames.commands(conversations.get(0).sent()).stream()
          .map(c -> String.join(" ", c)).toList(), transcript);
      List<String> allSent = new ArrayList<>();
      for (RecordingRelay.Conversation c : conversations) {
        RespFrames.commands(c.sent()).forEach(cmd -> allSent.add(String.join(" ", cmd).toUpperCase(Locale.ROOT)));
        assertTrue(RespFrames.replyHeads(c.received()).stream().noneMatch(r -> r.startsWith("-")), transcript);
      }
      assertTrue(allSent.contains("CONFIG GET SAVE") && allSent.contains("CONFIG GET APPENDONLY"), transcript);
    }
  }

  private static ExternalCommand.Result benchmark(int port, int requests) {
    return ExternalCommand.run(BENCHMARK_TIMEOUT, "redis-benchmark", "--cluster",
        "-h", "127.0.0.1", "-p", Integer.toString(port),
        "-t", "set,get", "-n", Integer.toString(requests), "-c", "20", "-q");
  }

  @SuppressWarnings("unchecked")
  private static List<String> keys(RedisServer redis) {
    try (RespConnection c = new RespConnection(redis.port())) {
      return (List<String>) c.call("KEYS", "*");
    }
  }

  private static String transcript(List<RecordingRelay.Conversation> conversations) {
    StringBuilder all = new StringBuilder();
    int n = 0;
    for (RecordingRelay.Conversation c : conversations) {
      String sent = c.sent();
      String received = c.received();
      all.append("connection ").append(n++).append("\n>>> ")
          .append(abbreviate(sent.replace("\r\n", " "))).append("\n<<< ")
          .append(abbreviate(received.replace("\r\n", " "))).append('\n');
    }
    return all.toString();
  }

  private static String abbreviate(String text) {
    return text.length() <= 2000 ? text : text.substring(0, 2000) + "...";
  }

  private static List<String> nonEmptyLines(String text) {
    List<String> lines = new ArrayList<>();
    for (String line : text.split("[\r\n]+")) {
      if (!line.isBlank()) {
        lines.add(line.strip());
      }
    }
    return lines;
  }

  private static String lastLine(String text) {
    List<String> lines = nonEmptyLines(text);
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }
}
