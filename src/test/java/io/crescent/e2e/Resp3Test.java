package io.crescent.e2e;

import io.crescent.testing.Proxy;
import io.crescent.testing.RedisServer;
import io.crescent.testing.ReferenceExtension;
import io.crescent.testing.RespConnection;
import io.crescent.testing.RespConnection.Map3;
import io.crescent.testing.RespConnection.Verbatim;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HELLO and RESP3 end to end: after HELLO 3 every reply, relayed or made by the proxy, comes in
 * RESP3, as a single-node Redis Cluster sends it.
 */
class Resp3Test {

  @RegisterExtension
  static final ReferenceExtension ref = ReferenceExtension.emptiedBeforeEach();

  /** Lines separated by ';' run on one RESP3 connection to each side; every reply must match. */
  @ParameterizedTest
  @ValueSource(strings = {
      "PING;SET {k}a 1;GET {k}a;GET {k}none;INCR {k}n;EXISTS {k}a",
      "HSET {h}h f v g w;HGETALL {h}h;HGET {h}h nope",
      "SADD {s}s a;SMEMBERS {s}s;SISMEMBER {s}s a",
      "ZADD {z}z 1.5 a 2 b;ZSCORE {z}z a;ZRANGE {z}z 0 -1 WITHSCORES;ZPOPMIN {z}z",
      "CLIENT GETNAME;CLIENT SETNAME me;CLIENT GETNAME",
      "CONFIG GET maxmemory-policy;CONFIG GET nosuch",
      "MULTI;SET {k}a 1;GET {k}a;EXEC",
      "RPUSH {q}l x;BLPOP {q}l 1;BLPOP {q}l 0.01",
      "XADD {x}s 1-1 f v;XRANGE {x}s - +;XINFO STREAM {x}s",
      "SET {k}a 1;OBJECT ENCODING {k}a;TYPE {k}a;TTL {k}a",
      "MGET {k}a {k}b;MSET a 1 b 2;FOOBAR x",
      "EVAL 'return {1, 2, redis.call(\"ping\")}' 0;EVAL 'return redis.setresp(3) or redis.call(\"hgetall\", KEYS[1])' 1 {h}x",
      "HELLO;HELLO 2;GET {k}none;HGETALL {h}none;HELLO 3;GET {k}none",
      "HELLO 4;HELLO x;HELLO 3 SETNAME;HELLO 3 SETNAME 'a b';HELLO 3 AUTH default x;CLIENT GETNAME",
  })
  void sameRepliesAsAClusterNode(String script) {
    try (RespConnection node = new RespConnection(ref.clusterNode().port()); RespConnection viaProxy = ref.proxy().connect()) {
      comparableHello(node.call("HELLO", "3"), viaProxy.call("HELLO", "3"));
      for (String line : script.split(";")) {
        String[] args = CommandRoutingTest.tokens(line);
        Object expected = node.call(args);
        Object actual = viaProxy.call(args);
        if (args[0].equalsIgnoreCase("hello") && !(expected instanceof RespConnection.Error)) {
          comparableHello(expected, actual);
        } else {
          assertEquals(expected, actual, line);
        }
      }
    }
  }

  /** HELLO's map (a flat array in RESP2): the same fields and values but for the connection id. */
  private static void comparableHello(Object expected, Object actual) {
    assertEquals(expected.getClass(), actual.getClass(), String.valueOf(actual));
    List<?> e = expected instanceof Map3 m ? m.keysAndValues() : (List<?>) expected;
    List<?> a = actual instanceof Map3 m ? m.keysAndValues() : (List<?>) actual;
    assertEquals(e.size(), a.size());
    for (int i = 0; i < e.size(); i += 2) {
      assertEquals(e.get(i), a.get(i));
      if (!e.get(i).equals("id")) {
        assertEquals(e.get(i + 1), a.get(i + 1), "HELLO field " + e.get(i));
      }
    }
  }

  @Test
  void proxyMadeRepliesAreResp3Too() {
    try (RespConnection c = ref.proxy().connect()) {
      c.call("HELLO", "3");
      Object info = c.call("INFO");
      assertTrue(info instanceof Verbatim v && v.text().contains("cluster_enabled:1") && v.text().contains("# Proxy"),
          String.valueOf(info));
      assertTrue(c.call("CLUSTER", "NODES") instanceof Verbatim);
      assertTrue(c.call("CLUSTER", "INFO") instanceof Verbatim);
      List<?> shards = (List<?>) c.call("CLUSTER", "SHARDS");
      assertTrue(shards.get(0) instanceof Map3, String.valueOf(shards));
      List<?> slot = (List<?>) ((List<?>) c.call("CLUSTER", "SLOTS")).get(0);
      assertEquals(new Map3(List.of()), ((List<?>) slot.get(2)).get(3));
    }
  }

  @Test
  void pubSubMessagesArePushes() {
    try (RespConnection node = new RespConnection(ref.clusterNode().port()); RespConnection viaProxy = ref.proxy().connect();
         RespConnection nodePub = new RespConnection(ref.clusterNode().port()); RespConnection proxyPub = ref.proxy().connect()) {
      node.call("HELLO", "3");
      viaProxy.call("HELLO", "3");
      assertEquals(node.call("SUBSCRIBE", "ch", "other"), viaProxy.call("SUBSCRIBE", "ch", "other"));
      assertEquals(node.read(), viaProxy.read());
      assertEquals(nodePub.call("PUBLISH", "ch", "hi"), proxyPub.call("PUBLISH", "ch", "hi"));
      assertEquals(node.read(), viaProxy.read());
      assertEquals(node.call("GET", "{k}a"), viaProxy.call("GET", "{k}a"), "RESP3 allows commands while subscribed");
      assertEquals(node.call("UNSUBSCRIBE", "ch", "other"), viaProxy.call("UNSUBSCRIBE", "ch", "other"));
      assertEquals(node.read(), viaProxy.read());
      assertEquals(node.call("PING"), viaProxy.call("PING"));
    }
  }

  /**
   * CLIENT TRACKING inside a transaction: the client keeps its invalidations, and its Redis
   * connection, still tracking, never serves another client. Regression: it went back to the
   * idle pool, and the next client to take it received the first one's invalidations.
   */
  @Test
  void aTrackingConnectionIsNeverHandedToAnotherClient() {
    try (RedisServer redis = RedisServer.start();
         Proxy proxy = oneLoopProxy(redis);
         RespConnection a = proxy.connect(); RespConnection b = proxy.connect();
         RespConnection writer = proxy.connect()) {
      a.call("HELLO", "3");
      assertEquals("OK", a.call("MULTI"));
      assertEquals("QUEUED", a.call("CLIENT", "TRACKING", "ON"));
      assertEquals("QUEUED", a.call("GET", "{b}k"));
      a.call("EXEC");
      b.call("HELLO", "3");
      assertEquals("OK", b.call("MULTI"), "takes a connection of its own");
      assertEquals("OK", writer.call("SET", "{b}k", "1"));
      assertEquals("NOTHING", b.readWithin(500, "NOTHING"), "another client's invalidation");
      assertEquals(new RespConnection.Push(List.of("invalidate", List.of("{b}k"))), a.readWithin(2000, "NO PUSH"));
      assertEquals("OK", b.call("DISCARD"));
    }
  }

  /**
   * HELLO 3 inside MULTI: once EXEC has run it, the client's Redis connection speaks RESP3, and
   * the proxy reads its pushes as pushes. Regression: it went on reading RESP2, took an
   * invalidation for a reply nobody asked for, and dropped the client.
   */
  @Test
  void helloInsideMultiSwitchesTheConnectionWhenExecRunsIt() {
    try (RedisServer redis = RedisServer.start();
         Proxy proxy = oneLoopProxy(redis);
         RespConnection c = proxy.connect(); RespConnection writer = proxy.connect()) {
      // Pipelined, so that the connection stays the client's from MULTI to the GET.
      c.sendRaw(pipeline("MULTI", "HELLO 3", "EXEC", "CLIENT TRACKING ON", "GET {b}k"));
      assertEquals("OK", c.read());
      c.read();
      c.read();
      assertEquals("OK", c.read());
      assertEquals(RespConnection.Null3.NULL, c.read());
      assertEquals("OK", writer.call("SET", "{b}k", "1"));
      assertEquals(new RespConnection.Push(List.of("invalidate", List.of("{b}k"))), c.readWithin(2000, "NO PUSH"));
      assertEquals("PONG", c.call("PING"), "still connected");
    }
  }

  /** The commands, each a line of space-separated arguments, in one write. */
  private static byte[] pipeline(String... lines) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (String line : lines) {
      out.writeBytes(RedisServer.RespText.encode(line.split(" ")));
    }
    return out.toByteArray();
  }

  /** One event loop, so that a connection given back is the one the next client takes. */
  private static Proxy oneLoopProxy(RedisServer redis) {
    return Proxy.start(new JsonObject().put("event_loops", 1).put("cluster", new JsonObject().put("epoch", 1)
        .put("name", "t").put("local", new JsonObject().put(redis.address(), List.of("0-16383")))));
  }
}
