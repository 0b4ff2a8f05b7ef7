package io.crescent.e2e;

import io.crescent.testing.Info;
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

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    proxy = Proxy.start(new JsonObject().put("cluster", new JsonObject().put("epoch", 1).put("name", "frames")
        .put("local", new JsonObject().put(redis.address(), List.of("0-16383"))))
        .put("frame_memory_limit", 8 * MB));
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
}
