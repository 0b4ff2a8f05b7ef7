package io.crescent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crescent.cluster.RespTree.Bulk;
import io.crescent.testing.RedisServer;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compares our CLUSTER replies with those of a real single-node Redis 7 cluster, for a proxy
 * that also serves all 16384 slots: ids, addresses and epochs differ, shapes must not.
 */
class RedisReplyShapeTest {

  private static RedisServer redis;

  private final ClusterReplies replies = new ClusterReplies("127.0.0.1:5299");
  private final ClusterState state = ClusterState.EMPTY.apply(
      SetClusterParserTest.parse("1 NOFLAGS mydb 127.0.0.1:6379 1 0-16383"));

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.startClusterNode();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  private static Object redisReply(String... command) {
    try (Socket socket = new Socket("127.0.0.1", redis.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(RedisServer.RespText.encode(command));
      return RespTree.read(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Object ours(Buffer reply) {
    return RespTree.decode(reply.getBytes());
  }

  @Test
  void clusterSlots() {
    Object expected = redisReply("CLUSTER", "SLOTS");
    Object actual = ours(replies.slots(state, 2));
    assertEquals("[[int,int,[bulk,int,bulk,[]]]]", RespTree.shape(expected));
    assertEquals(RespTree.shape(expected), RespTree.shape(actual));
    List<?> redisRange = (List<?>) ((List<?>) expected).get(0);
    List<?> ourRange = (List<?>) ((List<?>) actual).get(0);
    assertEquals(redisRange.subList(0, 2), ourRange.subList(0, 2));
  }

  @Test
  void clusterShards() {
    Object expected = redisReply("CLUSTER", "SHARDS");
    Object actual = ours(replies.shards(state, 2));
    assertEquals(RespTree.shape(expected), RespTree.shape(actual));
    Object redisShard = ((List<?>) expected).get(0);
    Object ourShard = ((List<?>) actual).get(0);
    assertEquals(List.of("slots", "nodes"), RespTree.keys(redisShard));
    assertEquals(RespTree.keys(redisShard), RespTree.keys(ourShard));
    assertEquals(((List<?>) redisShard).get(1), ((List<?>) ourShard).get(1));
    Object redisNode = ((List<?>) ((List<?>) redisShard).get(3)).get(0);
    Object ourNode = ((List<?>) ((List<?>) ourShard).get(3)).get(0);
    assertEquals(RespTree.keys(redisNode), RespTree.keys(ourNode));
  }

  @Test
  void clusterInfo() {
    String expected = ((Bulk) redisReply("CLUSTER", "INFO")).text();
    String actual = ((Bulk) ours(replies.info(state, 2))).text();
    assertTrue(expected.endsWith("\r\n") && actual.endsWith("\r\n"));
    // Redis's own epochs are 0; ours are the configuration epoch.
    assertEquals(expected.replace("epoch:0", "epoch:1"), actual);
  }

  @Test
  void clusterMyIdAndNodes() {
    Bulk redisId = (Bulk) redisReply("CLUSTER", "MYID");
    Bulk ourId = (Bulk) ours(replies.myId(state));
    assertEquals(redisId.text().length(), ourId.text().length());

    String redisNodes = ((Bulk) redisReply("CLUSTER", "NODES")).text();
    String ourNodes = ((Bulk) ours(replies.nodes(state, 2))).text();
    String[] redisFields = redisNodes.strip().split(" ");
    String[] ourFields = ourNodes.strip().split(" ");
    assertTrue(redisNodes.endsWith("\n") && ourNodes.endsWith("\n"));
    assertEquals(redisFields.length, ourFields.length);
    assertEquals(redisId.text(), redisFields[0]);
    assertEquals(ourId.text(), ourFields[0]);
    for (int field : new int[] {2, 3, 4, 5, 7, 8}) {
      assertEquals(redisFields[field], ourFields[field], "field " + field);
    }
  }
}
