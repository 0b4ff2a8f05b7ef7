package io.crescent.e2e;

import io.crescent.testing.FreePorts;
import io.crescent.testing.Info;
import io.crescent.testing.MetricsEndpoint;
import io.crescent.testing.Proxy;
import io.crescent.testing.RedisServer;
import io.crescent.testing.RespConnection;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code frame_memory_limit} (8 MB here): a command or a reply too large for what is left of it
 * gets a clear error instead of running the proxy out of memory, which would leave clients
 * hanging; what it took is given back, and the proxy carries on.
 */
class FrameMemoryTest {

  private static final int MB = 1024 * 1024;
  private static final String REFUSED = "ERR Crescent: not enough memory now for a frame of ";

  private static RedisServer redis;
  private static Proxy proxy;
  private static MetricsEndpoint endpoint;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    int metricsPort = FreePorts.next();
    endpoint = new MetricsEndpoint(metricsPort);
    proxy = Proxy.start(new JsonObject().put("cluster", new JsonObject().put("epoch", 1).put("name", "frames")
        .put("local", new JsonObject().put(redis.address(), List.of("0-16383"))))
        .put("frame_memory_limit", 8 * MB)
        .put("metrics_address", "127.0.0.1:" + metricsPort));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    redis.close();
  }

  @Test
  void aCommandTooLargeForWhatIsLeftIsRefusedAndItsConnectionClosed() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", proxy.port()); RespConnection other = proxy.connect()) {
      int size = 16 * MB;
      OutputStream out = socket.getOutputStream();
      try {
        out.write(("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$" + size + "\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        for (int sent = 0; sent < size; sent += chunk.length) {
          out.write(chunk);
        }
      } catch (IOException closedMidway) {
        // The proxy refuses as soon as the argument passes what is left, and closes.
      }
      InputStream in = new BufferedInputStream(socket.getInputStream());
      String reply = RedisServer.RespText.readLine(in);
      assertTrue(reply.startsWith("-" + REFUSED + (size + 35) + " bytes (frame_memory_limit " + 8 * MB + " bytes"),
          reply);
      assertEquals(-1, in.read(), "the connection is closed, as Redis closes it after a protocol error");

      assertEquals("PONG", other.call("PING"), "other clients are served");
      // Twice 6 MB, one after the other: what the refused command and the first took is free again.
      String value = "v".repeat(6 * MB);
      assertEquals("OK", other.call("SET", "six", value));
      assertEquals("OK", other.call("SET", "six", value));
      assertEquals(Integer.toString(6 * MB), redis.command("STRLEN", "six"));
      assertEquals("0", Info.field(other.call("INFO", "proxy"), "frame_memory_used"));
    }
  }

  @Test
  void aReplyTooLargeForWhatIsLeftFailsAndTheProxyCarriesOn() {
    try (RespConnection direct = new RespConnection(redis.port()); RespConnection client = proxy.connect()) {
      assertEquals("OK", direct.call("SET", "huge", "h".repeat(12 * MB)));
      assertEquals("OK", direct.call("SET", "small", "s"));
      Object reply = client.call("GET", "huge");
      RespConnection.Error error = assertInstanceOf(RespConnection.Error.class, reply);
      assertTrue(error.message().startsWith("ERR Crescent: a reply from backend " + redis.address() + " is too large: "
          + REFUSED.substring("ERR Crescent: ".length())), error.message());
      assertEquals("s", client.call("GET", "small"), "the client is still served, over a new Redis connection");
      assertEquals(Integer.toString(5 * MB), Integer.toString(((String) client.call("GETRANGE", "huge", "0",
          Integer.toString(5 * MB - 1))).length()), "replies that fit still pass");
      assertEquals("0", Info.field(client.call("INFO", "proxy"), "frame_memory_used"));
    }
  }

  /**
   * Many clients each stop part way through a 100 KB command: what they hold counts, so past the
   * limit the next one is refused instead of the proxy filling its heap. Regression: only frames
   * over a megabyte were counted, so a few hundred clients holding part of a command each could
   * run the proxy out of memory.
   */
  @Test
  void clientsHoldingPartsOfCommandsAreCounted() throws Exception {
    List<Socket> clients = new ArrayList<>();
    try (RespConnection other = proxy.connect()) {
      byte[] part = new byte[60 * 1024];
      Arrays.fill(part, (byte) 'p');
      String refusal = null;
      for (int i = 0; i < 200 && refusal == null; i++) {
        Socket socket = new Socket("127.0.0.1", proxy.port());
        clients.add(socket);
        OutputStream out = socket.getOutputStream();
        out.write("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$102400\r\n".getBytes(StandardCharsets.US_ASCII));
        out.write(part);
        out.flush();
        if (i % 20 == 19) {
          Thread.sleep(200);
          for (Socket s : clients) {
            if (s.getInputStream().available() > 0) {
              refusal = RedisServer.RespText.readLine(new BufferedInputStream(s.getInputStream()));
            }
          }
        }
      }
      long used = Long.parseLong(Info.field(other.call("INFO", "proxy"), "frame_memory_used"));
      assertTrue(refusal != null && refusal.startsWith("-" + REFUSED), "a client past the limit is refused: " + refusal);
      assertTrue(used > 4 * MB && used <= 8 * MB, used + " bytes counted for " + clients.size() + " partial commands");
    } finally {
      for (Socket s : clients) {
        s.close();
      }
    }
    try (RespConnection other = proxy.connect()) {
      assertEquals("0", Info.await(other, "proxy", "frame_memory_used", "0", 5),
          "what they held is given back when they leave");
    }
  }

  /**
   * Commands under 16 KB wait, counted, for a Redis that stalls: past a quarter of
   * {@code frame_memory_limit} their clients are not read, so their writes wait in their own
   * kernels, as with Redis itself. Regression: ten clients pipelining 15 KB SETs at a stopped
   * Redis ran a 512 MB proxy out of memory in seconds.
   */
  @Test
  void smallCommandsWaitingForAStalledRedisAreBounded() throws Exception {
    byte[] value = new byte[8 * 1024];
    Arrays.fill(value, (byte) 'v');
    byte[] head = ("*3\r\n$3\r\nSET\r\n$5\r\nsmall\r\n$" + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
    List<Socket> clients = new ArrayList<>();
    List<Thread> writers = new ArrayList<>();
    redis.signal("STOP");
    try {
      for (int i = 0; i < 10; i++) {
        Socket socket = new Socket("127.0.0.1", proxy.port());
        clients.add(socket);
        Thread writer = new Thread(() -> {
          try {
            OutputStream out = socket.getOutputStream();
            for (int n = 0; n < 1500; n++) {
              out.write(head);
              out.write(value);
              out.write('\r');
              out.write('\n');
            }
            out.flush();
          } catch (IOException closedByTheTest) {
            // The test closes the socket while this still writes: the proxy stopped reading it.
          }
        });
        writer.start();
        writers.add(writer);
      }
      Thread.sleep(1_000);
      double inFlight = MetricsEndpoint.value(endpoint.metrics(), "crescent_requests_in_flight_bytes");
      // A quarter of the 8 MB, and at most a read of each client's past it; 120 MB were sent.
      assertTrue(inFlight > MB && inFlight < 3 * MB, inFlight + " bytes in flight");
    } finally {
      redis.signal("CONT");
      for (Socket s : clients) {
        s.close();
      }
      for (Thread writer : writers) {
        writer.join(10_000);
      }
    }
    endpoint.awaitValue("crescent_requests_in_flight_bytes", 0);
  }
}
