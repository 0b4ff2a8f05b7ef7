package io.crescent.cluster;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The owner of every slot of one cluster at one epoch, looked up by index on each command. It
 * never changes: a new configuration builds a new table, swapped in with one reference write, so
 * readers on any thread need no locking.
 */
public final class SlotTable {

  /** Shared by every table without slots; like any table's array, never written. */
  private static final SlotOwner[] NO_OWNERS = new SlotOwner[SlotHash.SLOTS];

  public static final SlotTable EMPTY = none(0);

  private final String clusterName;
  private final long epoch;
  /** Never written after construction and never handed out. */
  private final SlotOwner[] owners;
  private final String defaultRedis;
  private final List<String> peers;
  /** Every Redis and peer proxy of the table. */
  private final Set<String> addresses;
  private final int assignedSlots;
  private final int localSlots;

  private SlotTable(String clusterName, long epoch, SlotOwner[] owners, String defaultRedis, List<String> peers,
      Set<String> addresses, int assignedSlots, int localSlots) {
    this.clusterName = clusterName;
    this.epoch = epoch;
    this.owners = owners;
    this.defaultRedis = defaultRedis;
    this.peers = peers;
    this.addresses = addresses;
    this.assignedSlots = assignedSlots;
    this.localSlots = localSlots;
  }

  public static SlotTable of(ClusterSpec spec, long epoch) {
    SlotOwner[] owners = new SlotOwner[SlotHash.SLOTS];
    int local = fill(owners, spec.local(), SlotOwner.Kind.LOCAL);
    int assigned = local + fill(owners, spec.peers(), SlotOwner.Kind.PEER);
    String defaultRedis = spec.local().isEmpty() ? null : spec.local().keySet().iterator().next();
    List<String> peers = List.copyOf(spec.peers().keySet());
    Set<String> addresses = new HashSet<>(spec.local().keySet());
    addresses.addAll(peers);
    return new SlotTable(spec.name(), epoch, owners, defaultRedis, peers, Set.copyOf(addresses), assigned, local);
  }

  /** A table in which no slot has an owner, for a configuration without clusters. */
  static SlotTable none(long epoch) {
    return new SlotTable("", epoch, NO_OWNERS, null, List.of(), Set.of(), 0, 0);
  }

  /** One shared owner object per address, so that comparing owners can be by reference. */
  private static int fill(SlotOwner[] owners, Map<String, List<SlotAssignment>> byAddress, SlotOwner.Kind kind) {
    Map<String, SlotOwner> shared = new HashMap<>();
    int assigned = 0;
    for (Map.Entry<String, List<SlotAssignment>> entry : byAddress.entrySet()) {
      SlotOwner owner = shared.computeIfAbsent(entry.getKey(), address -> new SlotOwner(kind, address));
      for (SlotAssignment assignment : entry.getValue()) {
        for (SlotRange range : assignment.ranges()) {
          for (int slot = range.start(); slot <= range.end(); slot++) {
            owners[slot] = owner;
          }
          assigned += range.size();
        }
      }
    }
    return assigned;
  }

  /** The owner of {@code slot}, or null when no one serves it. */
  public SlotOwner owner(int slot) {
    return owners[slot];
  }

  /** Whether {@code redis}, a Redis of this proxy, serves {@code slot}. */
  public boolean servedBy(int slot, String redis) {
    SlotOwner owner = owners[slot];
    return owner != null && owner.isLocal() && owner.address().equals(redis);
  }

  /** Where commands without a key go: the first local redis, or null if there is none. */
  public String defaultRedis() {
    return defaultRedis;
  }

  /** Every Redis of this proxy and every peer proxy: the backends worth a connection. */
  public Set<String> addresses() {
    return addresses;
  }

  /** The other proxies of the cluster, in configuration order. */
  public List<String> peers() {
    return peers;
  }

  public int assignedSlots() {
    return assignedSlots;
  }

  /** Slots served by this proxy's own Redis instances. */
  public int localSlots() {
    return localSlots;
  }

  public boolean allSlotsAssigned() {
    return assignedSlots == SlotHash.SLOTS;
  }

  public String clusterName() {
    return clusterName;
  }

  public long epoch() {
    return epoch;
  }
}
