package io.crescent.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the arguments of {@code UMCTL SETCLUSTER} (those after the sub-command), in one of two
 * forms:
 * <pre>
 * seed: &lt;epoch&gt; &lt;flags&gt; [&lt;cluster&gt; &lt;redis&gt; &lt;n&gt; &lt;range&gt;...]...
 *          [PEER [&lt;cluster&gt; &lt;proxy&gt; &lt;n&gt; &lt;range&gt;...]...]
 * v2:   v2 &lt;epoch&gt; &lt;flags&gt; &lt;cluster&gt; [&lt;redis&gt; &lt;n&gt; &lt;range&gt;...]...
 *          [PEER [&lt;proxy&gt; &lt;n&gt; &lt;range&gt;...]...] [CONFIG [&lt;field&gt; &lt;value&gt;]...]
 * </pre>
 * {@code <n>} counts the ranges that follow. Flags are {@code NOFLAGS} (or {@code NOFLAG}) and
 * {@code FORCE}, comma-separated. Keywords and flags are case-insensitive.
 */
final class SetClusterParser {

  private static final String PEER = "PEER";
  private static final String CONFIG = "CONFIG";

  private final List<String> args;
  private int pos;

  SetClusterParser(List<String> args) {
    this.args = args;
  }

  ClusterConfig parse() {
    boolean v2 = !args.isEmpty() && args.get(0).equalsIgnoreCase("v2");
    if (v2) {
      pos++;
    }
    long epoch = epoch(next("epoch"));
    boolean force = force(next("flags"));
    return new ClusterConfig(epoch, force, v2 ? v2Clusters() : seedClusters());
  }

  private List<ClusterSpec> seedClusters() {
    Map<String, ClusterSpec.Builder> clusters = new LinkedHashMap<>();
    boolean peers = false;
    while (pos < args.size()) {
      if (!peers && isKeyword(PEER)) {
        pos++;
        peers = true;
        continue;
      }
      String name = args.get(pos++);
      ClusterSpec.Builder cluster = clusters.computeIfAbsent(name, ClusterSpec.Builder::new);
      String address = address(next((peers ? "proxy" : "redis") + " address for cluster '" + name + "'"));
      SlotAssignment slots = slots(address);
      if (peers) {
        cluster.peer(address, slots);
      } else {
        cluster.local(address, slots);
      }
    }
    return clusters.values().stream().map(ClusterSpec.Builder::build).toList();
  }

  private List<ClusterSpec> v2Clusters() {
    ClusterSpec.Builder cluster = new ClusterSpec.Builder(next("cluster name"));
    while (!atSectionEnd()) {
      String address = address(args.get(pos++));
      cluster.local(address, slots(address));
    }
    boolean seenPeer = false;
    boolean seenConfig = false;
    while (pos < args.size()) {
      if (isKeyword(PEER) && !seenPeer) {
        pos++;
        seenPeer = true;
        while (!atSectionEnd()) {
          String address = address(args.get(pos++));
          cluster.peer(address, slots(address));
        }
      } else if (isKeyword(CONFIG) && !seenConfig) {
        pos++;
        seenConfig = true;
        config(cluster);
      } else {
        throw new ClusterConfigException("duplicate " + args.get(pos).toUpperCase(Locale.ROOT) + " section");
      }
    }
    return List.of(cluster.build());
  }

  private void config(ClusterSpec.Builder cluster) {
    List<String> fields = new ArrayList<>();
    while (!atSectionEnd()) {
      fields.add(args.get(pos++));
    }
    if (fields.size() % 2 != 0) {
      throw new ClusterConfigException("CONFIG needs field value pairs, got " + fields.size() + " arguments");
    }
    for (int i = 0; i < fields.size(); i += 2) {
      cluster.config(fields.get(i), fields.get(i + 1));
    }
  }

  private SlotAssignment slots(String address) {
    String countText = next("range count for " + address);
    if (countText.equalsIgnoreCase("MIGRATING") || countText.equalsIgnoreCase("IMPORTING")) {
      throw new ClusterConfigException("slot migration is not supported ('" + countText + "' for " + address + ")");
    }
    int count = count(countText, address);
    List<SlotRange> ranges = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (pos == args.size()) {
        throw new ClusterConfigException("expected " + count + " slot ranges for " + address + ", found " + i);
      }
      ranges.add(SlotRange.parse(args.get(pos++)));
    }
    return new SlotAssignment(ranges);
  }

  private static int count(String text, String address) {
    // No more ranges than slots, which also keeps the number within an int.
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')
        || Integer.parseInt(text) > SlotHash.SLOTS) {
      throw new ClusterConfigException("invalid range count '" + text + "' for " + address);
    }
    return Integer.parseInt(text);
  }

  private static String address(String text) {
    HostPort.parse(text);
    return text;
  }

  private static long epoch(String text) {
    // Digits only: Long.parseLong would accept a sign.
    if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new ClusterConfigException("invalid epoch '" + text + "'");
    }
    return Long.parseLong(text);
  }

  private static boolean force(String text) {
    boolean force = false;
    for (String flag : text.split(",", -1)) {
      switch (flag.toUpperCase(Locale.ROOT)) {
        case "FORCE" -> force = true;
        case "NOFLAGS", "NOFLAG" -> {
        }
        default -> throw new ClusterConfigException("unknown flag '" + flag + "'");
      }
    }
    return force;
  }

  private boolean atSectionEnd() {
    return pos == args.size() || isKeyword(PEER) || isKeyword(CONFIG);
  }

  private boolean isKeyword(String keyword) {
    return args.get(pos).equalsIgnoreCase(keyword);
  }

  private String next(String what) {
    if (pos == args.size()) {
      throw new ClusterConfigException("missing " + what);
    }
    return args.get(pos++);
  }
}
