package io.crescent.e2e;

import io.crescent.testing.FreePorts;
import io.crescent.testing.MetricsEndpoint;
import io.crescent.testing.Info;
import io.crescent.testing.Memory;
import io.crescent.testing.Proxy;
import io.crescent.testing.RedisServer;
import io.crescent.testing.RespConnection;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many clients write large pipelines (INCRs, GETs of a 256 KB value, a BLPOP that would block for
 * a minute) and vanish part way: the socket is closed, or reset, after a random prefix of the
 * pipeline, having read a random number of replies. Afterwards the proxy holds no client, no
 * pending command, no blocked or extra Redis connection and no more memory than after the first
 * round; it still serves; and every INCR ran at most once and in order: a client's k-th INCR reply
 * is k, and its counter never exceeds the INCRs it wrote whole.
 */
class MidPipelineDisconnectTest {

  private static final int ROUNDS = 4;
  private static final int CLIENTS = 24;
  private static final int COMMANDS = 120;
  private static final int BIG = 256 * 1024;
  private static final int MB = 1024 * 1024;

  /** One client's pipeline: its frames, and which are INCRs. */
  private record Pipeline(byte[] bytes, int[] ends, boolean[] incr, int firstBlpop) {
  }

  /** What a client did: INCRs written whole, and the INCR replies it read, in order. */
  private record Outcome(String counter, int incrsWritten, List<Long> incrReplies) {
  }

  @Test
  void clientsVanishingMidPipelineLeaveNothingBehind(TestReporter report) throws Exception {
    int metricsPort = FreePorts.next();
    try (RedisServer redis = RedisServer.start();
         Proxy proxy = Proxy.start(new JsonObject()
             .put("metrics_address", "127.0.0.1:" + metricsPort)
             .put("cluster", new JsonObject().put("epoch", 1).put("name", "t")
                 .put("local", new JsonObject().put(redis.address(), List.of("0-16383")))));
         RespConnection bystander = proxy.connect();
         RespConnection redisAdmin = new RespConnection(redis.port())) {
      assertEquals("nio", Info.field(bystander.call("INFO", "proxy"), "transport"));
      MetricsEndpoint metrics = new MetricsEndpoint(metricsPort);
      byte[] big = new byte[BIG];
      new Random(3).nextBytes(big);
      bystander.sendArgs(b("SET"), b("big"), big);
      assertEquals("OK", bystander.read());

      Memory memoryAfterFirst = null;
      int redisClientsAfterFirst = -1;
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      try {
        for (int round = 0; round < ROUNDS; round++) {
          List<Future<Outcome>> outcomes = new ArrayList<>();
          for (int c = 0; c < CLIENTS; c++) {
            long seed = round * 1000L + c;
            String counter = "counter:" + round + ":" + c;
            outcomes.add(pool.submit(() -> vanish(proxy, counter, new Random(seed))));
          }
          blockThenVanish(proxy, redisAdmin, round);
          int repliesRead = 0;
          for (Future<Outcome> future : outcomes) {
            Outcome outcome = future.get(60, TimeUnit.SECONDS);
            repliesRead += outcome.incrReplies().size();
            for (int k = 0; k < outcome.incrReplies().size(); k++) {
              assertEquals(k + 1L, outcome.incrReplies().get(k), outcome.counter() + ": reply to INCR number " + (k + 1));
            }
            String value = redis.command("GET", outcome.counter());
            long executed = value == null ? 0 : Long.parseLong(value);
            assertTrue(executed >= outcome.incrReplies().size() && executed <= outcome.incrsWritten(),
                outcome.counter() + " is " + executed + " after " + outcome.incrsWritten() + " INCRs written and "
                    + outcome.incrReplies().size() + " answered");
          }

          awaitEquals("1", () -> Info.field(bystander.call("INFO", "proxy"), "connected_clients"),
              "clients on the proxy besides the bystander, round " + round);
          awaitEquals("0", () -> Info.field(redisAdmin.call("INFO", "clients"), "blocked_clients"),
              "Redis connections left blocked in BLPOP, round " + round);
          metrics.awaitValue("crescent_commands_pending", 0);
          assertEquals("PONG", bystander.call("PING"));
          bystander.sendArgs(b("GET"), b("big"));
          assertEquals(BIG + 2 + ("$" + BIG + "\r\n").length(), bystander.readRaw().length, "the bystander is served");
          try (RespConnection fresh = proxy.connect()) {
            assertEquals(1L, fresh.call("INCR", "fresh:" + round), "a new client is served");
          }

          int redisClients = Integer.parseInt(Info.field(redisAdmin.call("INFO", "clients"), "connected_clients"));
          Memory memory = Memory.now();
          report.publishEntry("round " + round, repliesRead + " INCR replies read; Redis has " + redisClients
              + " connections; heap " + memory.heap() / MB + " MB, direct " + memory.direct() / MB + " MB");
          if (round == 0) {
            memoryAfterFirst = memory;
            redisClientsAfterFirst = redisClients;
          } else {
            assertTrue(redisClients <= redisClientsAfterFirst,
                "Redis connections grew from " + redisClientsAfterFirst + " to " + redisClients);
            assertTrue(memory.heap() - memoryAfterFirst.heap() < 32L * MB,
                "heap grew from " + memoryAfterFirst.heap() / MB + " MB to " + memory.heap() / MB + " MB");
            assertTrue(memory.direct() - memoryAfterFirst.direct() < 32L * MB,
                "direct memory grew from " + memoryAfterFirst.direct() / MB + " MB to " + memory.direct() / MB + " MB");
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /**
   * Regression: a client that sends a blocking command and is gone at once. When the close was
   * handled after the command was routed but before it reached the backend verticle, the
   * connection's release overtook the command there, and the command then took a Redis connection
   * of its own that nobody gave back: blocked in Redis for the whole timeout, and held by the proxy
   * for good.
   */
  @Test
  void blockingCommandsOfClientsGoneAtOnceHoldNoConnection() throws Exception {
    try (RedisServer redis = RedisServer.start();
         Proxy proxy = Proxy.start(new JsonObject()
             .put("cluster", new JsonObject().put("epoch", 1).put("name", "t")
             .put("local", new JsonObject().put(redis.address(), List.of("0-16383")))));
         RespConnection redisAdmin = new RespConnection(redis.port())) {
      assertEquals("OK", redis.command("SET", "big", "b".repeat(BIG)));
      try (RespConnection c = proxy.connect()) {
        assertEquals("nio", Info.field(c.call("INFO", "proxy"), "transport"));
      }
      // Large replies keep the event loops busy, so that a close is handled between a command's
      // routing and its hand-over to the backend verticle.
      ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
      for (int i = 0; i < 20; i++) {
        pipeline.writeBytes(RedisServer.RespText.encode("GET", "big"));
      }
      pipeline.writeBytes(RedisServer.RespText.encode("BLPOP", "empty", "60"));
      byte[] bytes = pipeline.toByteArray();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> clients = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          int thread = t;
          clients.add(pool.submit(() -> {
            for (int i = 0; i < 40; i++) {
              RespConnection c = proxy.connect();
              c.sendRaw(bytes);
              for (int r = 0; r < (i + thread) % 4; r++) {
                c.readRaw();
              }
              if (i % 2 == 0) {
                c.abort();
              } else {
                c.close();
              }
            }
          }));
        }
        for (Future<?> client : clients) {
          client.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      awaitEquals("0", () -> Info.field(redisAdmin.call("INFO", "clients"), "blocked_clients"),
          "Redis connections left blocked after their clients left");
      try (RespConnection c = proxy.connect()) {
        awaitEquals("1", () -> Info.field(c.call("INFO", "proxy"), "connected_clients"), "clients on the proxy");
      }
      int redisClients = Integer.parseInt(Info.field(redisAdmin.call("INFO", "clients"), "connected_clients"));
      assertTrue(redisClients <= 3, redisClients + " Redis connections: more than this one and the proxy's shared ones");
    }
  }

  /**
   * Clients surely blocked in BLPOP on their own Redis connections, with an INCR queued behind it,
   * close or reset: the INCR must never run, and Redis must not stay blocked (checked by the caller).
   */
  private static void blockThenVanish(Proxy proxy, RespConnection redisAdmin, int round) throws InterruptedException {
    int blockers = 4;
    List<RespConnection> connections = new ArrayList<>();
    try {
      for (int i = 0; i < blockers; i++) {
        String key = "blocked:" + round + ":" + i;
        RespConnection c = proxy.connect();
        connections.add(c);
        c.send("INCR", key).send("BLPOP", "empty:" + key, "60").send("INCR", key);
        assertEquals(1L, c.read());
      }
      awaitEquals(Integer.toString(blockers), () -> Info.field(redisAdmin.call("INFO", "clients"), "blocked_clients"),
          "clients blocked in BLPOP");
    } finally {
      for (int i = 0; i < connections.size(); i++) {
        if (i % 2 == 0) {
          connections.get(i).abort();
        } else {
          connections.get(i).close();
        }
      }
    }
    awaitEquals("0", () -> Info.field(redisAdmin.call("INFO", "clients"), "blocked_clients"),
        "Redis connections left blocked after their clients left");
    for (int i = 0; i < blockers; i++) {
      assertEquals("1", redisAdmin.call("GET", "blocked:" + round + ":" + i), "the INCR behind the BLPOP never ran");
    }
  }

  /** Writes a random prefix of a pipeline, reads a random number of replies, and disappears. */
  private static Outcome vanish(Proxy proxy, String counter, Random random) {
    Pipeline pipeline = pipeline(counter, random);
    int cut = 1 + random.nextInt(pipeline.bytes().length - 1);
    int whole = 0;
    int incrsWritten = 0;
    while (whole < pipeline.ends().length && pipeline.ends()[whole] <= cut) {
      if (pipeline.incr()[whole]) {
        incrsWritten++;
      }
      whole++;
    }
    int toRead = random.nextInt(Math.min(whole, pipeline.firstBlpop()) + 1);
    List<Long> incrReplies = new ArrayList<>();
    RespConnection connection = proxy.connect();
    try {
      connection.sendRaw(java.util.Arrays.copyOf(pipeline.bytes(), cut));
      for (int i = 0; i < toRead; i++) {
        byte[] reply = connection.readRaw();
        if (pipeline.incr()[i]) {
          String text = new String(reply, StandardCharsets.ISO_8859_1);
          assertTrue(text.startsWith(":"), counter + ": INCR answered " + text);
          incrReplies.add(Long.parseLong(text.substring(1, text.length() - 2)));
        }
      }
    } finally {
      if (random.nextBoolean()) {
        connection.abort();
      } else {
        connection.close();
      }
    }
    return new Outcome(counter, incrsWritten, incrReplies);
  }

  /** INCRs, large GETs, SETs and, in most pipelines, a BLPOP on an empty list with a long timeout. */
  private static Pipeline pipeline(String counter, Random random) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int[] ends = new int[COMMANDS];
    boolean[] incr = new boolean[COMMANDS];
    int firstBlpop = random.nextInt(4) == 0 ? COMMANDS : random.nextInt(COMMANDS);
    for (int i = 0; i < COMMANDS; i++) {
      String[] args;
      if (i == firstBlpop) {
        args = new String[] {"BLPOP", "empty:" + counter, "60"};
      } else {
        switch (random.nextInt(4)) {
          case 0 -> args = new String[] {"GET", "big"};
          case 1 -> args = new String[] {"SET", "s:" + counter, Integer.toString(i)};
          default -> {
            args = new String[] {"INCR", counter};
            incr[i] = true;
          }
        }
      }
      bytes.writeBytes(RedisServer.RespText.encode(args));
      ends[i] = bytes.size();
    }
    return new Pipeline(bytes.toByteArray(), ends, incr, firstBlpop);
  }

  private static void awaitEquals(String expected, Supplier<String> actual, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    String seen = actual.get();
    while (!expected.equals(seen) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      seen = actual.get();
    }
    assertEquals(expected, seen, what);
  }

  private static byte[] b(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
