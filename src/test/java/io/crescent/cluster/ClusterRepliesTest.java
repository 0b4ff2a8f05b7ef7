package io.crescent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crescent.cluster.RespTree.Bulk;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterRepliesTest {

  private static final String TRANSCRIPT =
      "1 NOFLAGS mydb 127.0.0.1:6379 1 0-8000 PEER mydb 127.0.0.1:7000 1 8001-16383";
  private static final String MYSELF = "mydb________________9f8fca2805923328____";
  private static final String PEER = "mydb________________d458dd9b55cc9ad9____";

  private final ClusterReplies replies = new ClusterReplies("127.0.0.1:5299");

  private static ClusterState state(String line) {
    return ClusterState.EMPTY.apply(SetClusterParserTest.parse(line));
  }

  private static Object tree(Buffer reply) {
    return RespTree.decode(reply.getBytes());
  }

  @Test
  void clusterNodesForTheTranscript() {
    String expected = MYSELF + " 127.0.0.1:5299 myself,master - 0 0 1 connected 0-8000\n"
        + PEER + " 127.0.0.1:7000 master - 0 0 1 connected 8001-16383\n";
    assertEquals("$" + expected.length() + "\r\n" + expected + "\r\n", replies.nodes(state(TRANSCRIPT), 2).toString());
  }

  @Test
  void clusterNodesMergesAdjacentRangesAndPrintsSingleSlots() {
    ClusterState state = state("3 NOFLAGS mydb 127.0.0.1:6380 1 101-200 mydb 127.0.0.1:6379 3 0-100 300-300 500-600"
        + " PEER mydb 127.0.0.1:7001 0 mydb 127.0.0.1:7000 2 301-400 201-299");
    assertEquals(MYSELF + " 127.0.0.1:5299 myself,master - 0 0 3 connected 0-200 300 500-600\n"
        + NodeId.of("mydb", "127.0.0.1:7001") + " 127.0.0.1:7001 master - 0 0 3 connected\n"
        + PEER + " 127.0.0.1:7000 master - 0 0 3 connected 201-299 301-400\n", replies.nodesText(state));
  }

  @Test
  void unconfiguredProxyShowsItselfWithoutSlots() {
    assertEquals(NodeId.of("", "127.0.0.1:5299") + " 127.0.0.1:5299 myself,master - 0 0 0 connected\n",
        replies.nodesText(ClusterState.EMPTY));
    assertEquals(List.of(), tree(replies.slots(ClusterState.EMPTY, 2)));
    String info = ((Bulk) tree(replies.info(ClusterState.EMPTY, 2))).text();
    assertEquals("cluster_state:fail", info.lines().findFirst().orElseThrow());
  }

  @Test
  void clusterSlotsInSlotOrder() {
    Object slots = tree(replies.slots(state(TRANSCRIPT), 2));
    assertEquals(List.of(
        List.of(0L, 8000L, List.of(new Bulk("127.0.0.1"), 5299L, new Bulk(MYSELF), List.of())),
        List.of(8001L, 16383L, List.of(new Bulk("127.0.0.1"), 7000L, new Bulk(PEER), List.of()))), slots);
  }

  @Test
  void clusterShardsOnePerNode() {
    List<?> shards = (List<?>) tree(replies.shards(state(TRANSCRIPT), 2));
    assertEquals(2, shards.size());
    List<?> mine = (List<?>) shards.get(0);
    assertEquals(List.of(new Bulk("slots"), List.of(0L, 8000L), new Bulk("nodes")), mine.subList(0, 3));
    assertEquals(List.of(List.of(new Bulk("id"), new Bulk(MYSELF), new Bulk("port"), 5299L,
        new Bulk("ip"), new Bulk("127.0.0.1"), new Bulk("endpoint"), new Bulk("127.0.0.1"),
        new Bulk("role"), new Bulk("master"), new Bulk("replication-offset"), 0L,
        new Bulk("health"), new Bulk("online"))), mine.get(3));
    assertEquals(List.of(8001L, 16383L), ((List<?>) shards.get(1)).get(1));
  }

  @Test
  void clusterInfoCountsNodesAndSlots() {
    String info = ((Bulk) tree(replies.info(state("9 NOFLAGS mydb 127.0.0.1:6379 1 0-100"
        + " PEER mydb 127.0.0.1:7000 1 101-200 mydb 127.0.0.1:7001 0"), 2))).text();
    assertEquals("cluster_state:fail\r\ncluster_slots_assigned:201\r\ncluster_slots_ok:201\r\n"
        + "cluster_slots_pfail:0\r\ncluster_slots_fail:0\r\ncluster_known_nodes:3\r\ncluster_size:2\r\n"
        + "cluster_current_epoch:9\r\ncluster_my_epoch:9\r\ncluster_stats_messages_sent:0\r\n"
        + "cluster_stats_messages_received:0\r\ntotal_cluster_links_buffer_limit_exceeded:0\r\n", info);
    String ok = ((Bulk) tree(replies.info(state(TRANSCRIPT), 2))).text();
    assertEquals("cluster_state:ok", ok.lines().findFirst().orElseThrow());
  }

  @Test
  void myId() {
    assertEquals(new Bulk(MYSELF), tree(replies.myId(state(TRANSCRIPT))));
  }

  @Test
  void umctlReplies() {
    ClusterState state = ClusterState.EMPTY.apply(SetClusterParserTest.parse(
        "v2 4 NOFLAGS mydb 127.0.0.1:6379 1 0-8000 127.0.0.1:6379 2 9000-9000 9002-9003"
            + " PEER 127.0.0.1:7000 1 8001-8999 CONFIG compression_strategy disabled"));
    assertEquals(new Bulk("epoch: 4\r\nconfigured: yes\r\ncluster: mydb (default)\r\n"
        + "  local 127.0.0.1:6379 0-8000, 9000-9000 9002-9003\r\n"
        + "  peer 127.0.0.1:7000 8001-8999\r\n"
        + "  config compression_strategy disabled\r\n"), tree(UmctlReplies.info(state)));
    assertEquals(new Bulk("epoch: 0\r\nconfigured: no\r\n"), tree(UmctlReplies.info(ClusterState.EMPTY)));
    assertEquals(List.of(new Bulk("mydb")), tree(UmctlReplies.listCluster(state)));
    assertEquals(List.of(), tree(UmctlReplies.listCluster(ClusterState.EMPTY)));
    assertEquals(4L, tree(UmctlReplies.getEpoch(state)));
  }
}
