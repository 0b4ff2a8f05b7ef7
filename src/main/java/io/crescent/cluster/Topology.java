package io.crescent.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The default cluster as clients see it: this proxy (standing for all its local redis servers)
 * and each peer proxy as one master node, plus the slot ranges in slot order. Derived from the
 * slot table, so ranges of one node come out sorted and adjacent ones merged.
 */
final class Topology {

  record Node(String id, HostPort address, boolean myself, List<SlotRange> ranges) {
  }

  record Run(SlotRange range, Node node) {
  }

  private final List<Node> nodes;
  private final List<Run> runs;

  private Topology(List<Node> nodes, List<Run> runs) {
    this.nodes = nodes;
    this.runs = runs;
  }

  static Topology of(ClusterState state, HostPort announce) {
    SlotTable table = state.table();
    List<HostPort> addresses = new ArrayList<>(List.of(announce));
    Map<String, Integer> peerIndex = new HashMap<>();
    state.config().defaultCluster().ifPresent(spec -> spec.peers().keySet().forEach(peer -> {
      peerIndex.put(peer, addresses.size());
      addresses.add(HostPort.parse(peer));
    }));
    List<List<SlotRange>> ranges = new ArrayList<>();
    addresses.forEach(a -> ranges.add(new ArrayList<>()));
    List<int[]> runs = new ArrayList<>();

    int runStart = 0;
    int runNode = nodeIndex(table.owner(0), peerIndex);
    for (int slot = 1; slot <= SlotHash.SLOTS; slot++) {
      int node = slot == SlotHash.SLOTS ? -2 : nodeIndex(table.owner(slot), peerIndex);
      if (node != runNode) {
        if (runNode >= 0) {
          ranges.get(runNode).add(new SlotRange(runStart, slot - 1));
          runs.add(new int[] {runStart, slot - 1, runNode});
        }
        runStart = slot;
        runNode = node;
      }
    }

    List<Node> nodes = new ArrayList<>(addresses.size());
    for (int i = 0; i < addresses.size(); i++) {
      HostPort address = addresses.get(i);
      nodes.add(new Node(NodeId.of(table.clusterName(), address.toString()), address, i == 0,
          List.copyOf(ranges.get(i))));
    }
    List<Run> slotRuns = runs.stream().map(r -> new Run(new SlotRange(r[0], r[1]), nodes.get(r[2]))).toList();
    return new Topology(List.copyOf(nodes), slotRuns);
  }

  /** 0 for any local redis (they all hide behind this proxy), the peer's index, or -1 for none. */
  private static int nodeIndex(SlotOwner owner, Map<String, Integer> peerIndex) {
    if (owner == null) {
      return -1;
    }
    return owner.isLocal() ? 0 : peerIndex.get(owner.address());
  }

  /** This proxy first, then the peers in configuration order. */
  List<Node> nodes() {
    return nodes;
  }

  Node myself() {
    return nodes.get(0);
  }

  /** Maximal runs of slots served by one node, in slot order. */
  List<Run> runs() {
    return runs;
  }
}
