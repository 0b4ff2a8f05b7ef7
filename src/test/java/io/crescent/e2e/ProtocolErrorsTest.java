package io.crescent.e2e;

import io.crescent.testing.Proxy;
import io.crescent.testing.RedisServer;
import io.crescent.testing.RespConnection;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Malformed input, sent byte for byte to redis-server and to the proxy: the client must see the
 * same bytes, and the same connection closing, from both.
 */
class ProtocolErrorsTest {

  private static RedisServer redis;
  private static Proxy proxy;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    proxy = Proxy.start(new JsonObject().put("cluster", new JsonObject()
        .put("epoch", 1).put("name", "test")
        .put("local", new JsonObject().put(redis.address(), List.of("0-16383")))));
  }

  @AfterAll
  static void stop() {
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

  @ParameterizedTest
  @MethodSource("badInputs")
  void sameBytesAndSameClosingAsRedis(String input) {
    String label = input.length() > 40 ? input.substring(0, 40) + "..." : input;
    try (RespConnection direct = new RespConnection(redis.port()); RespConnection viaProxy = proxy.connect()) {
      direct.sendRaw(input);
      viaProxy.sendRaw(input);
      assertEquals(direct.drain(500), viaProxy.drain(500), label);
      assertEquals(direct.closedByPeer(), viaProxy.closedByPeer(), "closing after " + label);
    }
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
}
