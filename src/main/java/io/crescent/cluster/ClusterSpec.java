package io.crescent.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One cluster as this proxy must present it: the redis servers behind this proxy (local) and the
 * other proxies (peers), each with the slots it owns, plus free-form configuration fields.
 *
 * <p>Maps keep the order of the configuration, which is the order replies list nodes in.
 * Construction validates everything, so a spec that exists is usable: a well-formed name,
 * {@code host:port} addresses and no slot owned twice.
 */
public record ClusterSpec(
    String name,
    Map<String, List<SlotAssignment>> local,
    Map<String, List<SlotAssignment>> peers,
    Map<String, String> config) {

  public ClusterSpec {
    checkName(name);
    local = copy(local);
    peers = copy(peers);
    config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    checkNoOverlap(name, local, peers);
    for (String address : local.keySet()) {
      if (peers.containsKey(address)) {
        // One address is a Redis or a proxy, never both: routing would loop through it.
        throw new ClusterConfigException(address + " is both a local Redis and a peer in cluster '" + name + "'");
      }
    }
  }

  /**
   * Names become the first part of node ids and words of admin commands, so they are printable
   * ASCII without spaces, and may not be the section keywords of {@code UMCTL SETCLUSTER}.
   */
  static void checkName(String name) {
    boolean ok = !name.isEmpty() && !name.equalsIgnoreCase("PEER") && !name.equalsIgnoreCase("CONFIG");
    for (int i = 0; ok && i < name.length(); i++) {
      char c = name.charAt(i);
      ok = c > ' ' && c < 127;
    }
    if (!ok) {
      throw new ClusterConfigException("invalid cluster name '" + name + "'");
    }
  }

  private static Map<String, List<SlotAssignment>> copy(Map<String, List<SlotAssignment>> owners) {
    Map<String, List<SlotAssignment>> copy = new LinkedHashMap<>();
    owners.forEach((address, slots) -> {
      HostPort.parse(address);
      copy.put(address, List.copyOf(slots));
    });
    return Collections.unmodifiableMap(copy);
  }

  private static void checkNoOverlap(String name, Map<String, List<SlotAssignment>> local,
      Map<String, List<SlotAssignment>> peers) {
    List<String> owners = new ArrayList<>(local.keySet());
    owners.addAll(peers.keySet());
    List<List<SlotAssignment>> slots = new ArrayList<>(local.values());
    slots.addAll(peers.values());
    // Owner index + 1 per slot, 0 for free: every conflict is found in one pass.
    int[] claimedBy = new int[SlotHash.SLOTS];
    for (int owner = 0; owner < owners.size(); owner++) {
      for (SlotAssignment assignment : slots.get(owner)) {
        for (SlotRange range : assignment.ranges()) {
          for (int slot = range.start(); slot <= range.end(); slot++) {
            int previous = claimedBy[slot] - 1;
            if (previous >= 0) {
              throw new ClusterConfigException(previous == owner
                  ? "slot " + slot + " is assigned twice to " + owners.get(owner) + " in cluster '" + name + "'"
                  : "slot " + slot + " is assigned to both " + owners.get(previous) + " and "
                      + owners.get(owner) + " in cluster '" + name + "'");
            }
            claimedBy[slot] = owner + 1;
          }
        }
      }
    }
  }

  /** Collects a cluster from configuration entries in order, merging entries of one address. */
  static final class Builder {
    private final String name;
    private final Map<String, List<SlotAssignment>> local = new LinkedHashMap<>();
    private final Map<String, List<SlotAssignment>> peers = new LinkedHashMap<>();
    private final Map<String, String> config = new LinkedHashMap<>();

    Builder(String name) {
      checkName(name);
      this.name = name;
    }

    Builder local(String address, SlotAssignment slots) {
      local.computeIfAbsent(address, a -> new ArrayList<>()).add(slots);
      return this;
    }

    Builder peer(String address, SlotAssignment slots) {
      peers.computeIfAbsent(address, a -> new ArrayList<>()).add(slots);
      return this;
    }

    Builder config(String field, String value) {
      config.put(field, value);
      return this;
    }

    ClusterSpec build() {
      return new ClusterSpec(name, local, peers, config);
    }
  }
}
