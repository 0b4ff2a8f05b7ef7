package io.crescent.e2e;

import io.crescent.testing.ProxyCluster;
import io.crescent.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import redis.clients.jedis.util.JedisClusterCRC16;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bounded soak: many clients drive a three-proxy cluster for {@code crescent.soak.seconds}
 * (default 8, so that it runs in {@code make test}; {@code make soak} runs it longer) with a mix of
 * commands on hash-tagged keys, transactions, scripts, blocking pops released by other clients and
 * pub/sub. Each client owns its keys and remembers what every acknowledged write left behind; at
 * the end each key is read directly from the redis-server owning its slot, so a lost or doubly
 * applied write shows up. Any unexpected reply counts as an error, and there must be none. The
 * heap of this JVM (which hosts the proxies) is sampled every second and must not keep growing.
 */
class SoakTest {

  private static final int SECONDS = Integer.getInteger("crescent.soak.seconds", 8);
  private static final int WORKERS = 40;
  private static final int TAGS_PER_WORKER = 16;
  private static final int QUEUES = 4;
  private static final String CHANNEL = "soak-news";
  private static final long MAX_HEAP_GROWTH = 200L << 20;
  private static final String SCRIPT = "return redis.call('INCRBY', KEYS[1], ARGV[1])";

  private final AtomicLong ops = new AtomicLong();
  private final AtomicLong ackedWrites = new AtomicLong();
  private final AtomicLong moved = new AtomicLong();
  private final AtomicLong blpopTimeouts = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final Queue<String> firstErrors = new ConcurrentLinkedQueue<>();

  /** Items whose LPUSH onto a queue was acknowledged, and items a BLPOP returned. */
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private final Set<String> popped = ConcurrentHashMap.newKeySet();
  /** Messages whose PUBLISH was acknowledged. */
  private final Set<String> published = ConcurrentHashMap.newKeySet();

  private volatile boolean stop;
  private ProxyCluster cluster;

  @Test
  void manyClientsMixedCommands(TestReporter report) {
    assertTimeoutPreemptively(Duration.ofSeconds(SECONDS + 180L), () -> {
      try (ProxyCluster c = ProxyCluster.start("soak", ProxyCluster.THIRDS)) {
        cluster = c;
        soak(report);
      }
    });
  }

  private void soak(TestReporter report) throws Exception {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long baseline = memory.getHeapMemoryUsage().getUsed();
    List<Long> heapSamples = new CopyOnWriteArrayList<>();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleAtFixedRate(() -> heapSamples.add(memory.getHeapMemoryUsage().getUsed()),
        0, 1, TimeUnit.SECONDS);

    List<Worker> workers = new ArrayList<>();
    List<Subscriber> subscribers = new ArrayList<>();
    ExecutorService pool = Executors.newCachedThreadPool();
    List<Future<?>> running = new ArrayList<>();
    long started;
    long elapsed;
    try {
      for (int i = 0; i < cluster.size(); i++) {
        Subscriber s = new Subscriber(i);
        subscribers.add(s);
        running.add(pool.submit(s));
      }
      for (Subscriber s : subscribers) {
        s.subscribed.get(10, TimeUnit.SECONDS);
      }
      for (int q = 0; q < QUEUES; q++) {
        int queue = q;
        running.add(pool.submit(() -> blockingPopper(queue)));
      }
      started = System.nanoTime();
      for (int w = 0; w < WORKERS; w++) {
        Worker worker = new Worker(w);
        workers.add(worker);
        running.add(pool.submit(worker));
      }
      Thread.sleep(TimeUnit.SECONDS.toMillis(SECONDS));
      stop = true;
      for (Future<?> f : running) {
        f.get(60, TimeUnit.SECONDS);
      }
      elapsed = System.nanoTime() - started;
    } finally {
      stop = true;
      pool.shutdownNow();
      sampler.shutdownNow();
      workers.forEach(Worker::close);
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    // Every acknowledged write, read back from the redis-server owning the key's slot.
    long keysChecked = 0;
    List<String> mismatches = new ArrayList<>();
    for (Worker w : workers) {
      keysChecked += w.verify(mismatches);
    }
    keysChecked += verifyQueues(mismatches);
    for (Subscriber s : subscribers) {
      s.verify(mismatches);
    }

    // The test's own record of writes, queue items and messages lives in this heap too: drop it,
    // so that what is left over the baseline is the proxies' (and the harness's).
    long queueItems = queued.size();
    long messages = published.size();
    int subscriberCount = subscribers.size();
    workers.clear();
    subscribers.clear();
    queued.clear();
    popped.clear();
    published.clear();
    System.gc();
    Thread.sleep(200);
    System.gc();
    long end = memory.getHeapMemoryUsage().getUsed();
    long peak = heapSamples.stream().mapToLong(Long::longValue).max().orElse(end);

    double seconds = elapsed / 1e9;
    Report out = new Report(report);
    out.publish("soak", String.format(
        "%d s, %d clients: %d ops (%.0f ops/s), %d acknowledged writes, %d keys checked on the redis-servers,"
            + " %d MOVED followed, %d BLPOP timeouts, %d queue items, %d messages x %d subscribers,"
            + " %d errors, %d mismatches",
        SECONDS, WORKERS, ops.get(), ops.get() / seconds, ackedWrites.get(), keysChecked, moved.get(),
        blpopTimeouts.get(), queueItems, messages, subscriberCount, errors.get(),
        mismatches.size()));
    StringBuilder series = new StringBuilder();
    for (long sample : heapSamples) {
      series.append(series.length() == 0 ? "" : " ").append(sample >> 20);
    }
    out.publish("heap used MB, every second", series.toString());
    out.publish("heap", String.format(
        "baseline %d MB, peak %d MB (with the test's own records), end after GC %d MB (growth %+d MB)",
        baseline >> 20, peak >> 20, end >> 20, (end - baseline) >> 20));
    if (!firstErrors.isEmpty() || !mismatches.isEmpty()) {
      out.publish("first errors", firstErrors.toString());
      out.publish("first mismatches", mismatches.subList(0, Math.min(20, mismatches.size())).toString());
    }
    out.write();

    assertEquals(0, errors.get(), () -> "errors, first ones: " + firstErrors);
    assertEquals(List.of(), mismatches.subList(0, Math.min(20, mismatches.size())),
        () -> mismatches.size() + " keys differ from the acknowledged writes");
    assertTrue(ops.get() > 0, "no command ran");
    assertTrue(end - baseline < MAX_HEAP_GROWTH,
        () -> "heap grew by " + ((end - baseline) >> 20) + " MB after GC");
  }

  /**
   * Publishes to JUnit's TestReporter and also writes the entries to target/soak-report.txt:
   * Surefire 3.5 drops report entries, and the test prints nothing to stdout.
   */
  private static final class Report {
    private final TestReporter reporter;
    private final StringBuilder text = new StringBuilder();

    Report(TestReporter reporter) {
      this.reporter = reporter;
    }

    void publish(String key, String value) {
      reporter.publishEntry(key, value);
      text.append(key).append(": ").append(value).append('\n');
    }

    void write() throws IOException {
      Path dir = Path.of("target");
      if (Files.isDirectory(dir)) {
        Files.writeString(dir.resolve("soak-report.txt"), text);
      }
    }
  }

  private void error(String what) {
    errors.incrementAndGet();
    if (firstErrors.size() < 20) {
      firstErrors.add(what);
    }
  }

  private int owner(String key) {
    return cluster.ownerOf(JedisClusterCRC16.getSlot(key));
  }

  private static String queueKey(int q) {
    return "{soak-queue-" + q + "}";
  }

  // ---------------------------------------------------------------- blocking pops

  private void blockingPopper(int q) {
    String key = queueKey(q);
    RespConnection c = cluster.proxy(owner(key)).connect();
    try {
      while (!stop) {
        Object reply;
        try {
          reply = c.call("BLPOP", key, "0.2");
        } catch (UncheckedIOException e) {
          error("BLPOP " + key + ": " + e);
          c.close();
          c = cluster.proxy(owner(key)).connect();
          continue;
        }
        if (reply == null) {
          blpopTimeouts.incrementAndGet();
        } else if (reply instanceof List<?> l && l.size() == 2 && key.equals(l.get(0))) {
          if (!popped.add((String) l.get(1))) {
            error("BLPOP returned " + l.get(1) + " twice");
          }
        } else {
          error("BLPOP " + key + " -> " + reply);
        }
      }
    } finally {
      c.close();
    }
  }

  private long verifyQueues(List<String> mismatches) {
    Set<String> left = new HashSet<>();
    for (int q = 0; q < QUEUES; q++) {
      String key = queueKey(q);
      try (RespConnection r = new RespConnection(cluster.redis(owner(key)).port())) {
        for (Object item : (List<?>) r.call("LRANGE", key, "0", "-1")) {
          if (!left.add((String) item) || popped.contains(item)) {
            mismatches.add("queue item " + item + " delivered twice");
          }
        }
      }
    }
    Set<String> delivered = new HashSet<>(left);
    delivered.addAll(popped);
    if (!delivered.equals(queued)) {
      Set<String> lost = new HashSet<>(queued);
      lost.removeAll(delivered);
      Set<String> extra = new HashSet<>(delivered);
      extra.removeAll(queued);
      mismatches.add("queues: lost " + lost.size() + " " + first(lost) + ", unacknowledged " + extra.size()
          + " " + first(extra));
    }
    return QUEUES;
  }

  private static List<String> first(Set<String> items) {
    return items.stream().limit(5).toList();
  }

  // ---------------------------------------------------------------- pub/sub

  private final class Subscriber implements Runnable {
    private final int proxy;
    final java.util.concurrent.CompletableFuture<Void> subscribed = new java.util.concurrent.CompletableFuture<>();
    private final Set<String> received = new HashSet<>();

    Subscriber(int proxy) {
      this.proxy = proxy;
    }

    @Override
    public void run() {
      try (RespConnection c = cluster.proxy(proxy).connect()) {
        Object reply = c.call("SUBSCRIBE", CHANNEL);
        if (!List.of("subscribe", CHANNEL, 1L).equals(reply)) {
          error("SUBSCRIBE on proxy " + proxy + " -> " + reply);
        }
        subscribed.complete(null);
        long quietSince = 0;
        while (true) {
          Object m = c.readWithin(100, "quiet");
          if ("quiet".equals(m)) {
            if (!stop) {
              continue;
            }
            // After the end, wait until every acknowledged message arrived, or 5 s of silence.
            if (received.containsAll(published)) {
              return;
            }
            quietSince = quietSince == 0 ? System.nanoTime() : quietSince;
            if (System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(5)) {
              return;
            }
            continue;
          }
          quietSince = 0;
          if (m instanceof List<?> l && l.size() == 3 && "message".equals(l.get(0)) && CHANNEL.equals(l.get(1))) {
            if (!received.add((String) l.get(2))) {
              error("proxy " + proxy + " delivered " + l.get(2) + " twice");
            }
          } else {
            error("subscriber on proxy " + proxy + " got " + m);
          }
        }
      } catch (RuntimeException e) {
        subscribed.complete(null);
        error("subscriber on proxy " + proxy + ": " + e);
      }
    }

    void verify(List<String> mismatches) {
      Set<String> missing = new HashSet<>(published);
      missing.removeAll(received);
      if (!missing.isEmpty()) {
        mismatches.add("subscriber on proxy " + proxy + " missed " + missing.size() + " " + first(missing));
      }
    }
  }

  // ---------------------------------------------------------------- workers

  /**
   * One client with a connection to each proxy. It sends each command to the proxy owning the
   * key's slot, and now and then to another one, which must answer MOVED; then it follows it.
   */
  private final class Worker implements Runnable {
    private final int id;
    private final SplittableRandom random;
    private final RespConnection[] connections;
    private long seq;

    // What the acknowledged writes left behind, per key.
    private final Map<String, String> strings = new HashMap<>();
    private final Map<String, Long> counters = new HashMap<>();
    private final Map<String, Map<String, String>> hashes = new HashMap<>();
    private final Map<String, Deque<String>> lists = new HashMap<>();

    Worker(int id) {
      this.id = id;
      this.random = new SplittableRandom(id * 7919L + 1);
      this.connections = new RespConnection[cluster.size()];
    }

    @Override
    public void run() {
      while (!stop) {
        String tag = "{soak-" + id + "-" + random.nextInt(TAGS_PER_WORKER) + "}";
        try {
          step(tag);
        } catch (UncheckedIOException | ClassCastException e) {
          error(tag + ": " + e);
          close();
        }
        ops.incrementAndGet();
      }
    }

    private String value() {
      return "v" + id + "-" + (seq++);
    }

    private RespConnection connection(int proxy) {
      if (connections[proxy] == null) {
        connections[proxy] = cluster.proxy(proxy).connect();
      }
      return connections[proxy];
    }

    /** Sends to the owner of {@code key}, or first (one time in 50) to another proxy. */
    private Object call(String key, String... args) {
      int owner = owner(key);
      if (random.nextInt(50) == 0) {
        int other = (owner + 1 + random.nextInt(cluster.size() - 1)) % cluster.size();
        Object reply = connection(other).call(args);
        String expected = "MOVED " + JedisClusterCRC16.getSlot(key) + " " + cluster.proxy(owner).address();
        if (reply instanceof RespConnection.Error e && e.message().equals(expected)) {
          moved.incrementAndGet();
        } else {
          error(String.join(" ", args) + " on proxy " + other + " -> " + reply + ", expected " + expected);
          return reply;
        }
      }
      return connection(owner).call(args);
    }

    private void expect(Object expected, Object actual, String... command) {
      if (!Objects.equals(expected, actual)) {
        error(String.join(" ", command) + " -> " + actual + ", expected " + expected);
      }
    }

    private void step(String tag) {
      String s = tag + ":s";
      String c = tag + ":c";
      int op = random.nextInt(100);
      if (op < 15) {
        String v = value();
        String[] cmd = {"SET", s, v};
        Object reply = call(s, cmd);
        expect("OK", reply, cmd);
        if ("OK".equals(reply)) {
          strings.put(s, v);
          ackedWrites.incrementAndGet();
        }
      } else if (op < 30) {
        String[] cmd = {"GET", s};
        expect(strings.get(s), call(s, cmd), cmd);
      } else if (op < 42) {
        String[] cmd = {"INCR", c};
        Object reply = call(c, cmd);
        if (reply instanceof Long) {
          long now = counters.merge(c, 1L, Long::sum);
          ackedWrites.incrementAndGet();
          expect(now, reply, cmd);
        } else {
          expect("integer", reply, cmd);
        }
      } else if (op < 52) {
        String h = tag + ":h";
        String field = "f" + random.nextInt(4);
        String v = value();
        String[] cmd = {"HSET", h, field, v};
        Object reply = call(h, cmd);
        if (reply instanceof Long) {
          String before = hashes.computeIfAbsent(h, k -> new HashMap<>()).put(field, v);
          ackedWrites.incrementAndGet();
          expect(before == null ? 1L : 0L, reply, cmd);
        } else {
          expect("integer", reply, cmd);
        }
      } else if (op < 62) {
        String l = tag + ":l";
        String v = value();
        String[] cmd = {"LPUSH", l, v};
        Object reply = call(l, cmd);
        if (reply instanceof Long) {
          Deque<String> list = lists.computeIfAbsent(l, k -> new ArrayDeque<>());
          list.addFirst(v);
          ackedWrites.incrementAndGet();
          expect((long) list.size(), reply, cmd);
        } else {
          expect("integer", reply, cmd);
        }
      } else if (op < 70) {
        String l = tag + ":l";
        String[] cmd = {"LPOP", l};
        Object reply = call(l, cmd);
        if (!(reply instanceof RespConnection.Error)) {
          Deque<String> list = lists.computeIfAbsent(l, k -> new ArrayDeque<>());
          String expected = list.pollFirst();
          ackedWrites.incrementAndGet();
          expect(expected, reply, cmd);
        } else {
          expect("bulk string", reply, cmd);
        }
      } else if (op < 78) {
        String m = tag + ":m";
        String v1 = value();
        String v2 = value();
        String[] cmd = {"MSET", s, v1, m, v2};
        Object reply = call(s, cmd);
        expect("OK", reply, cmd);
        if ("OK".equals(reply)) {
          strings.put(s, v1);
          strings.put(m, v2);
          ackedWrites.incrementAndGet();
        }
      } else if (op < 86) {
        transaction(tag, s, c);
      } else if (op < 93) {
        String e = tag + ":e";
        long by = 1 + random.nextInt(10);
        String[] cmd = {"EVAL", SCRIPT, "1", e, Long.toString(by)};
        Object reply = call(e, cmd);
        if (reply instanceof Long) {
          long now = counters.merge(e, by, Long::sum);
          ackedWrites.incrementAndGet();
          expect(now, reply, cmd);
        } else {
          expect("integer", reply, cmd);
        }
      } else if (op < 98) {
        String q = queueKey(random.nextInt(QUEUES));
        String item = "i" + id + "-" + (seq++);
        String[] cmd = {"LPUSH", q, item};
        Object reply = call(q, cmd);
        if (reply instanceof Long) {
          queued.add(item);
          ackedWrites.incrementAndGet();
        } else {
          expect("integer", reply, cmd);
        }
      } else {
        String message = "p" + id + "-" + (seq++);
        String[] cmd = {"PUBLISH", CHANNEL, message};
        // Any proxy: PUBLISH has no key. Each proxy has one subscriber of its own.
        Object reply = connection(random.nextInt(cluster.size())).call(cmd);
        if (reply instanceof Long) {
          published.add(message);
          expect(1L, reply, cmd);
        } else {
          expect("integer", reply, cmd);
        }
      }
    }

    /** MULTI; SET s; INCR c; EXEC on one hash tag. */
    private void transaction(String tag, String s, String c) {
      RespConnection conn = connection(owner(s));
      String v = value();
      conn.send("MULTI").send("SET", s, v).send("INCR", c).send("EXEC");
      Object multi = conn.read();
      Object set = conn.read();
      Object incr = conn.read();
      Object exec = conn.read();
      expect("OK", multi, "MULTI");
      expect("QUEUED", set, "SET", s, v);
      expect("QUEUED", incr, "INCR", c);
      long now = counters.getOrDefault(c, 0L) + 1;
      if (exec instanceof List<?> results && results.size() == 2) {
        strings.put(s, v);
        counters.put(c, now);
        ackedWrites.incrementAndGet();
        expect(List.of("OK", now), exec, "EXEC", tag);
      } else {
        expect(List.of("OK", now), exec, "EXEC", tag);
      }
    }

    /** Reads this worker's keys from the redis-servers; returns how many keys it checked. */
    int verify(List<String> mismatches) {
      Map<Integer, RespConnection> redis = new HashMap<>();
      try {
        int checked = 0;
        for (Map.Entry<String, String> e : strings.entrySet()) {
          check(mismatches, e.getKey(), e.getValue(), direct(redis, e.getKey()).call("GET", e.getKey()));
          checked++;
        }
        for (Map.Entry<String, Long> e : counters.entrySet()) {
          check(mismatches, e.getKey(), Long.toString(e.getValue()),
              direct(redis, e.getKey()).call("GET", e.getKey()));
          checked++;
        }
        for (Map.Entry<String, Map<String, String>> e : hashes.entrySet()) {
          List<?> flat = (List<?>) direct(redis, e.getKey()).call("HGETALL", e.getKey());
          Map<String, String> actual = new HashMap<>();
          for (int i = 0; i + 1 < flat.size(); i += 2) {
            actual.put((String) flat.get(i), (String) flat.get(i + 1));
          }
          check(mismatches, e.getKey(), e.getValue(), actual);
          checked++;
        }
        for (Map.Entry<String, Deque<String>> e : lists.entrySet()) {
          check(mismatches, e.getKey(), new ArrayList<>(e.getValue()),
              direct(redis, e.getKey()).call("LRANGE", e.getKey(), "0", "-1"));
          checked++;
        }
        return checked;
      } finally {
        redis.values().forEach(RespConnection::close);
      }
    }

    private RespConnection direct(Map<Integer, RespConnection> redis, String key) {
      return redis.computeIfAbsent(owner(key), i -> new RespConnection(cluster.redis(i).port()));
    }

    private void check(List<String> mismatches, String key, Object expected, Object actual) {
      if (!Objects.equals(expected, actual)) {
        mismatches.add(key + ": redis has " + actual + ", acknowledged " + expected);
      }
    }

    void close() {
      for (int i = 0; i < connections.length; i++) {
        if (connections[i] != null) {
          connections[i].close();
          connections[i] = null;
        }
      }
    }
  }
}
