package io.crescent.testing;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server process on a free port, with no persistence, stopped on close. Tests use
 * it instead of anything already listening on the machine.
 */
public final class RedisServer implements AutoCloseable {

  private final int port;
  private final Process process;
  private final Path dir;

  private RedisServer(int port, Process process, Path dir) {
    this.port = port;
    this.process = process;
    this.dir = dir;
  }

  public static RedisServer start(String... extraArgs) {
    for (int attempt = 0; ; attempt++) {
      int port = FreePorts.next();
      try {
        return startOn(port, extraArgs);
      } catch (IllegalStateException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /** A single-node Redis Cluster owning every slot: the reference a proxy is compared with. */
  public static RedisServer startClusterNode() {
    RedisServer server = start("--cluster-enabled", "yes");
    server.command("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!server.command("CLUSTER", "INFO").contains("cluster_state:ok")) {
      if (System.nanoTime() > deadline) {
        server.close();
        throw new IllegalStateException("cluster node never became ok");
      }
      sleep(20);
    }
    return server;
  }

  /** On a given port: a Redis restarted where one ran before (empty, as nothing is saved). */
  public static RedisServer startOn(int port, String... extraArgs) {
    try {
      Path dir = Files.createTempDirectory("crescent-redis-");
      List<String> cmd = new ArrayList<>(List.of("redis-server",
          "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no", "--dir", dir.toString(),
          "--daemonize", "no", "--loglevel", "warning"));
      cmd.addAll(List.of(extraArgs));
      Process process = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("redis.log").toFile())
          .start();
      RedisServer server = new RedisServer(port, process, dir);
      server.awaitReady();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start redis-server (is it installed?)", e);
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        break;
      }
      try {
        String reply = command("PING");
        if (reply.equals("PONG") || reply.startsWith("NOAUTH")) {
          return;
        }
      } catch (UncheckedIOException notYet) {
        sleep(20);
      }
    }
    close();
    throw new IllegalStateException("redis-server on port " + port + " did not start");
  }

  public int port() {
    return port;
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  /**
   * Sends one command on a fresh connection and returns the reply as text: simple strings,
   * errors (with their code), integers and bulk strings as they are; arrays are not supported.
   */
  public String command(String... args) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(RespText.encode(args));
      out.flush();
      return RespText.readSimple(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void flushAll() {
    command("FLUSHALL");
  }

  /** Sends SIGSTOP or SIGCONT, to make Redis stall or resume. */
  public void signal(String name) {
    try {
      new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (var files = Files.walk(dir)) {
      files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // A temp directory left behind is harmless.
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Minimal blocking RESP for test set-up; the code under test never uses it. */
  public static final class RespText {

    private RespText() {
    }

    public static byte[] encode(String... args) {
      StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
      for (String arg : args) {
        byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
        sb.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
      }
      return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static String readSimple(InputStream in) throws IOException {
      String line = readLine(in);
      char type = line.charAt(0);
      String rest = line.substring(1);
      switch (type) {
        case '+', '-', ':' -> {
          return rest;
        }
        case '$' -> {
          int len = Integer.parseInt(rest);
          if (len < 0) {
            return null;
          }
          byte[] data = in.readNBytes(len + 2);
          return new String(data, 0, len, StandardCharsets.UTF_8);
        }
        default -> throw new IOException("unsupported reply: " + line);
      }
    }

    /** One CRLF-terminated line, without its CRLF. */
    public static String readLine(InputStream in) throws IOException {
      StringBuilder sb = new StringBuilder();
      int c;
      while ((c = in.read()) != -1) {
        if (c == '\r') {
          in.read();
          return sb.toString();
        }
        sb.append((char) c);
      }
      throw new EOFException("connection closed");
    }
  }
}
