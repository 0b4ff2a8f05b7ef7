package io.crescent.e2e;

import io.crescent.testing.RedisServer;
import io.crescent.testing.ReferenceExtension;
import io.crescent.testing.RespConnection;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Differential test: the same command sequences go to a real single-node Redis Cluster (owning
 * all 16384 slots) and to Crescent owning all slots over one plain redis-server; every reply must
 * be equal, error texts included.
 *
 * <p>Scenarios live in {@code src/test/resources/differential/<group>.txt}, one scenario per
 * block of lines separated by blank lines. Lines starting with {@code #} are comments. Each
 * scenario runs on fresh connections (one to each side, plus a second one per side when a line
 * says {@code @2}) after FLUSHALL, SCRIPT FLUSH and FUNCTION FLUSH on both servers. A line is a
 * command split like redis-cli (blanks separate, single quotes group; {@code \n} inside an
 * argument is a newline), optionally preceded by markers, in any order:
 *
 * <ul>
 *   <li>{@code ~} compare only the reply's shape: its type, array lengths and error codes, for
 *       replies that legitimately differ between two servers (TTLs in ms, client ids, idle
 *       times, random members, CLIENT INFO, ...).</li>
 *   <li>{@code %} compare with every array sorted, for replies in hash-table order (SCAN, KEYS,
 *       SMEMBERS of string sets), which depends on each process's random hash seed.</li>
 *   <li>{@code @2} run the line on the scenario's second connection instead of the first.</li>
 *   <li>{@code ^N} the command produces N replies (SUBSCRIBE a b: 2); {@code ^0} sends it without
 *       reading, for a command that blocks; a later {@code READ} line collects its reply. An
 *       error reply always ends a command's replies.</li>
 * </ul>
 *
 * <p>{@code READ} (with any markers) sends nothing and reads one pending reply ({@code ^N READ}:
 * N of them), or records {@code (no reply)} after a second of silence.
 *
 * <p>Every scenario runs twice, once per protocol, named {@code [resp2] group: first line} and
 * {@code [resp3] group: first line}. In RESP3 every connection of the scenario, on both sides
 * (the {@code @2} one too), first sends {@code HELLO 3}, which must succeed; the lines are the same,
 * and so is the rule: the replies, now RESP3 types (maps, sets, doubles, pushes, ...), must be
 * equal. Pub/sub confirmations and messages then arrive as push frames and count like any other
 * reply for {@code ^N} and {@code READ}. For {@code %}, sets and pushes are sorted like arrays
 * and map entries are sorted by key (then value); for {@code ~}, maps, sets and pushes keep their
 * type and size and have each element reduced to its shape, and every scalar becomes its type.
 *
 * <p>{@link #KNOWN_DIFFERENCES} names the scenarios where the replies differ today and says why.
 * A key {@code group: first line} applies to both protocols; a key prefixed {@code [resp2] } or
 * {@code [resp3] } to that protocol only. Those scenarios must still differ, so that when
 * Crescent catches up the test fails and the entry is removed; every other scenario must give
 * equal replies.
 */
class DifferentialTest {

  /**
   * Scenario ({@code group: first line} for both protocols, {@code [resp3] group: first line} for
   * one) to why Crescent's replies differ from the reference's.
   */
  static final Map<String, String> KNOWN_DIFFERENCES = knownDifferences(
      "scripts: EVAL '#!lua\\nredis.call(\"SET\", \"a\", 1) return redis.call(\"SET\", \"b\", 2)' 0",
          "DELIBERATE: the proxy sees only declared keys; a shebang script touching keys of two slots runs; a cluster node fails it with 'Script attempted to access keys that do not hash to the same slot'",
      "scripts: EVAL '#!lua\\nreturn redis.call(\"SET\", \"x\", 1)' 1 y",
          "DELIBERATE: the proxy sees only declared keys; a shebang script touching an undeclared key of another slot runs; a cluster node fails it with 'Script attempted to access keys that do not hash to the same slot'",
      "functions: FUNCTION LOAD '#!lua name=cross\\nredis.register_function(\"f\", function(keys, args) redis.call(\"SET\", \"a\", 1) return redis.call(\"SET\", \"b\", 1) end)'",
          "DELIBERATE: the proxy sees only declared keys; a function touching keys of two slots runs; a cluster node fails it with 'Script attempted to access keys that do not hash to the same slot'",
      "[resp2] clients: CLIENT TRACKING on",
          "DELIBERATE: in RESP2, tracking needs REDIRECT to a connection the proxy does not expose, so CLIENT TRACKING ON is refused; RESP3 tracking is relayed (ConnectionStateTest)");

  @RegisterExtension
  static final ReferenceExtension ref = ReferenceExtension.perClass();

  /** Recorded when a side stays silent where a reply was expected. */
  private static final String NO_REPLY = "(no reply)";

  private static final List<String> GROUPS = List.of("strings", "integers", "hashes", "lists", "sets",
      "sortedsets", "streams", "hyperloglog", "geo", "bitmaps", "expiry", "keyspace", "scripts",
      "functions", "errors", "transactions", "blocking", "pubsub", "clients");

  @TestFactory
  Stream<DynamicTest> sameRepliesAsASingleNodeCluster() {
    return scenarios().stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> check(s)));
  }

  /** The protocols every scenario runs in. */
  static final List<Integer> PROTOCOLS = List.of(2, 3);

  @Test
  void everyKnownDifferenceNamesAScenario() {
    Set<String> names = new TreeSet<>();
    scenarios().forEach(s -> {
      names.add(s.name());
      names.add(s.base());
      assertTrue(!KNOWN_DIFFERENCES.containsKey(s.name()) || !KNOWN_DIFFERENCES.containsKey(s.base()),
          "KNOWN_DIFFERENCES lists " + s.name() + " both with and without its protocol");
    });
    Set<String> stale = new TreeSet<>(KNOWN_DIFFERENCES.keySet());
    stale.removeAll(names);
    assertTrue(stale.isEmpty(), "KNOWN_DIFFERENCES names no scenario: " + stale);
  }

  @Test
  void sortAndShapeMarkersHandleResp3Types() {
    RespConnection.Map3 map = new RespConnection.Map3(List.of("b", List.of("y", "x"), "a", new RespConnection.Set3(List.of("2", "1"))));
    assertEquals(new RespConnection.Map3(List.of("a", new RespConnection.Set3(List.of("1", "2")), "b", List.of("x", "y"))),
        sortArrays(map));
    assertEquals(new RespConnection.Push(List.of("a", "b")), sortArrays(new RespConnection.Push(List.of("b", "a"))));
    assertEquals(new RespConnection.Map3(List.of("(String)", List.of("(String)", "(String)"), "(String)", new RespConnection.Set3(List.of("(String)", "(String)")))),
        shape(map));
    assertEquals(List.of("(Double3)", "(Boolean)", "(Null3)", "(BigInteger)", "(Verbatim)", "(nil)"),
        shape(java.util.Arrays.asList(new RespConnection.Double3("1.5"), true, RespConnection.Null3.NULL,
            java.math.BigInteger.ONE, new RespConnection.Verbatim("txt", "x"), null)));
  }

  /** Why the scenario differs: its entry for its protocol, else its entry for both; or null. */
  static String knownDifference(Scenario scenario) {
    String known = KNOWN_DIFFERENCES.get(scenario.name());
    return known != null ? known : KNOWN_DIFFERENCES.get(scenario.base());
  }

  private static void check(Scenario scenario) {
    List<Object> expected = run(scenario, ref.clusterNode().port(), ref.clusterNode(), ref.backend());
    List<Object> actual = run(scenario, ref.proxy().port(), ref.clusterNode(), ref.backend());
    String known = knownDifference(scenario);
    if (known == null) {
      for (int i = 0; i < scenario.lines().size(); i++) {
        assertEquals(expected.get(i), actual.get(i), scenario.name() + "\nline " + (i + 1) + ": " + scenario.lines().get(i).text()
            + "\nreference: " + expected + "\ncrescent:  " + actual);
      }
    } else if (expected.equals(actual)) {
      fail(scenario.name() + ": now gives the same replies as the reference: remove it from KNOWN_DIFFERENCES (\"" + known + "\")");
    }
  }

  /** Runs a scenario against the server on {@code port}; one comparable value per line. */
  private static List<Object> run(Scenario scenario, int port, RedisServer... toReset) {
    for (RedisServer server : toReset) {
      server.command("FLUSHALL");
      server.command("SCRIPT", "FLUSH");
      server.command("FUNCTION", "FLUSH");
    }
    List<Object> results = new ArrayList<>();
    RespConnection first = open(port, scenario.protocol());
    RespConnection second = null;
    try {
      for (Line line : scenario.lines()) {
        RespConnection c = first;
        if (line.connection() == 2) {
          if (second == null) {
            second = open(port, scenario.protocol());
          }
          c = second;
        }
        results.add(line.comparable(execute(c, line)));
      }
    } finally {
      first.close();
      if (second != null) {
        second.close();
      }
    }
    return results;
  }

  /** A connection speaking {@code protocol}: RESP3 ones have said HELLO 3 successfully. */
  private static RespConnection open(int port, int protocol) {
    RespConnection c = new RespConnection(port);
    if (protocol != 2) {
      Object hello = c.call("HELLO", String.valueOf(protocol));
      if (!(hello instanceof RespConnection.Map3 map) || !map.keysAndValues().contains("proto")
          || !Long.valueOf(protocol).equals(map.keysAndValues().get(map.keysAndValues().indexOf("proto") + 1))) {
        c.close();
        fail("HELLO " + protocol + " on port " + port + " failed: " + hello);
      }
    }
    return c;
  }

  private static Object execute(RespConnection c, Line line) {
    boolean read = line.args().length == 1 && line.args()[0].equals("READ");
    if (!read) {
      c.send(line.args());
    }
    if (line.replies() == 0 && !read) {
      pause();
      return "(sent)";
    }
    List<Object> replies = new ArrayList<>();
    for (int i = 0; i < line.replies(); i++) {
      Object reply = c.readWithin(i == 0 && !read ? 5_000 : 1_000, NO_REPLY);
      replies.add(reply);
      if (reply instanceof RespConnection.Error || reply == NO_REPLY) {
        break;
      }
    }
    return line.replies() == 1 ? replies.get(0) : replies;
  }

  /** Lets a command sent without waiting reach the server before another connection acts. */
  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  record Line(String text, String[] args, boolean shapeOnly, boolean sorted, int connection, int replies) {

    static Line parse(String text) {
      int i = 0;
      boolean shape = false;
      boolean sorted = false;
      int connection = 1;
      int replies = 1;
      while (i < text.length() && !Character.isLetter(text.charAt(i))) {
        char ch = text.charAt(i);
        if (ch == '~') {
          shape = true;
          i++;
        } else if (ch == '%') {
          sorted = true;
          i++;
        } else if (ch == '@' || ch == '^') {
          int start = ++i;
          while (i < text.length() && Character.isDigit(text.charAt(i))) {
            i++;
          }
          int n = Integer.parseInt(text.substring(start, i));
          if (ch == '@') {
            connection = n;
          } else {
            replies = n;
          }
        } else if (ch == ' ') {
          i++;
        } else {
          throw new IllegalArgumentException("unknown marker '" + ch + "' in: " + text);
        }
      }
      String[] args = CommandRoutingTest.tokens(text.substring(i));
      for (int a = 0; a < args.length; a++) {
        args[a] = args[a].replace("\\n", "\n");
      }
      if (connection < 1 || connection > 2) {
        throw new IllegalArgumentException("only connections @1 and @2 exist: " + text);
      }
      return new Line(text, args, shape, sorted, connection, replies);
    }

    Object comparable(Object reply) {
      Object value = sorted ? sortArrays(reply) : reply;
      return shapeOnly ? shape(value) : value;
    }
  }

  /**
   * One scenario in one protocol; {@code base} is {@code group: first line} (with a counter when
   * several scenarios of a group start alike), {@link #name()} adds the protocol.
   */
  record Scenario(String base, int protocol, List<Line> lines) {
    String name() {
      return "[resp" + protocol + "] " + base;
    }
  }

  /** Type, array lengths and error codes; nothing of the values themselves. */
  static Object shape(Object reply) {
    if (reply == null) {
      return "(nil)";
    }
    if (reply instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(item -> out.add(shape(item)));
      return out;
    }
    if (reply instanceof RespConnection.Map3 map) {
      return new RespConnection.Map3(shapes(map.keysAndValues()));
    }
    if (reply instanceof RespConnection.Set3 set) {
      return new RespConnection.Set3(shapes(set.items()));
    }
    if (reply instanceof RespConnection.Push push) {
      return new RespConnection.Push(shapes(push.items()));
    }
    if (reply instanceof RespConnection.Error error) {
      return "(error " + error.message().split(" ", 2)[0] + ")";
    }
    return reply == NO_REPLY ? NO_REPLY : "(" + reply.getClass().getSimpleName() + ")";
  }

  private static List<Object> shapes(List<Object> items) {
    List<Object> out = new ArrayList<>();
    items.forEach(item -> out.add(shape(item)));
    return out;
  }

  /** Arrays, sets and pushes sorted (recursively), and map entries sorted by key, then value. */
  static Object sortArrays(Object reply) {
    if (reply instanceof List<?> list) {
      return sorted(list);
    }
    if (reply instanceof RespConnection.Set3 set) {
      return new RespConnection.Set3(sorted(set.items()));
    }
    if (reply instanceof RespConnection.Push push) {
      return new RespConnection.Push(sorted(push.items()));
    }
    if (reply instanceof RespConnection.Map3 map) {
      List<Object> kv = map.keysAndValues();
      List<List<Object>> entries = new ArrayList<>();
      for (int i = 0; i + 1 < kv.size(); i += 2) {
        entries.add(List.of(sortArrays(kv.get(i)), sortArrays(kv.get(i + 1))));
      }
      entries.sort((a, b) -> String.valueOf(a).compareTo(String.valueOf(b)));
      List<Object> out = new ArrayList<>();
      entries.forEach(out::addAll);
      return new RespConnection.Map3(out);
    }
    return reply;
  }

  private static List<Object> sorted(List<?> items) {
    List<Object> out = new ArrayList<>();
    items.forEach(item -> out.add(sortArrays(item)));
    out.sort((a, b) -> String.valueOf(a).compareTo(String.valueOf(b)));
    return out;
  }

  static List<Scenario> scenarios() {
    List<Scenario> all = new ArrayList<>();
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (String group : GROUPS) {
      List<Line> block = new ArrayList<>();
      List<String> rawLines = new ArrayList<>(List.of(read(group).split("\n", -1)));
      rawLines.add("");
      for (String raw : rawLines) {
        String text = raw.strip();
        if (text.startsWith("#")) {
          continue;
        }
        if (text.isEmpty()) {
          if (!block.isEmpty()) {
            String base = group + ": " + block.get(0).text();
            int n = seen.merge(base, 1, Integer::sum);
            for (int protocol : PROTOCOLS) {
              all.add(new Scenario(n == 1 ? base : base + " (" + n + ")", protocol, List.copyOf(block)));
            }
            block.clear();
          }
          continue;
        }
        block.add(Line.parse(text));
      }
    }
    return all;
  }

  private static String read(String group) {
    String path = "/differential/" + group + ".txt";
    try (InputStream in = DifferentialTest.class.getResourceAsStream(path)) {
      return new String(Objects.requireNonNull(in, path).readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> knownDifferences(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      if (map.put(pairs[i], pairs[i + 1]) != null) {
        throw new IllegalArgumentException("listed twice: " + pairs[i]);
      }
    }
    return Map.copyOf(map);
  }
}
