package io.crescent.e2e;

import io.crescent.testing.Memory;
import io.crescent.testing.Proxy;
import io.crescent.testing.RedisServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Large values through one proxy: a 100 MB value round-trips byte for byte, and a client that
 * reads slowly does not make the proxy hold more than a bounded amount of memory.
 *
 * <p>The proxy runs in this JVM, so its memory is this JVM's ({@link Memory}). The test client itself never holds a value: it generates what it sends and checks what it
 * reads as the bytes stream by.
 */
class LargeValuesTest {

  private static final int MB = 1024 * 1024;
  private static final int CHUNK = 64 * 1024;

  private static RedisServer redis;
  private static Proxy proxy;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    proxy = Proxy.start(new JsonObject().put("cluster", new JsonObject().put("epoch", 1).put("name", "large")
        .put("local", new JsonObject().put(redis.address(), List.of("0-16383")))
        .put("peers", new JsonObject()))
        // Fixed, not a quarter of this JVM's heap: the bounds below assume it.
        .put("held_replies_limit", 32 * MB));
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @BeforeEach
  void empty() {
    redis.flushAll();
  }

  /**
   * SET then GET of 100 MB, read back 64 KB at a time with a pause after each. The proxy gathers a
   * whole command or reply before passing it on, so it holds the value about once: about 100 MB of
   * heap while the SET comes in (and as much direct memory, Netty's copy for the write to Redis),
   * and 100 MB of heap while the GET reply goes out a slice at a time. The bound asserted is three
   * times the value.
   */
  @Test
  void hundredMegabyteValueRoundTripsWithBoundedMemory(TestReporter report) {
    int size = 100 * MB;
    long bound = 300L * MB;
    assertTimeoutPreemptively(Duration.ofSeconds(180), () -> {
      Memory baseline = Memory.now();
      Memory peakDuringSet = Memory.NONE;
      try (Socket socket = connect(proxy)) {
        OutputStream out = new BufferedOutputStream(socket.getOutputStream(), CHUNK);
        InputStream in = new BufferedInputStream(socket.getInputStream(), CHUNK);

        out.write(("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$" + size + "\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = new byte[CHUNK];
        for (int offset = 0; offset < size; offset += CHUNK) {
          int n = Math.min(CHUNK, size - offset);
          fill(chunk, offset, n);
          out.write(chunk, 0, n);
          if (offset % (25 * MB) == 0 && offset > 0) {
            out.flush();
            peakDuringSet = peakDuringSet.max(Memory.now().minus(baseline));
          }
        }
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertEquals("+OK", readLine(in));
        assertEquals(Long.toString(size), redis.command("STRLEN", "big"), "Redis holds the whole value");

        out.write("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertEquals("$" + size, readLine(in));
        Memory peakDuringGet = Memory.NONE;
        byte[] expected = new byte[CHUNK];
        byte[] actual = new byte[CHUNK];
        for (int offset = 0; offset < size; offset += CHUNK) {
          int n = Math.min(CHUNK, size - offset);
          readFully(in, actual, n);
          fill(expected, offset, n);
          if (!java.util.Arrays.equals(expected, 0, n, actual, 0, n)) {
            assertArrayEquals(java.util.Arrays.copyOf(expected, n), java.util.Arrays.copyOf(actual, n),
                "bytes at offset " + offset);
          }
          if (offset % (25 * MB) == 0) {
            peakDuringGet = peakDuringGet.max(Memory.now().minus(baseline));
          }
          Thread.sleep(1);
        }
        assertEquals("", readLine(in), "the bulk string ends with CRLF");

        report.publishEntry("100 MB SET, growth", peakDuringSet.toString());
        report.publishEntry("100 MB slow GET, growth", peakDuringGet.toString());
        assertTrue(peakDuringSet.total() < bound, "memory held while the client sends 100 MB: " + peakDuringSet);
        assertTrue(peakDuringGet.total() < bound, "memory held while the client reads 100 MB slowly: " + peakDuringGet);
      }
    });
  }

  /**
   * 500 pipelined GETs of a 1 MB value are 500 MB of replies. The client sends them all in one
   * write, then reads slowly for a few seconds; a proxy that stops reading replies it cannot pass
   * on holds a few megabytes (its write queue and a read buffer or two), one that keeps reading
   * them from Redis holds all 500 MB. The bound asserted is 150 MB.
   */
  @Test
  void slowReaderOfPipelinedLargeRepliesDoesNotMakeTheProxyBufferThemAll(TestReporter report) {
    try (Proxy patient = startProxy(PATIENT_MS)) {
      slowReader(report, patient, MB, 500, 150L * MB);
    }
  }

  /**
   * A gigabyte of replies, ten megabytes each, asked for at once by a client that reads a few
   * megabytes a second: the proxy holds a few replies, not the gigabyte. Vert.x's write queue
   * counts writes, not bytes, so sixteen 10 MB replies fit in it: without slicing, 330 MB were
   * held here.
   */
  @Test
  void slowReaderOfAGigabyteOfRepliesHoldsAFewOfThem(TestReporter report) {
    try (Proxy patient = startProxy(PATIENT_MS)) {
      slowReader(report, patient, 10 * MB, 100, 128L * MB);
    }
  }

  /**
   * A client that takes seconds over each of two 20 MB replies, with a backend timeout of one
   * second: Redis waits for the client meanwhile, but the client reads, so it is not disconnected
   * as a reader that stopped, and Redis, which answered at once, is not taken for stalled.
   */
  @Test
  void slowButSteadyReaderOutlastsTheBackendTimeout() {
    int size = 20 * MB;
    assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
      try (Proxy strict = startProxy(1000); Socket socket = connect(strict)) {
        OutputStream out = new BufferedOutputStream(socket.getOutputStream(), CHUNK);
        InputStream in = new BufferedInputStream(socket.getInputStream(), CHUNK);
        byte[] value = new byte[size];
        fill(value, 0, size);
        try (Socket direct = new Socket("127.0.0.1", redis.port())) {
          OutputStream toRedis = direct.getOutputStream();
          toRedis.write(("*3\r\n$3\r\nSET\r\n$6\r\nsteady\r\n$" + size + "\r\n").getBytes(StandardCharsets.US_ASCII));
          toRedis.write(value);
          toRedis.write("\r\n".getBytes(StandardCharsets.US_ASCII));
          toRedis.flush();
          assertEquals("+OK", readLine(direct.getInputStream()));
        }
        byte[] get = "*2\r\n$3\r\nGET\r\n$6\r\nsteady\r\n".getBytes(StandardCharsets.US_ASCII);
        out.write(get);
        out.write(get);
        out.flush();
        byte[] chunk = new byte[CHUNK];
        for (int reply = 0; reply < 2; reply++) {
          assertEquals("$" + size, readLine(in), "reply " + reply);
          for (int offset = 0; offset < size; offset += CHUNK) {
            int n = Math.min(CHUNK, size - offset);
            readFully(in, chunk, n);
            assertTrue(java.util.Arrays.equals(value, offset, offset + n, chunk, 0, n), "bytes at " + offset);
            Thread.sleep(5);
          }
          assertEquals("", readLine(in));
        }
      }
    });
  }

  /** Reads 64 KB every 10 ms for three seconds from the first reply, then the rest as fast as it can. */
  private void slowReader(TestReporter report, Proxy through, int size, int gets, long bound) {
    assertTimeoutPreemptively(Duration.ofSeconds(180), () -> {
      try (Socket socket = connect(through)) {
        OutputStream out = new BufferedOutputStream(socket.getOutputStream(), CHUNK);
        InputStream in = new BufferedInputStream(socket.getInputStream(), CHUNK);
        out.write(("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$" + size + "\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] value = new byte[size];
        fill(value, 0, size);
        out.write(value);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertEquals("+OK", readLine(in));

        Memory baseline = Memory.now();
        byte[] get = "*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < gets; i++) {
          out.write(get);
        }
        out.flush();

        // Redis takes a while to build its replies to the whole pipeline: the clock starts with the first.
        byte[] skip = new byte[CHUNK];
        readFully(in, skip, CHUNK);
        long readBytes = CHUNK;
        Memory peak = Memory.NONE;
        long start = System.nanoTime();
        long nextMeasure = start + Duration.ofSeconds(1).toNanos();
        while (System.nanoTime() - start < Duration.ofSeconds(3).toNanos()) {
          readFully(in, skip, CHUNK);
          readBytes += CHUNK;
          Thread.sleep(10);
          if (System.nanoTime() >= nextMeasure) {
            peak = peak.max(Memory.now().minus(baseline));
            nextMeasure += Duration.ofSeconds(1).toNanos();
          }
        }
        String what = gets + " x " + size / MB + " MB replies, slow reader";
        report.publishEntry(what + ", growth", peak.toString());

        // Whatever was measured, the replies must still all arrive intact: read the rest fast.
        long total = (long) gets * (("$" + size + "\r\n").length() + size + 2);
        long remaining = total - readBytes;
        while (remaining > 0) {
          int n = (int) Math.min(CHUNK, remaining);
          readFully(in, skip, n);
          remaining -= n;
        }
        out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertEquals("+PONG", readLine(in), "every GET reply was exactly " + size + " bytes");

        assertTrue(peak.total() < bound, "memory the proxy held for " + what + " (" + readBytes / MB
            + " MB read in 3 s): " + peak + ", bound " + bound / MB + " MB");
      }
    });
  }

  /**
   * Redis builds its replies to a whole pipeline before it writes the first: for hundreds of
   * megabytes that takes seconds, which these tests are not about.
   */
  private static final int PATIENT_MS = 60_000;

  private static Proxy startProxy(int backendTimeoutMs) {
    JsonObject config = proxy.config().copy().put("backend_timeout_ms", backendTimeoutMs);
    config.remove("address");
    return Proxy.start(config);
  }

  private static Socket connect(Proxy through) throws IOException {
    Socket socket = new Socket("127.0.0.1", through.port());
    socket.setSoTimeout(60_000);
    return socket;
  }

  /** The value's byte at {@code offset + i}: a pattern that shifts, so misplaced chunks show. */
  private static void fill(byte[] chunk, int offset, int n) {
    for (int i = 0; i < n; i++) {
      int p = offset + i;
      chunk[i] = (byte) (p * 31 + (p >>> 16));
    }
  }

  private static void readFully(InputStream in, byte[] into, int n) throws IOException {
    int done = 0;
    while (done < n) {
      int r = in.read(into, done, n - done);
      if (r < 0) {
        throw new EOFException("connection closed after " + done + " of " + n + " bytes");
      }
      done += r;
    }
  }

  private static String readLine(InputStream in) throws IOException {
    return RedisServer.RespText.readLine(in);
  }
}
