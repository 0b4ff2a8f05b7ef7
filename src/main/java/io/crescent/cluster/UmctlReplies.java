package io.crescent.cluster;

import io.crescent.resp.Resp;
import io.vertx.core.buffer.Buffer;

import java.util.List;
import java.util.Map;

/** The replies to the read-only {@code UMCTL} admin commands. */
public final class UmctlReplies {

  private UmctlReplies() {
  }

  /**
   * The configuration as text for people, e.g.
   * <pre>
   * epoch: 1
   * configured: yes
   * cluster: mydb (default)
   *   local 127.0.0.1:6379 0-8000
   *   peer 127.0.0.1:7000 8001-16383
   *   config field value
   * </pre>
   * An address given several slot groups lists them separated by ", ".
   */
  public static Buffer info(ClusterState state) {
    StringBuilder text = new StringBuilder()
        .append("epoch: ").append(state.epoch()).append("\r\n")
        .append("configured: ").append(state.configured() ? "yes" : "no").append("\r\n");
    boolean first = true;
    for (ClusterSpec cluster : state.config().clusters()) {
      text.append("cluster: ").append(cluster.name()).append(first ? " (default)" : "").append("\r\n");
      owners(text, "local", cluster.local());
      owners(text, "peer", cluster.peers());
      cluster.config().forEach((field, value) ->
          text.append("  config ").append(field).append(' ').append(value).append("\r\n"));
      first = false;
    }
    return Resp.bulk(text.toString());
  }

  private static void owners(StringBuilder text, String role, Map<String, List<SlotAssignment>> owners) {
    owners.forEach((address, assignments) -> {
      text.append("  ").append(role).append(' ').append(address).append(' ');
      for (int i = 0; i < assignments.size(); i++) {
        text.append(i == 0 ? "" : ", ").append(assignments.get(i));
      }
      text.append("\r\n");
    });
  }

  public static Buffer listCluster(ClusterState state) {
    return Resp.stringArray(state.clusterNames());
  }

  public static Buffer getEpoch(ClusterState state) {
    return Resp.integer(state.epoch());
  }
}
