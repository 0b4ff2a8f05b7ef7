package io.crescent.cluster;

import io.crescent.resp.Resp;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The replies to {@code CLUSTER NODES|SLOTS|SHARDS|INFO|MYID} that make this proxy look like a
 * node of a Redis Cluster, in the shapes Redis 7.0 uses in each protocol version. Every proxy is a master of its
 * own shard with no replicas; {@code announce} is the address clients reach this proxy at.
 */
public final class ClusterReplies {

  private final HostPort announce;

  public ClusterReplies(String announceAddress) {
    this.announce = HostPort.parse(announceAddress);
  }

  /**
   * One line per node, as undermoon prints them (no cluster bus port), e.g.
   * {@code <id> 127.0.0.1:5299 myself,master - 0 0 1 connected 0-8000}.
   */
  public Buffer nodes(ClusterState state, int protocol) {
    return Resp.verbatim(nodesText(state), protocol);
  }

  String nodesText(ClusterState state) {
    StringBuilder text = new StringBuilder();
    for (Topology.Node node : Topology.of(state, announce).nodes()) {
      text.append(node.id()).append(' ').append(node.address())
          .append(node.myself() ? " myself,master" : " master")
          .append(" - 0 0 ").append(state.epoch()).append(" connected");
      for (SlotRange range : node.ranges()) {
        text.append(' ').append(range);
      }
      text.append('\n');
    }
    return text.toString();
  }

  /** {@code [[start, end, [ip, port, id, []]]...]}: the last element is Redis 7's empty metadata map. */
  public Buffer slots(ClusterState state, int protocol) {
    Topology topology = Topology.of(state, announce);
    Buffer out = Resp.appendArrayHeader(Buffer.buffer(), topology.runs().size());
    for (Topology.Run run : topology.runs()) {
      Resp.appendArrayHeader(out, 3);
      Resp.appendInteger(out, run.range().start());
      Resp.appendInteger(out, run.range().end());
      Topology.Node node = run.node();
      Resp.appendArrayHeader(out, 4);
      Resp.appendBulk(out, node.address().host());
      Resp.appendInteger(out, node.address().port());
      Resp.appendBulk(out, node.id());
      Resp.appendMapHeader(out, 0, protocol);
    }
    return out;
  }

  /**
   * One shard per node, each a map (a flat array in RESP2) of {@code slots} (start and end
   * pairs) and {@code nodes} (one master, with the seven fields Redis 7.0 gives a node without
   * TLS or hostname).
   */
  public Buffer shards(ClusterState state, int protocol) {
    Topology topology = Topology.of(state, announce);
    Buffer out = Resp.appendArrayHeader(Buffer.buffer(), topology.nodes().size());
    for (Topology.Node node : topology.nodes()) {
      Resp.appendMapHeader(out, 2, protocol);
      Resp.appendBulk(out, "slots");
      Resp.appendArrayHeader(out, node.ranges().size() * 2);
      for (SlotRange range : node.ranges()) {
        Resp.appendInteger(out, range.start());
        Resp.appendInteger(out, range.end());
      }
      Resp.appendBulk(out, "nodes");
      Resp.appendArrayHeader(out, 1);
      Resp.appendMapHeader(out, 7, protocol);
      Resp.appendBulk(out, "id");
      Resp.appendBulk(out, node.id());
      Resp.appendBulk(out, "port");
      Resp.appendInteger(out, node.address().port());
      Resp.appendBulk(out, "ip");
      Resp.appendBulk(out, node.address().host());
      Resp.appendBulk(out, "endpoint");
      Resp.appendBulk(out, node.address().host());
      Resp.appendBulk(out, "role");
      Resp.appendBulk(out, "master");
      Resp.appendBulk(out, "replication-offset");
      Resp.appendInteger(out, 0);
      Resp.appendBulk(out, "health");
      Resp.appendBulk(out, "online");
    }
    return out;
  }

  /**
   * Redis 7.0's fields, in its order, each line ending in CRLF. Clients judge the cluster by
   * {@code cluster_state}, which is ok only when every slot has an owner.
   */
  public Buffer info(ClusterState state, int protocol) {
    Topology topology = Topology.of(state, announce);
    SlotTable table = state.table();
    long withSlots = topology.nodes().stream().filter(n -> !n.ranges().isEmpty()).count();
    String text = "cluster_state:" + (table.allSlotsAssigned() ? "ok" : "fail") + "\r\n"
        + "cluster_slots_assigned:" + table.assignedSlots() + "\r\n"
        + "cluster_slots_ok:" + table.assignedSlots() + "\r\n"
        + "cluster_slots_pfail:0\r\n"
        + "cluster_slots_fail:0\r\n"
        + "cluster_known_nodes:" + topology.nodes().size() + "\r\n"
        + "cluster_size:" + withSlots + "\r\n"
        + "cluster_current_epoch:" + state.epoch() + "\r\n"
        + "cluster_my_epoch:" + state.epoch() + "\r\n"
        + "cluster_stats_messages_sent:0\r\n"
        + "cluster_stats_messages_received:0\r\n"
        + "total_cluster_links_buffer_limit_exceeded:0\r\n";
    return Resp.verbatim(text, protocol);
  }

  /**
   * {@code CLUSTER REPLICAS|SLAVES <id>}: every node is a master without replicas, so an empty
   * array for a node of the cluster, and Redis's error for an id it does not know.
   */
  public Buffer replicas(ClusterState state, byte[] id) {
    return knows(state, id) ? Resp.EMPTY_ARRAY : unknownNode(id);
  }

  /** {@code CLUSTER COUNT-FAILURE-REPORTS <id>}: no failure detection, so no reports: 0. */
  public Buffer countFailureReports(ClusterState state, byte[] id) {
    return knows(state, id) ? Resp.ZERO : unknownNode(id);
  }

  private boolean knows(ClusterState state, byte[] id) {
    String text = new String(id, StandardCharsets.ISO_8859_1);
    return Topology.of(state, announce).nodes().stream().anyMatch(node -> node.id().equals(text));
  }

  private static Buffer unknownNode(byte[] id) {
    byte[] prefix = "ERR Unknown node ".getBytes(StandardCharsets.US_ASCII);
    byte[] text = Arrays.copyOf(prefix, prefix.length + id.length);
    System.arraycopy(id, 0, text, prefix.length, id.length);
    return Resp.error(text);
  }

  public Buffer myId(ClusterState state) {
    return Resp.bulk(NodeId.of(state.table().clusterName(), announce.toString()));
  }
}
