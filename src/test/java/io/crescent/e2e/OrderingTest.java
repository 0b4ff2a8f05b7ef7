package io.crescent.e2e;

import io.crescent.testing.Proxy;
import io.crescent.testing.RedisServer;
import io.crescent.testing.RespConnection;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Many clients pipelining writes and reads of the same keys at once: every client must read its
 * own last write, and get every reply in the order it sent the commands, including replies the
 * proxy makes itself (MOVED, errors) between forwarded ones; and commands run in the order they
 * were sent also when the proxy holds some back.
 */
class OrderingTest {

  private static final int CLIENTS = 24;
  private static final int ROUNDS = 300;

  @Test
  void pipelinedWritesAreReadBackInOrder() throws Exception {
    try (RedisServer redis = RedisServer.start();
         Proxy proxy = Proxy.start(new JsonObject()
             .put("backend_connections", 2)
             .put("cluster", new JsonObject().put("epoch", 1).put("name", "t")
                 .put("local", new JsonObject().put(redis.address(), List.of("0-8000")))
                 .put("peers", new JsonObject().put("127.0.0.1:7000", List.of("8001-16383")))))) {
      runClients(client -> runClient(proxy, client));
    }
  }

  /**
   * A blocking command waits in the proxy until the commands before it are answered, then takes a
   * connection of its own. A command the client sent after it, read while it waited, must still
   * run after it: the BLPOP must pop the element pushed before it, not the one pushed after.
   * Regression: when the reply that freed the BLPOP came between the read of the LPUSH and its
   * routing, the LPUSH overtook it (seen as an INCR behind a BLPOP that ran although the client
   * had left, in MidPipelineDisconnectTest).
   */
  @Test
  void commandsReadWhileABlockingOneWaitsRunAfterIt() throws Exception {
    try (RedisServer redis = RedisServer.start();
         Proxy proxy = Proxy.start(new JsonObject()
             .put("cluster", new JsonObject().put("epoch", 1).put("name", "t")
                 .put("local", new JsonObject().put(redis.address(), List.of("0-16383")))))) {
      runClients(client -> pushPopPush(proxy, client));
    }
  }

  /** Runs {@code client} for each of {@link #CLIENTS} clients at once, and fails with the first that fails. */
  private static void runClients(IntConsumer client) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<?>> results = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int id = c;
        results.add(pool.submit(() -> client.accept(id)));
      }
      for (Future<?> result : results) {
        result.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void pushPopPush(Proxy proxy, int client) {
    try (RespConnection c = proxy.connect()) {
      for (int i = 0; i < ROUNDS; i++) {
        String list = "list:" + client + ":" + i;
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        first.writeBytes(encode("RPUSH", list, "before"));
        first.writeBytes(encode("BLPOP", list, "5"));
        c.sendRaw(first.toByteArray());
        c.sendRaw(encode("LPUSH", list, "after"));
        assertEquals(1L, c.read());
        assertEquals(List.of(list, "before"), c.read(), "what the BLPOP of client " + client + " round " + i + " popped");
        assertEquals(1L, c.read());
      }
    }
  }

  private static void runClient(Proxy proxy, int client) {
    String key = "{b}" + client; // slot 3300: local
    ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
    for (int i = 0; i < ROUNDS; i++) {
      pipeline.writeBytes(encode("SET", key, client + ":" + i));
      pipeline.writeBytes(encode("GET", key));
      pipeline.writeBytes(encode("GET", "a")); // slot 15495: a peer's, answered by the proxy
      pipeline.writeBytes(encode("PING", Integer.toString(i)));
    }
    try (RespConnection c = proxy.connect()) {
      c.sendRaw(pipeline.toByteArray());
      for (int i = 0; i < ROUNDS; i++) {
        assertEquals("OK", c.read());
        assertEquals(client + ":" + i, c.read(), "client " + client + " round " + i);
        assertEquals(new RespConnection.Error("MOVED 15495 127.0.0.1:7000"), c.read());
        assertEquals(Integer.toString(i), c.read());
      }
    }
  }

  private static byte[] encode(String... args) {
    StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
    for (String a : args) {
      sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}
