package io.crescent.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crescent.resp.Command;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/** {@link CommandTable#mergedWith} over a hand-made COMMAND reply, as RESP2 lists. */
class CommandTableMergeTest {

  private static final CommandTable BUILT_IN = CommandTable.builtIn();

  /** A Redis 7 entry: ten fields, key specs and subcommands included. */
  private static List<Object> entry(String name, long arity, List<String> flags, long first,
      long last, long step, List<Object> keySpecs, List<Object> subcommands) {
    return List.of(name, arity, flags, first, last, step, List.of(), List.of(), keySpecs,
        subcommands);
  }

  /** A pre-7.0 entry: name, arity, flags, first, last, step and (6.x) ACL categories. */
  private static List<Object> legacyEntry(String name, long arity, List<String> flags, long first,
      long last, long step) {
    return List.of(name, arity, flags, first, last, step, List.of("@keyspace"));
  }

  private static List<Object> indexRangeSpec(String beginType, long index) {
    return List.of("flags", List.of("RO", "access"),
        "begin_search", List.of("type", beginType, "spec", List.of("index", index)),
        "find_keys", List.of("type", "range", "spec",
            List.of("lastkey", 0L, "keystep", 1L, "limit", 0L)));
  }

  private static List<Integer> keys(CommandTable table, String... argv) {
    Command cmd = Command.of(argv);
    List<Integer> keys = new ArrayList<>();
    table.find(cmd).forEachKey(cmd, keys::add);
    return keys;
  }

  private static final List<Object> REPLY = List.of(
      // A module command, with a key spec.
      entry("mymod.get", 2, List.of("readonly", "module"), 1, 1, 1,
          List.of(indexRangeSpec("index", 1)), List.of()),
      // A module container with a subcommand.
      entry("mymod.config", -2, List.of("module"), 0, 0, 0, List.of(), List.of(
          entry("mymod.config|get", 3, List.of("module"), 0, 0, 0, List.of(), List.of()))),
      // A newer server's view of GET (a flag 7.0 does not have): the live server wins.
      entry("get", 2, List.of("readonly", "fast", "newflag"), 1, 1, 1,
          List.of(indexRangeSpec("index", 1)), List.of()),
      // An entry in a shape this proxy cannot read: left out, the built-in SET stays.
      entry("set", -3, List.of("write", "newflag"), 1, 1, 1,
          List.of(indexRangeSpec("from-the-future", 1)), List.of()),
      // Pre-7.0 entries: the built-in spec wins where there is one...
      legacyEntry("eval", -3, List.of("noscript", "movablekeys"), 0, 0, 0),
      // ...and the legacy triple describes the keys of a command only that server knows.
      legacyEntry("oldmod.set", -3, List.of("write"), 1, 1, 1),
      legacyEntry("oldmod.mget", -2, List.of("readonly", "movablekeys"), 0, 0, 0));

  private final CommandTable merged = BUILT_IN.mergedWith(REPLY);

  @Test
  void commandsOnlyTheLiveServerKnowsAreAdded() {
    assertEquals(BUILT_IN.commands().size() + 4, merged.commands().size());
    assertEquals(List.of(1), keys(merged, "MYMOD.GET", "k"));
    assertTrue(merged.find(Command.of("mymod.get", "k")).arityOk(2));
    assertEquals("mymod.config|get", merged.find(Command.of("MYMOD.CONFIG", "GET", "x")).name());
  }

  @Test
  void aRedis7EntryReplacesTheBuiltInSpec() {
    assertTrue(merged.find(Command.of("GET", "k")).hasFlag("newflag"));
    assertFalse(BUILT_IN.find(Command.of("GET", "k")).hasFlag("newflag"), "the base is untouched");
  }

  @Test
  void anUnreadableEntryKeepsTheBuiltInSpec() {
    Command set = Command.of("SET", "k", "v");
    assertSame(BUILT_IN.find(set), merged.find(set));
  }

  @Test
  void aPre7EntryDoesNotReplaceBuiltInKeySpecs() {
    assertSame(BUILT_IN.find(Command.of("EVAL", "s", "1", "k")),
        merged.find(Command.of("EVAL", "s", "1", "k")));
    assertEquals(List.of(3), keys(merged, "EVAL", "s", "1", "k"));
  }

  @Test
  void aPre7EntryOnlyTheLiveServerKnowsUsesItsLegacyTriple() {
    assertEquals(List.of(1), keys(merged, "OLDMOD.SET", "k", "v"));
    assertFalse(merged.find(Command.of("OLDMOD.SET", "k", "v")).keysIncomplete());
    CommandSpec movable = merged.find(Command.of("OLDMOD.MGET", "2", "a", "b"));
    assertTrue(movable.keysIncomplete(), "no key specs for movable keys");
    assertEquals(List.of(), keys(merged, "OLDMOD.MGET", "2", "a", "b"));
  }

  @Test
  void mergingAnEmptyReplyChangesNothing() {
    CommandTable same = BUILT_IN.mergedWith(List.of());
    assertEquals(BUILT_IN.commands().size(), same.commands().size());
    assertNull(same.find(Command.of("MYMOD.GET", "k")));
  }
}
