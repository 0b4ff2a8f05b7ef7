package io.crescent.cluster;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Coverage-guided fuzzing of {@link ClusterConfig#parse} ({@code UMCTL SETCLUSTER}). The input is
 * the argument list as text, one space between arguments (two spaces make an empty argument), so
 * seeds are readable; the dictionary steers the fuzzer toward the command's own words. In a normal
 * build this replays {@code SetClusterFuzzTestInputs/parse/}; {@code make fuzz} searches for more.
 */
class SetClusterFuzzTest {

  @FuzzTest(maxDuration = "60s")
  @DictionaryEntries({" ", "v2", "V2", "PEER", "peer", "CONFIG", "NOFLAGS", "NOFLAG", "FORCE", "NOFLAGS,FORCE",
      "MIGRATING", "IMPORTING", "mydb", "0", "1", "2", "16383", "16384", "99999", "0-100", "0-16383", "8001-16383",
      "42-42", "127.0.0.1:7000", "127.0.0.1:6379", "[::1]:6379", ":0", ":65535", ":65536", "-", ","})
  void parse(byte[] input) {
    List<String> args = Arrays.asList(new String(input, StandardCharsets.UTF_8).split(" ", -1));
    ClusterConfig config;
    try {
      config = ClusterConfig.parse(args);
    } catch (ClusterConfigException rejected) {
      return;
    }
    for (ClusterSpec spec : config.clusters()) {
      SlotTable table = SlotTable.of(spec, config.epoch());
      int assigned = checkOwners(table, spec.local(), SlotOwner.Kind.LOCAL, new boolean[SlotHash.SLOTS])
          + checkOwners(table, spec.peers(), SlotOwner.Kind.PEER, claimed(spec.local()));
      assertEquals(assigned, table.assignedSlots(), "assigned slots");
      int owned = 0;
      for (int slot = 0; slot < SlotHash.SLOTS; slot++) {
        owned += table.owner(slot) == null ? 0 : 1;
      }
      // Equal only if no slot was assigned twice.
      assertEquals(assigned, owned, "slots with an owner");
      assertEquals(spec.name(), table.clusterName());
    }
  }

  /** Each slot of each range is owned, in the table, by exactly the address that claims it. */
  private static int checkOwners(SlotTable table, Map<String, List<SlotAssignment>> owners, SlotOwner.Kind kind,
      boolean[] taken) {
    int count = 0;
    for (Map.Entry<String, List<SlotAssignment>> entry : owners.entrySet()) {
      SlotOwner first = null;
      for (SlotAssignment assignment : entry.getValue()) {
        for (SlotRange range : assignment.ranges()) {
          for (int slot = range.start(); slot <= range.end(); slot++) {
            if (taken[slot]) {
              throw new AssertionError("slot " + slot + " accepted twice");
            }
            taken[slot] = true;
            SlotOwner owner = table.owner(slot);
            assertNotNull(owner, "slot " + slot);
            assertEquals(kind, owner.kind());
            assertEquals(entry.getKey(), owner.address());
            if (first == null) {
              first = owner;
            }
            assertSame(first, owner, "one owner object per address");
            count++;
          }
        }
      }
    }
    return count;
  }

  private static boolean[] claimed(Map<String, List<SlotAssignment>> owners) {
    boolean[] taken = new boolean[SlotHash.SLOTS];
    owners.values().forEach(list -> list.forEach(a -> a.ranges().forEach(r -> {
      for (int slot = r.start(); slot <= r.end(); slot++) {
        taken[slot] = true;
      }
    })));
    return taken;
  }
}
