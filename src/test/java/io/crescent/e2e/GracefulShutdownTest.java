package io.crescent.e2e;

import io.crescent.testing.Proxy;
import io.crescent.testing.RedisServer;
import io.crescent.testing.RespConnection;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing the proxy's Vert.x (what the launcher does on SIGTERM) stops accepting at once, lets
 * commands in flight be answered for up to {@code shutdown_timeout_ms}, then closes clients.
 */
class GracefulShutdownTest {

  private static JsonObject config(RedisServer redis) {
    return new JsonObject().put("cluster", new JsonObject().put("epoch", 1).put("name", "t")
        .put("local", new JsonObject().put(redis.address(), List.of("0-16383"))));
  }

  @Test
  void commandInFlightIsAnsweredAndNewConnectionsAreRefused() throws Exception {
    try (RedisServer redis = RedisServer.start("--enable-debug-command", "yes")) {
      Proxy proxy = Proxy.start(config(redis));
      try (RespConnection client = proxy.connect()) {
        assertEquals("OK", client.call("DEBUG", "SLEEP", "0"), "DEBUG is forwarded to the local Redis");
        client.send("DEBUG", "SLEEP", "0.5");
        Thread.sleep(100);

        long start = System.nanoTime();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(proxy::close);
        assertTrue(refusedWithin(proxy.port(), 300), "no new connections once shutdown has begun");
        assertFalse(closing.isDone(), "shutdown waits for the command in flight");

        assertEquals("OK", client.read(), "the command in flight got its reply");
        assertTrue(client.closedByPeer(), "then the connection is closed");
        closing.get(10, TimeUnit.SECONDS);
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 3_000);
      }
    }
  }

  @Test
  void idleClientsAreClosedAtOnceAndSlowCommandsOnlyGetTheTimeout() throws Exception {
    try (RedisServer redis = RedisServer.start("--enable-debug-command", "yes")) {
      Proxy proxy = Proxy.start(config(redis).put("shutdown_timeout_ms", 300));
      try (RespConnection idle = proxy.connect(); RespConnection slow = proxy.connect()) {
        assertEquals("PONG", idle.call("PING"));
        slow.send("DEBUG", "SLEEP", "3");
        Thread.sleep(100);

        long start = System.nanoTime();
        proxy.close();
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMs < 2_500, "shutdown is bounded by shutdown_timeout_ms, took " + tookMs + " ms");
        assertTrue(idle.closedByPeer());
        assertTrue(slow.closedByPeer(), "closed without its reply once the timeout passed");
      }
    }
  }

  @Test
  void shutdownTimeoutIsValidated() {
    assertThrows(RuntimeException.class, () -> Proxy.start(new JsonObject().put("shutdown_timeout_ms", -1)));
  }

  private static boolean refusedWithin(int port, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < deadline) {
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        Thread.sleep(10);
      } catch (ConnectException refused) {
        return true;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return false;
  }
}
