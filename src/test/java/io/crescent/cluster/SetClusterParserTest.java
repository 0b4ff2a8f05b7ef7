package io.crescent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SetClusterParserTest {

  static ClusterConfig parse(String line) {
    return ClusterConfig.parse(line.isEmpty() ? List.of() : Arrays.asList(line.split(" ")));
  }

  private static List<SlotAssignment> groups(String... groups) {
    return Arrays.stream(groups)
        .map(g -> new SlotAssignment(Arrays.stream(g.split(" ")).map(SlotRange::parse).toList()))
        .toList();
  }

  @Test
  void transcriptLine() {
    ClusterConfig config = parse("1 NOFLAGS mydb 127.0.0.1:6379 1 0-8000 PEER mydb 127.0.0.1:7000 1 8001-16383");
    assertEquals(1, config.epoch());
    assertFalse(config.force());
    assertEquals(1, config.clusters().size());
    ClusterSpec mydb = config.clusters().get(0);
    assertEquals("mydb", mydb.name());
    assertEquals(Map.of("127.0.0.1:6379", groups("0-8000")), mydb.local());
    assertEquals(Map.of("127.0.0.1:7000", groups("8001-16383")), mydb.peers());
    assertTrue(mydb.config().isEmpty());
    assertEquals(mydb, config.defaultCluster().orElseThrow());
  }

  @Test
  void seedFormWithSeveralClustersMergesAddressesAndKeepsOrder() {
    ClusterConfig config = parse("7 FORCE,NOFLAGS"
        + " db2 127.0.0.1:6380 2 0-10 20-30"
        + " db1 127.0.0.1:6379 1 0-100"
        + " db2 127.0.0.1:6380 1 40-40"
        + " db2 127.0.0.1:6381 1 50-60"
        + " peer db1 127.0.0.1:7000 1 101-200"
        + " db3 127.0.0.1:7001 1 0-16383");
    assertTrue(config.force());
    assertEquals(List.of("db2", "db1", "db3"), config.clusters().stream().map(ClusterSpec::name).toList());
    ClusterSpec db2 = config.clusters().get(0);
    assertEquals(List.of("127.0.0.1:6380", "127.0.0.1:6381"), List.copyOf(db2.local().keySet()));
    assertEquals(groups("0-10 20-30", "40-40"), db2.local().get("127.0.0.1:6380"));
    assertEquals(groups("101-200"), config.clusters().get(1).peers().get("127.0.0.1:7000"));
    assertTrue(config.clusters().get(2).local().isEmpty());
  }

  @Test
  void seedFormWithoutClusters() {
    ClusterConfig config = parse("3 NOFLAG");
    assertEquals(3, config.epoch());
    assertTrue(config.clusters().isEmpty());
    assertTrue(config.defaultCluster().isEmpty());
  }

  @Test
  void v2Form() {
    ClusterConfig config = parse("v2 2 noflags mydb 127.0.0.1:6379 1 0-5000 127.0.0.1:6380 1 5001-8000"
        + " 127.0.0.1:6379 1 8001-8001"
        + " PEER 127.0.0.1:7000 2 8002-9000 9001-16383 CONFIG compression_strategy disabled max_x 3");
    assertEquals(2, config.epoch());
    ClusterSpec mydb = config.clusters().get(0);
    assertEquals(groups("0-5000", "8001-8001"), mydb.local().get("127.0.0.1:6379"));
    assertEquals(groups("5001-8000"), mydb.local().get("127.0.0.1:6380"));
    assertEquals(groups("8002-9000 9001-16383"), mydb.peers().get("127.0.0.1:7000"));
    assertEquals(List.of("compression_strategy", "max_x"), List.copyOf(mydb.config().keySet()));
    assertEquals("disabled", mydb.config().get("compression_strategy"));
  }

  @Test
  void v2SectionsInEitherOrderAndEmpty() {
    ClusterSpec spec = parse("V2 2 FORCE mydb CONFIG a b PEER 127.0.0.1:7000 0").clusters().get(0);
    assertEquals(Map.of("a", "b"), spec.config());
    assertEquals(List.of(new SlotAssignment(List.of())), spec.peers().get("127.0.0.1:7000"));
    assertTrue(parse("v2 2 FORCE mydb").clusters().get(0).local().isEmpty());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "|missing epoch",
      "x NOFLAGS|invalid epoch 'x'",
      "-1 NOFLAGS|invalid epoch '-1'",
      "+1 NOFLAGS|invalid epoch '+1'",
      "99999999999999999999 NOFLAGS|invalid epoch '99999999999999999999'",
      "1|missing flags",
      "1 FAST|unknown flag 'FAST'",
      "1 FORCE,COMPRESS|unknown flag 'COMPRESS'",
      "1 FORCE,|unknown flag ''",
      "1 NOFLAGS mydb|missing redis address for cluster 'mydb'",
      "1 NOFLAGS mydb 127.0.0.1|invalid address '127.0.0.1'",
      "1 NOFLAGS mydb :6379 1 0-1|invalid address ':6379'",
      "1 NOFLAGS mydb 127.0.0.1:0 1 0-1|invalid address '127.0.0.1:0'",
      "1 NOFLAGS mydb 127.0.0.1:65536 1 0-1|invalid address '127.0.0.1:65536'",
      "1 NOFLAGS mydb 127.0.0.1:x 1 0-1|invalid address '127.0.0.1:x'",
      "1 NOFLAGS mydb 127.0.0.1:6379|missing range count for 127.0.0.1:6379",
      "1 NOFLAGS mydb 127.0.0.1:6379 x 0-1|invalid range count 'x' for 127.0.0.1:6379",
      "1 NOFLAGS mydb 127.0.0.1:6379 -1 0-1|invalid range count '-1' for 127.0.0.1:6379",
      "1 NOFLAGS mydb 127.0.0.1:6379 2 0-1|expected 2 slot ranges for 127.0.0.1:6379, found 1",
      "1 NOFLAGS mydb 127.0.0.1:6379 1|expected 1 slot ranges for 127.0.0.1:6379, found 0",
      "1 NOFLAGS mydb 127.0.0.1:6379 1 9000-8000|invalid slot range '9000-8000'",
      "1 NOFLAGS mydb 127.0.0.1:6379 1 0-16384|invalid slot range '0-16384'",
      "1 NOFLAGS mydb 127.0.0.1:6379 1 5|invalid slot range '5'",
      "1 NOFLAGS mydb 127.0.0.1:6379 1 -5|invalid slot range '-5'",
      "1 NOFLAGS mydb 127.0.0.1:6379 1 1-2-3|invalid slot range '1-2-3'",
      "1 NOFLAGS mydb 127.0.0.1:6379 2 0-5 PEER|invalid slot range 'PEER'",
      "1 NOFLAGS mydb 127.0.0.1:6379 migrating 1 0-5|slot migration is not supported ('migrating' for 127.0.0.1:6379)",
      "1 NOFLAGS mydb 127.0.0.1:6379 1 0-100 mydb 127.0.0.1:6380 1 100-200|"
          + "slot 100 is assigned to both 127.0.0.1:6379 and 127.0.0.1:6380 in cluster 'mydb'",
      "1 NOFLAGS mydb 127.0.0.1:6379 1 0-100 mydb 127.0.0.1:6379 1 50-60|"
          + "slot 50 is assigned twice to 127.0.0.1:6379 in cluster 'mydb'",
      "1 NOFLAGS mydb 127.0.0.1:6379 1 0-8000 PEER mydb 127.0.0.1:7000 1 8000-16383|"
          + "slot 8000 is assigned to both 127.0.0.1:6379 and 127.0.0.1:7000 in cluster 'mydb'",
      "1 NOFLAGS PEER a 127.0.0.1:7000 1 0-10 a 127.0.0.1:7001 1 10-20|"
          + "slot 10 is assigned to both 127.0.0.1:7000 and 127.0.0.1:7001 in cluster 'a'",
      "1 NOFLAGS PEER mydb|missing proxy address for cluster 'mydb'",
      "1 NOFLAGS PEER PEER 127.0.0.1:7000 1 0-1|invalid cluster name 'PEER'",
      "1 NOFLAGS CONFIG a b|invalid cluster name 'CONFIG'",
      "v2|missing epoch",
      "v2 1 NOFLAGS|missing cluster name",
      "v2 1 NOFLAGS mydb CONFIG a|CONFIG needs field value pairs, got 1 arguments",
      "v2 1 NOFLAGS mydb CONFIG a b c PEER|CONFIG needs field value pairs, got 3 arguments",
      "v2 1 NOFLAGS mydb PEER 127.0.0.1:7000 1 0-1 PEER|duplicate PEER section",
      "v2 1 NOFLAGS mydb CONFIG a b CONFIG|duplicate CONFIG section",
      "v2 1 NOFLAGS mydb 127.0.0.1:6379 1 0-10 PEER 127.0.0.1:7000 1 10-20|"
          + "slot 10 is assigned to both 127.0.0.1:6379 and 127.0.0.1:7000 in cluster 'mydb'",
      "v2 1 NOFLAGS mydb 127.0.0.1:6379 1 0-10 PEER 7000 1 11-20|invalid address '7000'",
  })
  void errorsNameTheProblem(String line, String message) {
    ClusterConfigException e = assertThrows(ClusterConfigException.class, () -> parse(line == null ? "" : line));
    assertEquals(message, e.getMessage());
    assertEquals("-ERR " + message + "\r\n", e.reply().toString());
  }

  @Test
  void anAddressCannotBeBothLocalAndAPeer() {
    ClusterConfigException e = assertThrows(ClusterConfigException.class,
        () -> ClusterConfig.parse(List.of("1", "NOFLAGS", "a", "127.0.0.1:6379", "1", "0-10",
            "PEER", "a", "127.0.0.1:6379", "1", "11-20")));
    assertTrue(e.getMessage().contains("both a local Redis and a peer"), e.getMessage());
  }
}
