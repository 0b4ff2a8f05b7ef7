package io.crescent.e2e;

import io.crescent.testing.ProxyCluster;
import io.crescent.testing.RespConnection;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.JedisShardedPubSub;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.util.JedisClusterCRC16;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jedis and Lettuce, as cluster clients, against three proxies over three plain Redis servers:
 * transactions on hash-tagged keys, a blocking pop released by another connection, pub/sub and
 * scripts, each used the way the client would use it against a real Redis Cluster.
 *
 * <p>Neither client is told the protocol: Jedis 8 sends {@code HELLO 3} and Lettuce 7 sends
 * {@code HELLO 3} on connect, the proxy answers Redis's unknown-command error, and both fall back
 * to RESP2 by themselves (see {@link ThreeProxyClusterTest#jedisHandshakeWithTheSeedProxy()}).
 */
class RealClientsTest {

  private static final Duration TEST_TIMEOUT = Duration.ofSeconds(30);
  /** Longer than any pause in these tests, so a pop that times out fails the test. */
  private static final int BLOCK_SECONDS = 8;
  private static final String SCRIPT =
      "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('STRLEN', KEYS[1])";

  private static ProxyCluster cluster;

  @BeforeAll
  static void start() {
    cluster = ProxyCluster.start("clients", ProxyCluster.THIRDS);
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

  /** Index of the proxy owning the slot of {@code key}. */
  private static int owner(String key) {
    return cluster.ownerOf(JedisClusterCRC16.getSlot(key));
  }

  /** Runs {@code pop} on another thread, pushes {@code value} after a pause, and checks the pop. */
  private static void assertPushReleasesPop(java.util.concurrent.Callable<String> pop, Runnable push, String value)
      throws Exception {
    long start = System.nanoTime();
    CompletableFuture<String> popped = CompletableFuture.supplyAsync(() -> {
      try {
        return pop.call();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(300);
    assertTrue(!popped.isDone(), "the pop blocks while the list is empty: " + (popped.isDone() ? popped.join() : ""));
    push.run();
    assertEquals(value, popped.get(BLOCK_SECONDS + 5, TimeUnit.SECONDS));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(millis < BLOCK_SECONDS * 1000L, "the push released the pop after " + millis + " ms");
  }

  // ---------------------------------------------------------------- Jedis

  @Nested
  class JedisClient {

    private JedisCluster jedis;
    private JedisCluster other;

    @BeforeEach
    void connect() {
      jedis = jedisCluster(cluster.proxy(0).port());
      other = jedisCluster(cluster.proxy(1).port());
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
      jedis.close();
      other.close();
    }

    private JedisCluster jedisCluster(int port) {
      return new JedisCluster(Set.of(new HostAndPort("127.0.0.1", port)),
          DefaultJedisClientConfig.builder().connectionTimeoutMillis(5_000).socketTimeoutMillis(5_000).build(), 5);
    }

    /**
     * Jedis 8's {@code JedisCluster.multi()} throws {@code UnsupportedOperationException}; the way to
     * run a cluster transaction is a connection from {@code getConnectionFromSlot}, which Jedis
     * picks from its slot table (here, the proxy owning the hash tag's slot).
     */
    @Test
    void transactionOnHashTaggedKeys() {
      assertTimeoutPreemptively(TEST_TIMEOUT, () -> {
        jedis.set("{jtx}counter", "10");
        int slot = JedisClusterCRC16.getSlot("{jtx}counter");
        try (Connection connection = jedis.getConnectionFromSlot(slot)) {
          Jedis node = new Jedis(connection);
          assertTrue(node.clusterNodes().lines().anyMatch(l -> l.contains("myself")
              && l.contains(cluster.proxy(owner("{jtx}counter")).address())), "the slot owner's proxy");
          Transaction tx = node.multi();
          tx.incr("{jtx}counter");
          tx.set("{jtx}name", "crescent");
          tx.get("{jtx}name");
          assertEquals(List.of(11L, "OK", "crescent"), tx.exec());
          assertEquals("11", jedis.get("{jtx}counter"));

          // WATCH: a write by another client between WATCH and EXEC aborts the transaction.
          assertEquals("OK", node.watch("{jtx}counter"));
          other.set("{jtx}counter", "100");
          Transaction watched = node.multi();
          watched.incr("{jtx}counter");
          assertNull(watched.exec(), "EXEC after a watched key changed");
        }
        assertEquals("100", jedis.get("{jtx}counter"));
        assertEquals("100", cluster.redis(owner("{jtx}counter")).command("GET", "{jtx}counter"));
      });
    }

    @Test
    void blockingPopReleasedByAnotherClient() {
      assertTimeoutPreemptively(TEST_TIMEOUT, () -> assertPushReleasesPop(
          () -> {
            List<String> kv = jedis.blpop(BLOCK_SECONDS, "{jb}list");
            return kv == null ? null : kv.get(0) + "=" + kv.get(1);
          },
          () -> other.rpush("{jb}list", "item"),
          "{jb}list=item"));
    }

    /** Plain SUBSCRIBE and PUBLISH on two connections to the same proxy (PUBLISH is not broadcast yet). */
    @Test
    void subscribeAndPublishOnOneProxy() {
      assertTimeoutPreemptively(TEST_TIMEOUT, () -> {
        BlockingQueue<String> received = new ArrayBlockingQueue<>(10);
        CountDownLatch subscribed = new CountDownLatch(1);
        JedisPubSub listener = new JedisPubSub() {
          @Override
          public void onSubscribe(String channel, int count) {
            subscribed.countDown();
          }

          @Override
          public void onMessage(String channel, String message) {
            received.add(channel + ":" + message);
            unsubscribe();
          }
        };
        String node = cluster.proxy(2).address();
        try (Connection subConnection = jedis.getClusterNodes().get(node).getResource();
             Connection pubConnection = jedis.getClusterNodes().get(node).getResource()) {
          Jedis subscriber = new Jedis(subConnection);
          CompletableFuture<Void> loop = CompletableFuture.runAsync(() -> subscriber.subscribe(listener, "news"));
          assertTrue(subscribed.await(10, TimeUnit.SECONDS), "SUBSCRIBE confirmed");
          assertEquals(1L, new Jedis(pubConnection).publish("news", "hello"), "one subscriber on this proxy");
          assertEquals("news:hello", received.poll(10, TimeUnit.SECONDS));
          loop.get(10, TimeUnit.SECONDS);
        }
      });
    }

    /** SSUBSCRIBE and SPUBLISH are routed by the channel's slot, so both reach the same proxy. */
    @Test
    void shardedPubSubRoutedBySlot() {
      assertTimeoutPreemptively(TEST_TIMEOUT, () -> {
        BlockingQueue<String> received = new ArrayBlockingQueue<>(10);
        CountDownLatch subscribed = new CountDownLatch(1);
        JedisShardedPubSub listener = new JedisShardedPubSub() {
          @Override
          public void onSSubscribe(String channel, int count) {
            subscribed.countDown();
          }

          @Override
          public void onSMessage(String channel, String message) {
            received.add(channel + ":" + message);
            sunsubscribe();
          }
        };
        CompletableFuture<Void> loop = CompletableFuture.runAsync(() -> jedis.ssubscribe(listener, "{js}ch"));
        assertTrue(subscribed.await(10, TimeUnit.SECONDS), "SSUBSCRIBE confirmed");
        assertEquals(1L, other.spublish("{js}ch", "sharded"));
        assertEquals("{js}ch:sharded", received.poll(10, TimeUnit.SECONDS));
        loop.get(10, TimeUnit.SECONDS);
      });
    }

    /** {@code scriptLoad(script, sampleKey)} loads on the node owning the key, where EVALSHA runs. */
    @Test
    void evalAndEvalsha() {
      assertTimeoutPreemptively(TEST_TIMEOUT, () -> {
        assertEquals(5L, jedis.eval(SCRIPT, List.of("{jscript}k"), List.of("hello")));
        assertEquals("hello", other.get("{jscript}k"));
        String sha = jedis.scriptLoad(SCRIPT, "{jscript}k");
        assertTrue(jedis.scriptExists(sha, "{jscript}k"), "loaded where the key lives");
        assertEquals(7L, other.evalsha(sha, List.of("{jscript}k"), List.of("goodbye")));
        assertEquals("goodbye", jedis.get("{jscript}k"));
      });
    }
  }

  // ---------------------------------------------------------------- Lettuce

  @Nested
  class LettuceClient {

    private RedisClusterClient client;
    private StatefulRedisClusterConnection<String, String> connection;

    @BeforeEach
    void connect() {
      client = RedisClusterClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(cluster.proxy(0).port())
          .withTimeout(Duration.ofSeconds(BLOCK_SECONDS + 5)).build());
      // No protocolVersion: Lettuce tries HELLO 3 and falls back to RESP2 on the proxy's error.
      client.setOptions(ClusterClientOptions.builder().build());
      connection = client.connect();
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
      connection.close();
      client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
    }

    private RedisClusterNode nodeFor(String key) {
      return connection.getPartitions().getPartitionBySlot(SlotHash.getSlot(key));
    }

    /**
     * Lettuce runs cluster transactions on the connection of the node owning the slot. Its node
     * connections from {@code getConnection(nodeId)} are shared by the cluster connection, so the
     * transaction uses a plain connection of its own to that node, as Lettuce's docs advise.
     */
    @Test
    void transactionOnHashTaggedKeys() {
      assertTimeoutPreemptively(TEST_TIMEOUT, () -> {
        connection.sync().set("{ltx}counter", "10");
        RedisClusterNode node = nodeFor("{ltx}counter");
        assertEquals(cluster.proxy(owner("{ltx}counter")).port(), node.getUri().getPort());
        RedisClient plain = RedisClient.create(node.getUri());
        try (StatefulRedisConnection<String, String> nodeConnection = plain.connect()) {
          RedisCommands<String, String> tx = nodeConnection.sync();
          assertEquals("OK", tx.multi());
          tx.incr("{ltx}counter");
          tx.set("{ltx}name", "crescent");
          tx.get("{ltx}name");
          TransactionResult result = tx.exec();
          assertTrue(!result.wasDiscarded());
          assertEquals(List.of(11L, "OK", "crescent"), result.stream().toList());

          tx.watch("{ltx}counter");
          connection.sync().set("{ltx}counter", "100");
          tx.multi();
          tx.incr("{ltx}counter");
          assertTrue(tx.exec().wasDiscarded(), "EXEC after a watched key changed");
        } finally {
          plain.shutdown(Duration.ZERO, Duration.ofSeconds(5));
        }
        assertEquals("100", connection.sync().get("{ltx}counter"));
      });
    }

    /** The blocking pop gets a cluster connection of its own: Lettuce multiplexes one connection per node. */
    @Test
    void blockingPopReleasedByAnotherConnection() {
      assertTimeoutPreemptively(TEST_TIMEOUT, () -> {
        try (StatefulRedisClusterConnection<String, String> blocking = client.connect()) {
          assertPushReleasesPop(
              () -> {
                KeyValue<String, String> kv = blocking.sync().blpop(BLOCK_SECONDS, "{lb}list");
                return kv == null || !kv.hasValue() ? null : kv.getKey() + "=" + kv.getValue();
              },
              () -> connection.sync().rpush("{lb}list", "item"),
              "{lb}list=item");
        }
      });
    }

    /** SUBSCRIBE on the pub/sub connection to one proxy, PUBLISH on a connection to the same proxy. */
    @Test
    void subscribeAndPublishOnOneProxy() {
      assertTimeoutPreemptively(TEST_TIMEOUT, () -> {
        String host = "127.0.0.1";
        int port = cluster.proxy(2).port();
        BlockingQueue<String> received = new ArrayBlockingQueue<>(10);
        try (StatefulRedisClusterPubSubConnection<String, String> pubsub = client.connectPubSub()) {
          StatefulRedisPubSubConnection<String, String> node = pubsub.getConnection(host, port);
          node.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
              received.add(channel + ":" + message);
            }
          });
          node.sync().subscribe("news");
          assertEquals(1L, connection.getConnection(host, port).sync().publish("news", "hello"));
          assertEquals("news:hello", received.poll(10, TimeUnit.SECONDS));
          node.sync().unsubscribe("news");
        }
      });
    }

    /** SSUBSCRIBE on the cluster pub/sub connection and SPUBLISH are both routed by the channel's slot. */
    @Test
    void shardedPubSubRoutedBySlot() {
      assertTimeoutPreemptively(TEST_TIMEOUT, () -> {
        BlockingQueue<String> received = new ArrayBlockingQueue<>(10);
        try (StatefulRedisClusterPubSubConnection<String, String> pubsub = client.connectPubSub()) {
          pubsub.addListener(new RedisClusterPubSubAdapter<>() {
            @Override
            public void smessage(RedisClusterNode node, String channel, String message) {
              received.add(node.getUri().getPort() + "/" + channel + ":" + message);
            }
          });
          pubsub.sync().ssubscribe("{ls}ch");
          assertEquals(1L, connection.sync().spublish("{ls}ch", "sharded"));
          String expected = cluster.proxy(owner("{ls}ch")).port() + "/{ls}ch:sharded";
          assertEquals(expected, received.poll(10, TimeUnit.SECONDS));
          pubsub.sync().sunsubscribe("{ls}ch");
        }
      });
    }

    /** Lettuce sends SCRIPT LOAD to every upstream node of the cluster, so EVALSHA finds it on any. */
    @Test
    void evalAndEvalsha() {
      assertTimeoutPreemptively(TEST_TIMEOUT, () -> {
        var sync = connection.sync();
        assertEquals(5L, (Long) sync.eval(SCRIPT, ScriptOutputType.INTEGER, new String[] {"{lscript}k"}, "hello"));
        assertEquals("hello", sync.get("{lscript}k"));
        String sha = sync.scriptLoad(SCRIPT);
        for (int i = 0; i < cluster.size(); i++) {
          try (RespConnection redis = new RespConnection(cluster.redis(i).port())) {
            assertEquals(List.of(1L), redis.call("SCRIPT", "EXISTS", sha), "loaded on redis " + i);
          }
        }
        assertEquals(7L, (Long) sync.evalsha(sha, ScriptOutputType.INTEGER, new String[] {"{lscript}k"}, "goodbye"));
        assertEquals("goodbye", sync.get("{lscript}k"));
      });
    }
  }
}
