package io.crescent.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crescent.resp.Command;
import org.junit.jupiter.api.Test;

/** Finding commands and subcommands, and what their specs say besides keys. */
class CommandTableTest {

  private static final CommandTable TABLE = CommandTable.builtIn();

  private static CommandSpec find(String... argv) {
    return TABLE.find(Command.of(argv));
  }

  @Test
  void builtInIsLoadedOnce() {
    assertSame(TABLE, CommandTable.builtIn());
  }

  @Test
  void findsCommandsIgnoringCase() {
    assertEquals("get", find("GeT", "k").name());
    assertSame(find("get", "k"), find("GET", "x"));
    assertNull(find("NOSUCHCOMMAND", "k"));
  }

  /** Every name of the table, in either case, and near misses. */
  @Test
  void findsEveryCommandAndSubcommandByItsBytes() {
    for (CommandSpec spec : TABLE.commands()) {
      String[] parts = spec.name().split("\\|");
      assertSame(spec, find(parts[0].toUpperCase()), spec.name());
      assertSame(spec, find(parts[0]), spec.name());
      assertNull(find(parts[0] + "~"));
    }
    assertEquals("config|get", find("Config", "GeT", "x").name());
    assertNull(find(""));
    assertNull(find("g\u00c9t"));
  }

  @Test
  void findsSubcommandsOfContainers() {
    assertEquals("object|encoding", find("OBJECT", "encoding", "k").name());
    assertEquals("client|kill", find("client", "KILL", "ID", "1").name());
    assertEquals("xinfo|stream", find("XINFO", "STREAM", "s").name());
    assertTrue(find("OBJECT").hasSubcommands());
    assertFalse(find("OBJECT", "encoding", "k").hasSubcommands());
  }

  @Test
  void unknownSubcommandFallsBackToTheContainer() {
    assertEquals("object", find("OBJECT", "nosuch", "k").name());
    assertEquals("object", find("OBJECT").name());
  }

  @Test
  void ordinaryCommandsIgnoreTheirSecondArgumentAsASubcommand() {
    assertEquals("set", find("SET", "encoding", "v").name());
  }

  @Test
  void arity() {
    CommandSpec get = find("GET", "k");
    assertEquals(2, get.arity());
    assertTrue(get.arityOk(2));
    assertFalse(get.arityOk(1));
    assertFalse(get.arityOk(3));
    CommandSpec mset = find("MSET");
    assertEquals(-3, mset.arity());
    assertFalse(mset.arityOk(2));
    assertTrue(mset.arityOk(3));
    assertTrue(mset.arityOk(7));
    assertTrue(find("OBJECT", "ENCODING").arityOk(3));
  }

  @Test
  void flags() {
    assertTrue(find("SET").isWrite());
    assertTrue(find("SET").hasFlag("denyoom"));
    assertFalse(find("GET").isWrite());
    assertTrue(find("GET").hasFlag("readonly"));
    assertTrue(find("GET").hasFlag("fast"));
    assertTrue(find("BLPOP").isBlocking());
    assertFalse(find("LPOP").isBlocking());
    assertTrue(find("AUTH").hasFlag("no_auth"));
    assertTrue(find("SAVE").hasFlag("no_multi"));
    assertTrue(find("SHUTDOWN").hasFlag("allow_busy"));
    assertTrue(find("EVAL").hasFlag("movablekeys"));
    assertTrue(find("CLIENT", "KILL").hasFlag("admin"));
    assertFalse(find("GET").hasFlag("nonsense"));
  }

  @Test
  void rejectsMalformedTables() {
    assertThrows(IllegalArgumentException.class, () -> CommandTable.parse("get 2 readonly\n"));
    assertThrows(IllegalArgumentException.class,
        () -> CommandTable.parse("get 2 readonly 1,1,1 RO:index=1:range=0,0,0\n"));
    assertThrows(IllegalArgumentException.class,
        () -> CommandTable.parse("get 2 readonly 1,1,1 RO:between=1:range=0,1,0\n"));
    assertThrows(IllegalArgumentException.class,
        () -> CommandTable.parse("get 2 - 1,1,1\nget 2 - 1,1,1\n"));
    assertThrows(IllegalArgumentException.class,
        () -> CommandTable.parse("object|encoding 3 readonly 2,2,1\n"));
  }
}
