package io.crescent.e2e;

import io.crescent.testing.Proxy;
import io.crescent.testing.RedisServer;
import io.crescent.testing.RespConnection;
import io.crescent.testing.RespConnection.Error;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Client, admin and backend passwords, compared with a Redis that has requirepass. */
class AuthTest {

  private static final String PASSWORD = "s3cret-client";
  private static final String ADMIN = "s3cret-admin";
  private static final String BACKEND = "s3cret-backend";

  private static RedisServer backend;
  private static RedisServer reference;
  private static Proxy proxy;

  @BeforeAll
  static void start() {
    backend = RedisServer.start("--requirepass", BACKEND);
    reference = RedisServer.start("--requirepass", PASSWORD);
    proxy = Proxy.start(config(BACKEND));
  }

  private static JsonObject config(String backendPassword) {
    return new JsonObject()
        .put("password", PASSWORD).put("admin_password", ADMIN).put("backend_password", backendPassword)
        .put("cluster", new JsonObject().put("epoch", 1).put("name", "t")
            .put("local", new JsonObject().put(backend.address(), List.of("0-16383"))));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    reference.close();
    backend.close();
  }

  @Test
  void sameRepliesAsRedisWithRequirepass() {
    String[][] steps = {
        {"GET", "k"}, {"PING"}, {"AUTH"}, {"AUTH", "wrong"}, {"AUTH", "default", "wrong"},
        {"AUTH", "bob", PASSWORD}, {"AUTH", "a", "b", "c"}, {"NOSUCH", "x"}, {"GET", "k"},
        {"AUTH", PASSWORD}, {"SET", "k", "v"}, {"GET", "k"}, {"AUTH", "default", PASSWORD}, {"PING"},
    };
    try (RespConnection redis = new RespConnection(reference.port()); RespConnection viaProxy = proxy.connect()) {
      for (String[] step : steps) {
        assertEquals(redis.call(step), viaProxy.call(step), String.join(" ", step));
      }
    }
  }

  /**
   * Before AUTH, Redis takes only short commands (10 arguments, 16 KB each) and closes on longer
   * ones; after AUTH in the same read, anything. Byte for byte, and closed or not, as Redis.
   */
  @Test
  void unauthenticatedClientsAreHeldToRedisLimits() {
    String big = "x".repeat(16385);
    String[] inputs = {
        "*11\r\n",
        "*10\r\n",
        "*2\r\n$3\r\nGET\r\n$16385\r\n",
        "*2\r\n$3\r\nGET\r\n$16384\r\n" + "k".repeat(16384) + "\r\n",
        "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$16385\r\n" + big + "\r\n",
        "*2\r\n$4\r\nAUTH\r\n$" + PASSWORD.length() + "\r\n" + PASSWORD + "\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$16385\r\n"
            + big + "\r\n*11\r\n$4\r\nECHO\r\n",
    };
    for (String input : inputs) {
      try (RespConnection redis = new RespConnection(reference.port()); RespConnection viaProxy = proxy.connect()) {
        redis.sendRaw(input);
        viaProxy.sendRaw(input);
        String shown = input.length() > 60 ? input.substring(0, 60) + "..." : input;
        assertEquals(redis.drain(500, 0), viaProxy.drain(500, 0), shown);
      }
    }
  }

  @Test
  void umctlNeedsTheAdminPassword() {
    try (RespConnection c = proxy.connect()) {
      assertEquals(new Error("NOAUTH Authentication required."), c.call("UMCTL", "GETEPOCH"));
      assertEquals("OK", c.call("AUTH", PASSWORD));
      assertEquals(new Error("NOPERM this user has no permissions to run the 'umctl' command"),
          c.call("UMCTL", "GETEPOCH"));
      assertEquals(new Error("WRONGPASS invalid username-password pair or user is disabled."),
          c.call("AUTH", "admin", PASSWORD));
      assertEquals("OK", c.call("AUTH", "admin", ADMIN));
      assertEquals(1L, c.call("UMCTL", "GETEPOCH"));
      assertEquals("OK", c.call("SET", "{a}k", "v"), "the admin may use data commands too");
    }
  }

  @Test
  void passwordsAreNeverShown() {
    try (RespConnection c = proxy.connect()) {
      c.call("AUTH", "admin", ADMIN);
      String everything = c.call("INFO", "everything") + " " + c.call("UMCTL", "INFO") + " "
          + c.call("CONFIG", "GET", "*") + " " + proxy.verticle().toString();
      for (String secret : List.of(PASSWORD, ADMIN, BACKEND)) {
        assertFalse(everything.contains(secret), "leaked " + secret);
      }
    }
  }

  @Test
  void aWrongBackendPasswordSurfacesAsRedisRefusal() {
    try (Proxy wrong = Proxy.start(config("not-it")); RespConnection c = wrong.connect()) {
      c.call("AUTH", PASSWORD);
      Object reply = c.call("GET", "k");
      assertTrue(reply instanceof Error e && e.message().startsWith("NOAUTH"), String.valueOf(reply));
    }
  }
}
