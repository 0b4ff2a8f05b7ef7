package io.crescent.e2e;

import io.crescent.testing.FreePorts;
import io.crescent.testing.MetricsEndpoint;
import io.crescent.testing.Proxy;
import io.crescent.testing.RedisServer;
import io.crescent.testing.RespConnection;
import io.crescent.testing.RespConnection.Error;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edits of the configuration file a proxy was started from apply while it runs, through
 * vertx-config: clients keep working, a broken edit changes nothing, the cluster section follows
 * UMCTL's epoch rule, and settings that need a restart are reported, not half-applied.
 */
class ConfigReloadTest {

  @TempDir
  Path dir;

  private RedisServer redis;
  private Proxy proxy;
  private Path file;
  private MetricsEndpoint endpoint;

  @BeforeEach
  void start() {
    redis = RedisServer.start();
    file = dir.resolve("crescent.json");
    int metricsPort = FreePorts.next();
    endpoint = new MetricsEndpoint(metricsPort);
    proxy = Proxy.startWatching(file, new JsonObject()
        .put("metrics_address", "127.0.0.1:" + metricsPort)
        .put("config_scan_period_ms", 100)
        .put("cluster", cluster(1, List.of("0-16383"), null)));
  }

  @AfterEach
  void stop() {
    proxy.close();
    redis.close();
  }

  @Test
  void settingsChangeWhileClientsRunWithoutErrors() throws Exception {
    try (Writer writer = new Writer(proxy); RespConnection admin = proxy.connect()) {
      writer.awaitWrites(100);
      edit(proxy.config().put("backend_timeout_ms", 4321).put("slowlog_max_len", 7).put("password", "s3cret"));
      awaitSetting(admin, "proxy.backend_timeout_ms", "4321");
      assertEquals("7", configGet(admin, "proxy.slowlog_max_len"));
      endpoint.awaitValue("crescent_config_reloads_total{result=\"applied\"}", 1);

      // As with CONFIG SET requirepass: connections made before keep going, new ones must AUTH.
      try (RespConnection late = proxy.connect()) {
        assertTrue(late.call("GET", "x") instanceof Error e && e.message().startsWith("NOAUTH"));
        assertEquals("OK", late.call("AUTH", "s3cret"));
        assertEquals("OK", late.call("SET", "x", "1"));
      }
      long before = writer.writes();
      writer.awaitWrites(before + 100);
      writer.stop();
      assertNull(writer.failure(), "a client saw an error during the reload");
      assertEquals(String.valueOf(writer.writes()), redis.command("GET", "counter"));
    }
  }

  @Test
  void aBrokenFileOrABadValueChangesNothingAndIsReported() throws Exception {
    try (RespConnection c = proxy.connect()) {
      write("{ \"backend_timeout_ms\": 99, ");
      endpoint.awaitValue("crescent_config_file_refused", 1);
      endpoint.awaitValue("crescent_config_reloads_total{result=\"refused\"}", 1);

      edit(proxy.config().put("backend_timeout_ms", "soon").put("max_clients", 5));
      endpoint.awaitValue("crescent_config_reloads_total{result=\"refused\"}", 2);
      assertEquals("3000", configGet(c, "proxy.backend_timeout_ms"));
      assertEquals("10000", configGet(c, "proxy.max_clients"), "nothing of a refused edit applies");
      assertEquals("OK", c.call("SET", "a", "1"));

      edit(proxy.config());
      endpoint.awaitValue("crescent_config_file_refused", 0);
      endpoint.awaitValue("crescent_config_reloads_total{result=\"refused\"}", 2);
    }
  }

  /**
   * An editor that saves in place leaves the file empty for a moment: refused, then in sync again
   * once it holds the running configuration. Regression: the refused gauge stayed at 1 for good.
   */
  @Test
  void aFileBrieflyEmptyThenRestoredIsInSyncAgain() throws Exception {
    write("");
    endpoint.awaitValue("crescent_config_file_refused", 1);
    edit(proxy.config());
    endpoint.awaitValue("crescent_config_file_refused", 0);
  }

  /**
   * A password removed by a reload frees the connections opened while it was set from the limits
   * of unauthenticated clients, as Redis asks at every command. Regression: their 13-argument
   * MSET was cut off as an unauthenticated multibulk.
   */
  @Test
  void removingThePasswordFreesConnectionsOpenedWhileItWasSet() throws Exception {
    edit(proxy.config().copy().put("password", "pw"));
    endpoint.awaitValue("crescent_config_reloads_total{result=\"applied\"}", 1);
    try (RespConnection waiting = proxy.connect()) {
      assertEquals(new RespConnection.Error("NOAUTH Authentication required."), waiting.call("PING"));
      edit(proxy.config());
      awaitReply(waiting, "PONG", "PING");
      String[] mset = new String[13];
      mset[0] = "MSET";
      for (int i = 1; i < 13; i += 2) {
        mset[i] = "{k}" + i;
        mset[i + 1] = "v";
      }
      assertEquals("OK", waiting.call(mset));
    }
  }

  /** A topology naming this proxy as its Redis would make it forward to itself without end. */
  @Test
  void aTopologyNamingThisProxyIsRefused() {
    try (RespConnection c = proxy.connect()) {
      Object reply = c.call("UMCTL", "SETCLUSTER", "7", "NOFLAGS", "t", "127.0.0.1:" + proxy.port(), "1", "0-16383");
      assertTrue(reply instanceof RespConnection.Error e && e.message().contains("own address"), String.valueOf(reply));
      reply = c.call("UMCTL", "SETCLUSTER", "7", "NOFLAGS", "t", redis.address(), "1", "0-8000",
          "PEER", "t", "127.0.0.1:" + proxy.port(), "1", "8001-16383");
      assertTrue(reply instanceof RespConnection.Error e && e.message().contains("own address"), String.valueOf(reply));
      reply = c.call("UMCTL", "SETCLUSTER", "7", "NOFLAGS", "t", "localhost:" + proxy.port(), "1", "0-16383");
      assertTrue(reply instanceof RespConnection.Error e && e.message().contains("own address"), String.valueOf(reply));
      assertEquals("OK", c.call("SET", "a", "1"), "the running topology stays");
    }
  }

  @Test
  void theClusterSectionIsAppliedUnderTheEpochRule() throws Exception {
    try (RespConnection c = proxy.connect()) {
      assertEquals("OK", c.call("SET", "b", "1"));
      edit(proxy.config().put("cluster", cluster(2, List.of("0-8000"), "127.0.0.1:7000")));
      awaitReply(c, new Error("MOVED 15495 127.0.0.1:7000"), "GET", "a");
      assertEquals("1", c.call("GET", "b"));

      // UMCTL moves on to epoch 5; a file edit still at epoch 3 is refused whole.
      assertEquals("OK", c.call("UMCTL", "SETCLUSTER", "5", "NOFLAGS", "t", redis.address(), "1", "0-16383"));
      edit(proxy.config().put("cluster", cluster(3, List.of("0-100"), "127.0.0.1:7000")).put("max_clients", 77));
      endpoint.awaitValue("crescent_config_reloads_total{result=\"refused\"}", 1);
      assertEquals(5L, c.call("UMCTL", "GETEPOCH"));
      assertEquals("1", c.call("GET", "b"));
      assertEquals("10000", configGet(c, "proxy.max_clients"));

      edit(proxy.config().put("cluster", cluster(6, List.of("0-100"), "127.0.0.1:7000")).put("max_clients", 77));
      awaitSetting(c, "proxy.max_clients", "77");
      assertEquals(6L, c.call("UMCTL", "GETEPOCH"));
      assertEquals(new Error("MOVED 3300 127.0.0.1:7000"), c.call("GET", "b"));
    }
  }

  @Test
  void settingsThatNeedARestartAreReportedAndTheRestApplies() throws Exception {
    int otherPort = FreePorts.next();
    try (RespConnection c = proxy.connect()) {
      edit(proxy.config().put("address", "127.0.0.1:" + otherPort).put("event_loops", 1).put("timeout", 30));
      awaitSetting(c, "proxy.timeout", "30");
      // address, event_loops, and announce_address, which follows address.
      endpoint.awaitValue("crescent_config_restart_pending", 3);
      assertEquals(proxy.address(), configGet(c, "proxy.address"));
      assertEquals("PONG", c.call("PING"));

      edit(proxy.config());
      endpoint.awaitValue("crescent_config_restart_pending", 0);
      awaitSetting(c, "proxy.timeout", "0");
    }
  }

  /** The file's cluster section: the local Redis serves {@code localSlots}, the peer the rest. */
  private JsonObject cluster(long epoch, List<String> localSlots, String peer) {
    JsonObject cluster = new JsonObject().put("epoch", epoch).put("name", "t")
        .put("local", new JsonObject().put(redis.address(), localSlots));
    if (peer != null) {
      String last = localSlots.get(localSlots.size() - 1);
      int next = Integer.parseInt(last.substring(last.indexOf('-') + 1)) + 1;
      cluster.put("peers", new JsonObject().put(peer, List.of(next + "-16383")));
    }
    return cluster;
  }

  private void edit(JsonObject config) throws IOException {
    write(config.encodePrettily());
  }

  /** Replaces the file in one rename, as editors and config management do. */
  private void write(String text) throws IOException {
    Path temp = dir.resolve("crescent.json.tmp");
    Files.writeString(temp, text);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String configGet(RespConnection c, String name) {
    Object reply = c.call("CONFIG", "GET", name);
    assertTrue(reply instanceof List<?> list && list.size() == 2, "CONFIG GET " + name + ": " + reply);
    return (String) ((List<?>) reply).get(1);
  }

  private static void awaitSetting(RespConnection c, String name, String value) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    String seen;
    while (!(seen = configGet(c, name)).equals(value)) {
      assertTrue(System.nanoTime() < deadline, name + " is still " + seen + ", expected " + value);
      pause();
    }
  }

  private static void awaitReply(RespConnection c, Object expected, String... command) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    Object seen;
    while (!Objects.equals(seen = c.call(command), expected)) {
      assertTrue(System.nanoTime() < deadline, String.join(" ", command) + " answers " + seen);
      pause();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A client that increments a counter as fast as it can and remembers the first unexpected reply. */
  private static final class Writer implements AutoCloseable {

    private final RespConnection connection;
    private final AtomicLong writes = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final Thread thread;

    Writer(Proxy proxy) {
      connection = proxy.connect();
      thread = new Thread(this::run, "writer");
      thread.start();
    }

    private void run() {
      while (running.get()) {
        Object reply = connection.call("INCR", "counter");
        if (!(reply instanceof Long n) || n != writes.get() + 1) {
          failure.compareAndSet(null, "INCR answered " + reply + " after " + writes.get());
          return;
        }
        writes.incrementAndGet();
      }
    }

    long writes() {
      return writes.get();
    }

    void awaitWrites(long count) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (writes.get() < count && failure.get() == null) {
        assertTrue(System.nanoTime() < deadline, "the writer is stuck at " + writes.get());
        pause();
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join(10_000);
    }

    String failure() {
      return failure.get();
    }

    @Override
    public void close() throws InterruptedException {
      stop();
      connection.close();
    }
  }
}
