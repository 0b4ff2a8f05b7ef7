package io.crescent.e2e;

import io.crescent.testing.Info;
import io.crescent.testing.Memory;
import io.crescent.testing.Proxy;
import io.crescent.testing.RedisServer;
import io.crescent.testing.RespConnection;
import io.crescent.testing.RespConnection.Drained;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Malformed and hostile input, sent byte for byte to redis-server and to the proxy: the client
 * must see the same bytes, and the same connection closing, from both. After each, a client that
 * stayed connected to the proxy all along is still served, and the proxy holds no connection
 * for the client that is gone.
 */
class ProtocolErrorsTest {

  private static RedisServer redis;
  private static Proxy proxy;
  private static RespConnection bystander;
  private static long bystanderCount;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    proxy = Proxy.start(new JsonObject().put("cluster", new JsonObject()
        .put("epoch", 1).put("name", "test")
        .put("local", new JsonObject().put(redis.address(), List.of("0-16383")))));
    bystander = proxy.connect();
  }

  @AfterAll
  static void stop() {
    bystander.close();
    proxy.close();
    redis.close();
  }

  static Stream<String> badInputs() {
    String big = "x".repeat(70 * 1024);
    return Stream.of(
        "*abc\r\n",
        "*-0\r\n",
        "*-9223372036854775808\r\nPING\r\n",
        "*-9223372036854775809\r\nPING\r\n",
        "*-9223372036854775807\r\n*-2\r\nPING\r\n",
        "*1\r\n$-9223372036854775808\r\n",
        "*1\r\n$-1\r\n",
        "*1\r\n$9223372036854775807\r\n",
        "*1\r\n$x\r\n",
        "*1\r\n$-3\r\n",
        "*1\r\n$536870913\r\n",
        "*1\r\n+PING\r\n",
        "*2\r\n$4\r\nECHO\r\n:1\r\n",
        "PING\r\n*1\r\n$4\r\nPING\r\n*1\r\n@\r\n",
        "set \"abc\r\n",
        "set \"a\"b c\r\n",
        "echo 'x'y\r\n",
        big,
        "*" + big,
        "*1\r\n$" + big,
        "\r\n\r\nPING\r\n*0\r\n*-1\r\nPING\r\n",
        "*1\r\n\u00ff\r\n",
        "\u00e9t\u00e9 a \u00ff\r\n",
        "nosuch " + "y".repeat(200) + " z\r\n",
        "nosuch a\u0000b c\r\n",
        "*2\r\n$6\r\nnosuch\r\n$3\r\na\u0000b\r\n",
        "PING\r\nQUIT\r\nPING\r\n");
  }

  /** More hostile input, each case named. */
  static Stream<Arguments> hostileInputs() {
    return Stream.of(
        // Garbage.
        named("garbage with a line end", "\u00ff\u00fe\u0001garbage\u007f\r\n"),
        named("random bytes", randomBytes(42, 2_000)),
        named("random bytes 2", randomBytes(7, 5_000)),
        named("every byte value, ascending", everyByte(false)),
        named("every byte value, descending", everyByte(true)),
        named("binary after PING", "PING\r\n\u0000\u0001\u0002\r\n"),
        // Huge or odd multibulk counts.
        named("*1048577 alone", "*1048577\r\n"),
        named("*1048577 then one argument", "*1048577\r\n$4\r\nPING\r\n"),
        named("*2147483647", "*2147483647\r\n$4\r\nPING\r\n"),
        named("*2147483648", "*2147483648\r\n"),
        named("*99999999999999999999", "*99999999999999999999\r\n"),
        named("*999999999999999999999", "*999999999999999999999\r\n"),
        named("*+1", "*+1\r\n$4\r\nPING\r\n"),
        named("*01", "*01\r\n$4\r\nPING\r\n"),
        named("* 1", "* 1\r\n$4\r\nPING\r\n"),
        named("*1 with a trailing space", "*1 \r\n$4\r\nPING\r\n"),
        named("* alone", "*\r\n"),
        // Bulk lengths.
        named("$536870912 waits for its data", "*1\r\n$536870912\r\nabc"),
        named("$536870913 as a third argument", "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$536870913\r\n"),
        named("$+4", "*1\r\n$+4\r\nPING\r\n"),
        named("$04", "*1\r\n$04\r\nPING\r\n"),
        named("$ alone", "*1\r\n$\r\n"),
        named("bulk shorter than announced", "*1\r\n$10\r\nPING\r\n"),
        halfClosed("bulk length with no data, then end of stream", "*2\r\n$3\r\nGET\r\n$100\r\n"),
        halfClosed("bulk data cut short, then end of stream", "*2\r\n$3\r\nGET\r\n$100\r\nabc"),
        halfClosed("count alone, then end of stream", "*1\r\n"),
        halfClosed("a command and half of one, then end of stream", "PING\r\nPI"),
        // Lines past 64 KB. Redis checks a line's length only when a read ends before the line does,
        // and its reads grow (16 KB, then 48, then 96...): a terminated line of 70 or 100 KB that
        // arrives in one burst may pass. Lines of 300 KB are refused however the reads fall.
        named("inline line of exactly 64 KB, unterminated", "x".repeat(64 * 1024)),
        named("inline line of 64 KB and one byte, unterminated", "x".repeat(64 * 1024 + 1)),
        named("terminated inline line of 300 KB", "x".repeat(300 * 1024) + "\r\n"),
        named("terminated count line of 300 KB", "*" + "1".repeat(300 * 1024) + "\r\n"),
        named("terminated bulk length line of 300 KB", "*1\r\n$" + "1".repeat(300 * 1024) + "\r\n"),
        named("inline line of 200 KB without spaces after PING", "PING\r\n" + "y".repeat(200 * 1024)),
        // Nested arrays.
        named("*1 inside *1", "*1\r\n*1\r\n$4\r\nPING\r\n"),
        named("array as a second argument", "*2\r\n$4\r\nECHO\r\n*1\r\n$1\r\na\r\n"),
        named("a hundred nested arrays", "*1\r\n".repeat(100) + "$4\r\nPING\r\n"),
        // Inline quoting.
        named("unbalanced double quote", "echo \"abc\r\n"),
        named("unbalanced single quote", "echo 'abc\r\n"),
        named("escaped quote at the end", "echo \"abc\\\"\r\n"),
        named("balanced quotes with escapes", "echo \"a\\\"b\\x41\\x4g\\n\"\r\necho 'c\\'d'\r\n"),
        named("quote inside a word", "echo ab\"cd\"\r\n"),
        // Zero arguments.
        named("empty lines", "\r\n\n   \r\n\t\r\nPING\r\n"),
        named("*0 between commands", "PING\r\n*0\r\nPING\r\n"),
        named("empty quoted inline argument", "\"\"\r\n"),
        // Unknown commands.
        named("unknown inline command", "FOO\r\n"),
        named("unknown multibulk command", "*3\r\n$3\r\nFOO\r\n$1\r\na\r\n$1\r\nb\r\n"),
        named("empty command name", "*2\r\n$0\r\n\r\n$1\r\nx\r\n"),
        named("unknown subcommand", "CLUSTER NOSUCH\r\nCLIENT NOSUCH\r\nCONFIG NOSUCH\r\n"),
        // Wrong arity.
        named("GET without a key", "GET\r\n"),
        named("SET with a key only", "SET k\r\n"),
        named("multibulk GET without a key", "*1\r\n$3\r\nGET\r\n"),
        named("GET with three keys", "*4\r\n$3\r\nGET\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"),
        named("HSET, MSET, MGET short", "HSET h f\r\nMSET a\r\nMGET\r\n"),
        named("PING and ECHO with too many", "PING a b\r\nECHO\r\nECHO a b\r\n"),
        // \r without \n.
        named("\\r inside an inline line", "PING\rPING\r\n"),
        named("\\r at the end, no \\n", "PING\r"),
        named("\\r\\r\\n", "PING\r\r\n"),
        named("\\n alone ends an inline line", "PING\nPING\n"),
        named("two bytes after bulk data are skipped", "*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n"),
        named("byte after \\r of the count is skipped", "*1\rX$4\r\nPING\r\n"),
        named("byte after \\r of the bulk length is skipped", "*1\r\n$4\rXPING\r\n"),
        // Leading spaces.
        named("spaces before an inline command", "   PING\r\n"),
        named("space before *", " *1\r\n$4\r\nPING\r\n"),
        named("tabs and spaces around arguments", "\t ECHO  a \r\n"));
  }

  private static Arguments named(String name, String input) {
    return Arguments.of(name, input, false);
  }

  private static Arguments halfClosed(String name, String input) {
    return Arguments.of(name, input, true);
  }

  private static String randomBytes(long seed, int n) {
    byte[] bytes = new byte[n];
    new Random(seed).nextBytes(bytes);
    return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static String everyByte(boolean descending) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 256; i++) {
      sb.append((char) (descending ? 255 - i : i));
    }
    return sb.toString();
  }

  @ParameterizedTest
  @MethodSource("badInputs")
  void sameBytesAndSameClosingAsRedis(String input) {
    String label = input.length() > 40 ? input.substring(0, 40) + "..." : input;
    compare(label, input, false);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileInputs")
  void hostileInputGetsWhatRedisGives(String name, String input, boolean halfClose) {
    compare(name, input, halfClose);
  }

  /**
   * Sends {@code input} to Redis, then to the proxy, and compares what comes back. Redis's
   * answer sets how long to wait for the proxy's: until it closes if Redis closed, else until as
   * many bytes as Redis sent have come and then a quiet moment.
   */
  private static void compare(String label, String input, boolean halfClose) {
    try (RespConnection direct = new RespConnection(redis.port()); RespConnection viaProxy = proxy.connect()) {
      send(direct, input, halfClose);
      Drained expected = direct.drain(400, 0);
      send(viaProxy, input, halfClose);
      Drained actual = expected.closed()
          ? viaProxy.drain(10_000, 0)
          : viaProxy.drain(300, expected.bytes().length());
      assertEquals(expected.bytes(), actual.bytes(), label);
      assertEquals(expected.closed(), actual.closed(), "closing after " + label);
    }
  }

  /** A server may close before it has read everything: the rest is not needed then. */
  private static void send(RespConnection connection, String input, boolean halfClose) {
    try {
      connection.sendRaw(input);
      if (halfClose) {
        connection.shutdownOutput();
      }
    } catch (UncheckedIOException closedEarly) {
      // what was sent is answered below
    }
  }

  /** The client that stayed is served, and the proxy lets go of the ones that left. */
  @AfterEach
  void othersAreUnaffectedAndNothingIsLeftBehind() throws InterruptedException {
    assertEquals(++bystanderCount, bystander.call("INCR", "bystander"));
    long deadline = System.nanoTime() + 10_000_000_000L;
    String clients = null;
    while (System.nanoTime() < deadline) {
      clients = proxyInfoField("connected_clients");
      if ("1".equals(clients)) {
        return;
      }
      Thread.sleep(20);
    }
    fail("the proxy still counts " + clients + " clients, only the bystander is left");
  }

  private static String proxyInfoField(String field) {
    Object info = bystander.call("INFO", "proxy");
    assertNotNull(info);
    return Info.field(info, field);
  }

  @Test
  void nothingAfterQuitRuns() {
    try (RespConnection viaProxy = proxy.connect()) {
      viaProxy.sendRaw("*1\r\n$4\r\nQUIT\r\n*3\r\n$3\r\nSET\r\n$8\r\nafter-it\r\n$1\r\n1\r\n");
      assertEquals("OK", viaProxy.read());
      assertEquals(true, viaProxy.closedByPeer());
    }
    assertEquals(null, redis.command("GET", "after-it"));
  }

  @Test
  void otherClientsAreUnaffected() {
    try (RespConnection good = proxy.connect(); RespConnection bad = proxy.connect()) {
      assertEquals("OK", good.call("SET", "{a}1", "v"));
      bad.sendRaw("*1\r\n$x\r\n");
      bad.drain(200);
      assertEquals("v", good.call("GET", "{a}1"));
    }
  }

  /**
   * Two hundred clients each announce a 512 MB argument, or two billion of them, and send three
   * bytes: the proxy holds what arrived, not what was announced (a proxy that believed them would
   * need 100 GB).
   */
  @Test
  void announcedSizesCostNothingUntilTheBytesCome() throws InterruptedException {
    Memory before = Memory.now();
    List<RespConnection> claimers = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        RespConnection claimer = proxy.connect();
        claimers.add(claimer);
        claimer.sendRaw(i % 2 == 0 ? "*1\r\n$536870912\r\nabc" : "*2147483647\r\n$536870912\r\nabc");
      }
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!"201".equals(proxyInfoField("connected_clients")) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals("201", proxyInfoField("connected_clients"), "every claimer is connected");
      assertEquals(++bystanderCount, bystander.call("INCR", "bystander"), "the proxy has read their claims");
      Memory grown = Memory.now().minus(before);
      assertTrue(grown.total() < 32L * 1024 * 1024, "200 claims of 512 MB cost " + grown);
    } finally {
      claimers.forEach(RespConnection::close);
    }
  }

  /** Clients that vanish mid-frame, without reading anything, leave nothing behind. */
  @Test
  void abandonedPartialFramesAreLetGo() {
    for (String partial : List.of("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\n" + "v".repeat(50_000),
        "*2\r\n$3\r\nGET\r\n", "PING\r\nPI", "*1048577\r\n", "x".repeat(60_000))) {
      try (RespConnection gone = proxy.connect()) {
        gone.sendRaw(partial);
      }
    }
    assertEquals(null, redis.command("GET", "k"));
  }
}
