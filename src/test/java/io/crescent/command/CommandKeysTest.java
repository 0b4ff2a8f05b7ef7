package io.crescent.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crescent.resp.Command;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/** Key positions of representative commands, one key-spec shape after another. */
class CommandKeysTest {

  private static final CommandTable TABLE = CommandTable.builtIn();

  static List<Integer> keys(String... argv) {
    Command cmd = Command.of(argv);
    List<Integer> keys = new ArrayList<>();
    TABLE.find(cmd).forEachKey(cmd, keys::add);
    return keys;
  }

  @Test
  void singleKeyAtFixedIndex() {
    assertEquals(List.of(1), keys("GET", "k"));
    assertEquals(List.of(1), keys("set", "k", "v", "EX", "10", "GET"));
    assertEquals(List.of(1, 2), keys("RENAME", "a", "b"));
    assertEquals(List.of(1, 2), keys("SMOVE", "src", "dst", "member"));
    assertEquals(List.of(1, 2), keys("LMOVE", "src", "dst", "LEFT", "RIGHT"));
  }

  @Test
  void rangesToTheEnd() {
    assertEquals(List.of(1, 3, 5), keys("MSET", "a", "1", "b", "2", "c", "3"));
    assertEquals(List.of(1, 2, 3), keys("MGET", "a", "b", "c"));
    assertEquals(List.of(1, 2), keys("DEL", "a", "b"));
    assertEquals(List.of(2, 3, 4), keys("BITOP", "AND", "dest", "a", "b"));
  }

  @Test
  void blockingPopsEndWithATimeout() {
    assertEquals(List.of(1, 2), keys("BLPOP", "a", "b", "0"));
    assertEquals(List.of(1), keys("BRPOP", "a", "1.5"));
  }

  @Test
  void numkeysSpecs() {
    assertEquals(List.of(3, 4), keys("EVAL", "return 1", "2", "a", "b", "arg"));
    assertEquals(List.of(), keys("EVAL", "return 1", "0", "arg"));
    assertEquals(List.of(3), keys("FCALL", "f", "1", "a", "arg"));
    assertEquals(List.of(2, 3), keys("LMPOP", "2", "a", "b", "LEFT"));
    assertEquals(List.of(3, 4), keys("BLMPOP", "0", "2", "a", "b", "LEFT", "COUNT", "2"));
    assertEquals(List.of(2), keys("ZMPOP", "1", "z", "MIN"));
    assertEquals(List.of(3), keys("BZMPOP", "1", "1", "z", "MAX"));
    assertEquals(List.of(2, 3), keys("SINTERCARD", "2", "a", "b", "LIMIT", "1"));
  }

  @Test
  void invalidNumkeysYieldNoKeysFromThatSpec() {
    assertEquals(List.of(), keys("EVAL", "return 1", "x", "a"));
    assertEquals(List.of(), keys("EVAL", "return 1", "-1", "a"));
    assertEquals(List.of(), keys("EVAL", "return 1", "01", "a"));
    assertEquals(List.of(), keys("EVAL", "return 1", "+1", "a"));
    assertEquals(List.of(), keys("EVAL", "return 1", "99999999999999999999", "a"));
    // Redis rejects a count that runs past the arguments instead of taking what is there.
    assertEquals(List.of(), keys("EVAL", "return 1", "3", "a", "b"));
  }

  @Test
  void destinationPlusNumkeys() {
    assertEquals(List.of(1, 3, 4), keys("ZUNIONSTORE", "dst", "2", "a", "b", "WEIGHTS", "1", "2"));
    // The numkeys spec is out of bounds and dropped; the destination spec still stands.
    assertEquals(List.of(1), keys("ZUNIONSTORE", "dst", "5", "a", "b"));
  }

  @Test
  void streamsKeywordSplitsTheRestInHalves() {
    assertEquals(List.of(2, 3), keys("XREAD", "STREAMS", "a", "b", "0", "0"));
    assertEquals(List.of(4, 5),
        keys("XREAD", "COUNT", "2", "streams", "a", "b", "0-0", "$"));
    assertEquals(List.of(7, 8), keys("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS",
        "a", "b", ">", ">"));
    assertEquals(List.of(), keys("XREAD", "COUNT", "1", "STREAMS"));
  }

  @Test
  void forwardKeywordSearchNeverMatchesTheLastArgument() {
    assertEquals(List.of(1, 7),
        keys("GEORADIUS", "g", "0", "0", "1", "km", "STORE", "dst"));
    assertEquals(List.of(1, 7),
        keys("GEORADIUS", "g", "0", "0", "1", "km", "STOREDIST", "dst"));
    assertEquals(List.of(1), keys("GEORADIUS", "g", "0", "0", "1", "km", "ASC", "STORE"));
  }

  /** As Redis's own function for it: an empty key argument means the keys come after KEYS. */
  @Test
  void migrateKeysAreFoundAsRedisFindsThem() {
    assertEquals(List.of(7, 8), keys("MIGRATE", "host", "6379", "", "0", "5000", "KEYS", "a", "b"));
    assertEquals(List.of(3), keys("MIGRATE", "host", "6379", "k", "0", "5000"));
    assertEquals(List.of(3), keys("MIGRATE", "host", "6379", "k", "0", "5000", "KEYS"));
    assertEquals(List.of(3), keys("MIGRATE", "host", "6379", "KEYS", "0", "5000"));
    assertEquals(List.of(9), keys("MIGRATE", "host", "6379", "", "0", "5000", "AUTH", "keys", "KEYS", "a"));
    assertEquals(List.of(10), keys("MIGRATE", "h", "6379", "", "0", "5000", "AUTH2", "u", "keys", "KEYS", "a"));
    assertEquals(List.of(), keys("MIGRATE", "host", "6379", "k", "0", "5000", "KEYS", "a"));
  }

  @Test
  void sortKeysAreFoundAsRedisFindsThem() {
    assertEquals(List.of(1, 5), keys("SORT", "k", "BY", "w_*", "STORE", "dst"));
    assertEquals(List.of(1, 8), keys("SORT", "k", "LIMIT", "0", "1", "GET", "#", "STORE", "d"));
    assertEquals(List.of(1, 5), keys("sort", "k", "store", "d1", "store", "d2"));
    assertEquals(List.of(1), keys("SORT", "k", "GET", "STORE", "d"));
    assertEquals(List.of(1), keys("SORT", "k", "STORE"));
    assertEquals(List.of(1), keys("SORT_RO", "k", "STORE", "d"));
    assertFalse(TABLE.find(Command.of("SORT", "k")).keysIncomplete());
    assertFalse(TABLE.find(Command.of("SORT_RO", "k")).keysIncomplete());
    assertFalse(TABLE.find(Command.of("MIGRATE", "h", "p", "k", "0", "1")).keysIncomplete());
    assertFalse(TABLE.find(Command.of("GET", "k")).keysIncomplete());
  }

  @Test
  void subcommandKeys() {
    assertEquals(List.of(2), keys("OBJECT", "ENCODING", "k"));
    assertEquals(List.of(2), keys("xinfo", "stream", "s", "FULL"));
    assertEquals(List.of(2), keys("MEMORY", "USAGE", "k", "SAMPLES", "5"));
    assertEquals(List.of(), keys("CLIENT", "KILL", "ID", "5"));
  }

  @Test
  void keylessCommands() {
    assertEquals(List.of(), keys("PING"));
    assertEquals(List.of(), keys("INFO", "server"));
  }

  @Test
  void shardChannelsAreNotKeys() {
    Command spublish = Command.of("SPUBLISH", "ch", "msg");
    CommandSpec spec = TABLE.find(spublish);
    List<Integer> keys = new ArrayList<>();
    List<Integer> channels = new ArrayList<>();
    spec.forEachKey(spublish, keys::add);
    spec.forEachShardChannel(spublish, channels::add);
    assertEquals(List.of(), keys);
    assertEquals(List.of(1), channels);
  }

  @Test
  void legacyTripleServesCommandsWithoutKeySpecs() {
    CommandTable table = CommandTable.parse("oldmset -3 write 1,-1,2\n");
    Command cmd = Command.of("OLDMSET", "a", "1", "b", "2", "c");
    List<Integer> keys = new ArrayList<>();
    table.find(cmd).forEachKey(cmd, keys::add);
    assertEquals(List.of(1, 3, 5), keys);
  }

  @Test
  void numkeysParsingFollowsString2ll() {
    assertEquals(0, KeySpec.parseNonNegative(Command.of("0"), 0));
    assertEquals(Long.MAX_VALUE, KeySpec.parseNonNegative(Command.of("9223372036854775807"), 0));
    assertEquals(-1, KeySpec.parseNonNegative(Command.of("9223372036854775808"), 0));
    assertEquals(-1, KeySpec.parseNonNegative(Command.of(""), 0));
    assertEquals(-1, KeySpec.parseNonNegative(Command.of(" 1"), 0));
    assertEquals(-1, KeySpec.parseNonNegative(Command.of("-0"), 0));
  }
}
