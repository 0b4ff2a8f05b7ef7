package io.crescent.e2e;

import io.crescent.testing.ProxyCluster;
import io.crescent.testing.RespConnection;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.ClusterPipeline;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Response;
import redis.clients.jedis.ScanIteration;
import redis.clients.jedis.util.JedisClusterCRC16;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jedis and Lettuce cluster clients over three proxies: the cluster-wide helpers (DBSIZE, KEYS,
 * SCAN summed or merged over every master), pipelines of hash-tagged keys, and a UMCTL
 * SETCLUSTER that moves slots between proxies while the clients are connected: both follow the
 * MOVED answers and keep working, writing to the new owner.
 */
class ClusterClientsTopologyTest {

  private static final String NAME = "topo";
  private static ProxyCluster cluster;
  private static long epoch = 1;

  @BeforeAll
  static void start() {
    cluster = ProxyCluster.start(NAME, ProxyCluster.THIRDS);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void reset() {
    cluster.flushAll();
    setCluster(List.of("0-5460"), List.of("5461-10922"), List.of("10923-16383"));
  }

  /** Gives node i (proxy and Redis) the slot ranges {@code ranges[i]}, at a new epoch, on every proxy. */
  @SafeVarargs
  private static void setCluster(List<String>... ranges) {
    epoch++;
    for (int i = 0; i < cluster.size(); i++) {
      List<String> args = new ArrayList<>(List.of("UMCTL", "SETCLUSTER", Long.toString(epoch), "NOFLAGS", NAME,
          cluster.redis(i).address(), Integer.toString(ranges[i].size())));
      args.addAll(ranges[i]);
      args.add("PEER");
      for (int j = 0; j < cluster.size(); j++) {
        if (j != i) {
          args.addAll(List.of(NAME, cluster.proxy(j).address(), Integer.toString(ranges[j].size())));
          args.addAll(ranges[j]);
        }
      }
      try (RespConnection c = cluster.proxy(i).connect()) {
        assertEquals("OK", c.call(args.toArray(String[]::new)));
      }
    }
  }

  private static List<String> keysInSlots(int first, int last, int n) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; keys.size() < n; i++) {
      int slot = JedisClusterCRC16.getSlot("k" + i);
      if (slot >= first && slot <= last) {
        keys.add("k" + i);
      }
    }
    return keys;
  }

  private static JedisCluster jedis() {
    return new JedisCluster(Set.of(new HostAndPort("127.0.0.1", cluster.proxy(0).port())),
        DefaultJedisClientConfig.builder().connectionTimeoutMillis(5_000).socketTimeoutMillis(5_000).build(), 5);
  }

  private static RedisClusterClient lettuce(boolean adaptiveRefresh) {
    RedisClusterClient client = RedisClusterClient.create(RedisURI.builder().withHost("127.0.0.1")
        .withPort(cluster.proxy(0).port()).withTimeout(Duration.ofSeconds(5)).build());
    ClusterClientOptions.Builder options = ClusterClientOptions.builder();
    if (adaptiveRefresh) {
      options.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder().enableAllAdaptiveRefreshTriggers()
          .adaptiveRefreshTriggersTimeout(Duration.ofMillis(100)).build());
    }
    client.setOptions(options.build());
    return client;
  }

  @Test
  void jedisFollowsSlotsMovedToAnotherProxy() {
    try (JedisCluster jedis = jedis()) {
      List<String> keys = keysInSlots(0, 2000, 20);
      keys.forEach(k -> jedis.set(k, "before"));
      setCluster(List.of("2001-5460"), List.of("0-2000", "5461-10922"), List.of("10923-16383"));
      for (String k : keys) {
        assertEquals("OK", jedis.set(k, "after"));
        assertEquals("after", jedis.get(k));
        assertEquals("after", cluster.redis(1).command("GET", k), "written to the new owner's Redis");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void lettuceFollowsSlotsMovedToAnotherProxy(boolean adaptiveRefresh) {
    RedisClusterClient client = lettuce(adaptiveRefresh);
    try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
      RedisAdvancedClusterCommands<String, String> redis = connection.sync();
      List<String> keys = keysInSlots(0, 2000, 20);
      keys.forEach(k -> redis.set(k, "before"));
      setCluster(List.of("2001-5460"), List.of("0-2000", "5461-10922"), List.of("10923-16383"));
      for (String k : keys) {
        assertEquals("OK", redis.set(k, "after"));
        assertEquals("after", redis.get(k));
        assertEquals("after", cluster.redis(1).command("GET", k), "written to the new owner's Redis");
      }
    } finally {
      client.shutdown();
    }
  }

  @Test
  void jedisClusterWideHelpersAndPipeline() {
    try (JedisCluster jedis = jedis()) {
      for (int i = 0; i < 300; i++) {
        jedis.set("key:" + i, "v");
      }
      assertEquals(300L, jedis.dbSize());
      assertEquals(300, jedis.keys("key:*").size());
      ScanIteration scan = jedis.scanIteration(10, "key:*");
      Set<String> seen = new HashSet<>();
      while (!scan.isIterationCompleted()) {
        seen.addAll(scan.nextBatch().getResult());
      }
      assertEquals(300, seen.size());

      try (ClusterPipeline pipeline = jedis.pipelined()) {
        List<Response<String>> gets = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          pipeline.set("{tag" + (i % 7) + "}p" + i, "x" + i);
          gets.add(pipeline.get("{tag" + (i % 7) + "}p" + i));
        }
        pipeline.sync();
        for (int i = 0; i < 100; i++) {
          assertEquals("x" + i, gets.get(i).get());
        }
      }
      assertEquals("OK", jedis.flushAll());
      assertEquals(0L, jedis.dbSize());
    }
  }

  @Test
  void lettuceClusterWideHelpersAndPipeline() throws Exception {
    RedisClusterClient client = lettuce(false);
    try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
      RedisAdvancedClusterCommands<String, String> redis = connection.sync();
      for (int i = 0; i < 300; i++) {
        redis.set("key:" + i, "v");
      }
      assertEquals(300L, redis.dbsize());
      assertEquals(300, redis.keys("key:*").size());
      ScanIterator<String> scan = ScanIterator.scan(redis, ScanArgs.Builder.limit(10).match("key:*"));
      int scanned = 0;
      while (scan.hasNext()) {
        scan.next();
        scanned++;
      }
      assertEquals(300, scanned);
      assertEquals(3L, redis.del("key:1", "key:2", "key:3"), "split by slot over the three proxies");

      connection.setAutoFlushCommands(false);
      RedisAdvancedClusterAsyncCommands<String, String> async = connection.async();
      List<RedisFuture<?>> futures = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        futures.add(async.set("{t" + (i % 5) + "}p" + i, "v" + i));
        futures.add(async.get("{t" + (i % 5) + "}p" + i));
      }
      connection.flushCommands();
      assertTrue(LettuceFutures.awaitAll(10, TimeUnit.SECONDS, futures.toArray(RedisFuture[]::new)));
      for (int i = 0; i < 100; i++) {
        assertEquals("v" + i, futures.get(2 * i + 1).get());
      }
      connection.setAutoFlushCommands(true);
      assertEquals("OK", redis.flushall());
      assertEquals(0L, redis.dbsize());
    } finally {
      client.shutdown();
    }
  }
}
