package io.crescent.e2e;

import io.crescent.testing.Info;
import io.crescent.testing.Proxy;
import io.crescent.testing.RedisServer;
import io.crescent.testing.RespConnection;
import io.crescent.testing.RespConnection.Error;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A proxy given a new topology lets go of what the old one named. Regression: the connections to
 * a Redis the proxy no longer served (shared ones, and idle ones kept for clients that need their
 * own) stayed open for good, so reassignments piled connections up on servers that had left.
 */
class TopologyChangeTest {

  /** "a" is in slot 15495, "b" in 3300, "c" in 7365. */
  private static final String PEER = "127.0.0.1:7000";

  private static void ownAllSlots(RespConnection admin, RedisServer redis) {
    assertEquals("OK", admin.call("UMCTL", "SETCLUSTER", "1", "NOFLAGS", "t", redis.address(), "1", "0-16383"));
  }

  /** Slot 15495, where "a" is, goes to a peer; the proxy keeps the rest. */
  private static void giveSlotOfAToAPeer(RespConnection admin, RedisServer redis, int epoch) {
    assertEquals("OK", admin.call("UMCTL", "SETCLUSTER", Integer.toString(epoch), "NOFLAGS", "t", redis.address(),
        "2", "0-15494", "15496-16383", "PEER", "t", PEER, "1", "15495-15495"));
  }

  @Test
  void connectionsToARedisNoLongerServedAreClosed() throws Exception {
    try (RedisServer before = RedisServer.start(); RedisServer after = RedisServer.start();
         Proxy proxy = Proxy.start(new JsonObject());
         RespConnection admin = new RespConnection(before.port());
         RespConnection c = proxy.connect()) {
      ownAllSlots(c, before);
      assertEquals("OK", c.call("SET", "k", "1"));
      assertNull(c.call("BLPOP", "empty", "0.01"), "takes and gives back a connection of its own");
      int opened = Integer.parseInt(Info.field(admin.call("INFO", "clients"), "connected_clients"));
      assertTrue(opened > 1, opened + " connections on the first Redis");

      assertEquals("OK", c.call("UMCTL", "SETCLUSTER", "2", "NOFLAGS", "t", after.address(), "1", "0-16383"));
      assertNull(c.call("GET", "k"), "served by the second Redis now");
      assertEquals("1", Info.await(admin, "clients", "connected_clients", "1", 5),
          "connections left on the Redis the proxy no longer serves, besides this test's");
    }
  }

  /**
   * A transaction whose slot moves to another node between MULTI and EXEC is discarded and EXEC
   * answered with MOVED, as a Redis 7.0 node that lost the slot answers it (checked against a
   * three-master cluster moved with CLUSTER SETSLOT ... NODE). Regression: EXEC ran on the Redis
   * that no longer served the slot, so its writes were acknowledged but not found at the new owner.
   */
  @Test
  void execAfterTheSlotMovedAwayIsRefusedWithMoved() throws Exception {
    try (RedisServer redis = RedisServer.start();
         Proxy proxy = Proxy.start(new JsonObject());
         RespConnection admin = proxy.connect();
         RespConnection c = proxy.connect()) {
      ownAllSlots(admin, redis);
      assertEquals("OK", c.call("MULTI"));
      assertEquals("QUEUED", c.call("SET", "a", "1"));  // slot 15495
      assertEquals("QUEUED", c.call("INCR", "a"));
      giveSlotOfAToAPeer(admin, redis, 2);

      assertEquals(new Error("MOVED 15495 127.0.0.1:7000"), c.call("EXEC"));
      assertNull(redis.command("GET", "a"), "the transaction did not run on the Redis that lost the slot");
      assertEquals(new Error("ERR EXEC without MULTI"), c.call("EXEC"), "the transaction is over");
      assertEquals("OK", c.call("MULTI"));
      assertEquals("QUEUED", c.call("SET", "b", "2"));  // slot 3300, still local
      assertEquals(List.of("OK"), c.call("EXEC"));
      assertEquals("2", redis.command("GET", "b"));

      // A slot that no node serves any more: CLUSTERDOWN, as on a node.
      assertEquals("OK", c.call("MULTI"));
      assertEquals("QUEUED", c.call("SET", "b", "3"));
      assertEquals("OK", admin.call("UMCTL", "SETCLUSTER", "3", "NOFLAGS", "t", redis.address(), "1", "5000-16383"));
      assertEquals(new Error("CLUSTERDOWN Hash slot not served"), c.call("EXEC"));
      assertEquals("2", redis.command("GET", "b"));
    }
  }

  /**
   * A shard subscriber whose channel's slot moves to another node gets a {@code sunsubscribe}
   * frame, as from a Redis 7.0 node that lost the slot, and subscribes again at the new owner
   * (Jedis's and Lettuce's sharded subscribers do). Regression: the subscription stayed on the
   * Redis that lost the slot, so the client silently heard nothing more.
   */
  @Test
  void shardSubscribersOfAMovedSlotAreUnsubscribed() throws Exception {
    try (RedisServer redis = RedisServer.start();
         Proxy proxy = Proxy.start(new JsonObject());
         RespConnection admin = proxy.connect();
         RespConnection resp2 = proxy.connect();
         RespConnection resp3 = proxy.connect()) {
      ownAllSlots(admin, redis);
      // "a" is in slot 15495, "b" in 3300.
      resp2.send("SSUBSCRIBE", "a");
      assertEquals(List.of("ssubscribe", "a", 1L), resp2.read());
      resp2.send("SSUBSCRIBE", "b");
      assertEquals(List.of("ssubscribe", "b", 2L), resp2.read());
      assertTrue(resp3.call("HELLO", "3") instanceof RespConnection.Map3);
      resp3.send("SSUBSCRIBE", "a");
      assertEquals(new RespConnection.Push(List.of("ssubscribe", "a", 1L)), resp3.read());

      giveSlotOfAToAPeer(admin, redis, 2);
      assertEquals(List.of("sunsubscribe", "a", 1L), resp2.read());
      assertEquals(new RespConnection.Push(List.of("sunsubscribe", "a", 0L)), resp3.read());
      assertEquals(new Error("MOVED 15495 127.0.0.1:7000"), admin.call("SPUBLISH", "a", "lost"));
      assertEquals(1L, admin.call("SPUBLISH", "b", "kept"), "the other shard channel stays");
      assertEquals(List.of("smessage", "b", "kept"), resp2.read());

      assertEquals("PONG", resp3.call("PING"), "subscribed to nothing, the connection serves again");
      assertEquals("OK", resp3.call("SET", "b", "1"));
      assertEquals(List.of("sunsubscribe", "b", 0L), resp2.call("SUNSUBSCRIBE"));
      assertEquals("PONG", resp2.call("PING"));
      assertEquals("1", resp2.call("GET", "b"));
    }
  }

  /**
   * A client blocked on a key whose slot goes to another node gets MOVED, as from a Redis 7.0
   * node that loses the slot (CLUSTERDOWN when no node has it), and its Redis connection is free
   * again; a client blocked on a slot that stays waits on. Regression: the BLPOP stayed blocked on
   * the Redis that lost the slot, so a worker with timeout 0 hung for good.
   */
  @Test
  void clientsBlockedOnAMovedSlotAreRedirected() throws Exception {
    try (RedisServer redis = RedisServer.start();
         Proxy proxy = Proxy.start(new JsonObject());
         RespConnection admin = proxy.connect();
         RespConnection movedAway = proxy.connect();
         RespConnection stays = proxy.connect();
         RespConnection unserved = proxy.connect();
         RespConnection direct = new RespConnection(redis.port())) {
      ownAllSlots(admin, redis);
      // "a" is in slot 15495, "b" in 3300, "c" in 7365.
      movedAway.send("BLPOP", "a", "0");
      stays.send("BLPOP", "b", "0");
      unserved.send("BLPOP", "c", "0");
      assertEquals("3", Info.await(direct, "clients", "blocked_clients", "3", 5));

      assertEquals("OK", admin.call("UMCTL", "SETCLUSTER", "2", "NOFLAGS", "t", redis.address(), "2", "0-7364",
          "7366-15494", "PEER", "t", "127.0.0.1:7000", "1", "15495-15495"));
      assertEquals(new Error("MOVED 15495 127.0.0.1:7000"), movedAway.readWithin(5_000, "still blocked"));
      assertEquals(new Error("CLUSTERDOWN Hash slot not served"), unserved.readWithin(5_000, "still blocked"));
      assertEquals("PONG", movedAway.call("PING"), "the client carries on");
      assertEquals("still blocked", stays.readWithin(300, "still blocked"));
      assertEquals(1L, admin.call("LPUSH", "b", "x"));
      assertEquals(List.of("b", "x"), stays.read());
      assertEquals("0", Info.field(direct.call("INFO", "clients"), "blocked_clients"));
    }
  }

  /**
   * A proxy over two Redis moves a slot from one to the other: a client blocked on a key of that
   * slot gets MOVED to the proxy itself, asks again and waits on the Redis that has the slot now.
   * Regression (found in review): it stayed blocked on the first Redis while pushes went to the
   * second.
   */
  @Test
  void blockedOnASlotMovedToAnotherLocalRedisAsksAgain() throws Exception {
    try (RedisServer first = RedisServer.start();
         RedisServer second = RedisServer.start();
         Proxy proxy = Proxy.start(new JsonObject());
         RespConnection admin = proxy.connect();
         RespConnection c = proxy.connect();
         RespConnection direct = new RespConnection(first.port())) {
      ownAllSlots(admin, first);
      c.send("BLPOP", "a", "0");
      assertEquals("1", Info.await(direct, "clients", "blocked_clients", "1", 5));

      assertEquals("OK", admin.call("UMCTL", "SETCLUSTER", "2", "NOFLAGS", "t", first.address(), "1", "0-15494",
          "t", second.address(), "1", "15495-16383"));
      assertEquals(new Error("MOVED 15495 127.0.0.1:" + proxy.port()), c.readWithin(5_000, "still blocked"));
      assertEquals("0", Info.field(direct.call("INFO", "clients"), "blocked_clients"));
      c.send("BLPOP", "a", "0");
      assertEquals(1L, admin.call("LPUSH", "a", "x"));
      assertEquals(List.of("a", "x"), c.read());
    }
  }

  /**
   * Two blocking commands pipelined on one connection: Redis blocks on the first and runs the
   * second once the first is answered. Losing the slot redirects both, as a Redis 7.0 node does.
   * Regression (found in review): only the last one was tracked, so the first got Redis's raw
   * -UNBLOCKED and the second then blocked on the Redis that lost the slot, for good.
   */
  @Test
  void pipelinedBlockingCommandsAreAllRedirected() throws Exception {
    try (RedisServer redis = RedisServer.start();
         Proxy proxy = Proxy.start(new JsonObject());
         RespConnection admin = proxy.connect();
         RespConnection c = proxy.connect();
         RespConnection direct = new RespConnection(redis.port())) {
      ownAllSlots(admin, redis);
      c.send("BLPOP", "a", "0");
      c.send("BLPOP", "a", "0");
      assertEquals("1", Info.await(direct, "clients", "blocked_clients", "1", 5));

      giveSlotOfAToAPeer(admin, redis, 2);
      assertEquals(new Error("MOVED 15495 127.0.0.1:7000"), c.readWithin(5_000, "still blocked"));
      assertEquals(new Error("MOVED 15495 127.0.0.1:7000"), c.readWithin(5_000, "still blocked"));
      assertEquals("PONG", c.call("PING"));
      assertEquals("0", Info.field(direct.call("INFO", "clients"), "blocked_clients"));
    }
  }
}
