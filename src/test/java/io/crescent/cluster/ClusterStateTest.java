package io.crescent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterStateTest {

  private static final String TRANSCRIPT =
      "1 NOFLAGS mydb 127.0.0.1:6379 1 0-8000 PEER mydb 127.0.0.1:7000 1 8001-16383";

  private static ClusterConfig config(String line) {
    return SetClusterParserTest.parse(line);
  }

  @Test
  void emptyStateIsUnconfigured() {
    ClusterState empty = ClusterState.EMPTY;
    assertFalse(empty.configured());
    assertEquals(0, empty.epoch());
    assertEquals(List.of(), empty.clusterNames());
    assertEquals(0, empty.table().assignedSlots());
    assertNull(empty.table().defaultRedis());
    assertNull(empty.table().owner(0));
  }

  @Test
  void epochsOnlyMoveForwardUnlessForced() {
    ClusterState one = ClusterState.EMPTY.apply(config(TRANSCRIPT));
    assertTrue(one.configured());
    assertEquals(1, one.epoch());
    assertEquals("OLD_EPOCH",
        assertThrows(ClusterConfigException.class, () -> one.apply(config(TRANSCRIPT))).getMessage());
    assertEquals("-ERR OLD_EPOCH\r\n",
        assertThrows(ClusterConfigException.class, () -> one.apply(config("0 NOFLAGS"))).reply().toString());
    assertEquals(2, one.apply(config("2 NOFLAGS")).epoch());
    ClusterState forced = one.apply(config("0 FORCE mydb 127.0.0.1:6379 1 0-16383"));
    assertEquals(0, forced.epoch());
    assertEquals(16384, forced.table().assignedSlots());
    assertThrows(ClusterConfigException.class, () -> ClusterState.EMPTY.apply(config("0 NOFLAGS")));
    assertEquals(0, ClusterState.EMPTY.apply(config("0 FORCE")).epoch());
  }

  @Test
  void slotTableOfTheDefaultCluster() {
    ClusterState state = ClusterState.EMPTY.apply(config("5 NOFLAGS"
        + " mydb 127.0.0.1:6380 1 100-199 mydb 127.0.0.1:6379 2 0-99 300-300"
        + " other 127.0.0.1:6390 1 0-16383"
        + " PEER mydb 127.0.0.1:7000 1 200-299"));
    SlotTable table = state.table();
    assertEquals("mydb", table.clusterName());
    assertEquals(5, table.epoch());
    assertEquals(List.of("mydb", "other"), state.clusterNames());
    assertEquals("127.0.0.1:6380", table.defaultRedis());
    assertEquals(new SlotOwner(SlotOwner.Kind.LOCAL, "127.0.0.1:6379"), table.owner(0));
    assertEquals(new SlotOwner(SlotOwner.Kind.LOCAL, "127.0.0.1:6379"), table.owner(300));
    assertEquals(new SlotOwner(SlotOwner.Kind.LOCAL, "127.0.0.1:6380"), table.owner(199));
    assertEquals(new SlotOwner(SlotOwner.Kind.PEER, "127.0.0.1:7000"), table.owner(250));
    assertFalse(table.owner(250).isLocal());
    assertSame(table.owner(0), table.owner(99));
    assertNull(table.owner(301));
    assertNull(table.owner(16383));
    assertEquals(301, table.assignedSlots());
    assertFalse(table.allSlotsAssigned());
  }

  @Test
  void configurationWithoutClustersKeepsItsEpoch() {
    ClusterState state = ClusterState.EMPTY.apply(config("4 NOFLAGS"));
    assertTrue(state.configured());
    assertEquals(4, state.table().epoch());
    assertNull(state.table().defaultRedis());
    assertEquals(0, state.table().assignedSlots());
  }

  @Test
  void peersOnlyClusterHasNoDefaultRedis() {
    ClusterState state = ClusterState.EMPTY.apply(config("1 NOFLAGS PEER mydb 127.0.0.1:7000 1 0-16383"));
    assertNull(state.table().defaultRedis());
    assertTrue(state.table().allSlotsAssigned());
  }
}
