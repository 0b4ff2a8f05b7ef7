import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens many client connections to a Redis-protocol server and keeps them idle, for
 * bench/idle.sh. Run as a single-file program:
 *
 * <pre>java bench/IdleClients.java HOST PORT COUNT</pre>
 *
 * Connects in batches of 100; each connection sends one PING and waits for +PONG, so the server
 * has accepted it and set it up before the next batch (a burst of 10 000 connects would
 * overflow the accept backlog). Then prints "ready COUNT ..." and holds every connection open
 * until it is killed (the kernel closes them). Exits with status 1 if a connection fails.
 */
public final class IdleClients {
  private static final int BATCH = 100;
  private static final byte[] PING = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PONG = "+PONG\r\n".getBytes(StandardCharsets.US_ASCII);
  /** Static, so that no socket becomes unreachable (and closed by its cleaner) while we sleep. */
  private static final List<Socket> SOCKETS = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: java IdleClients.java HOST PORT COUNT");
      System.exit(2);
    }
    InetSocketAddress address = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
    int count = Integer.parseInt(args[2]);
    List<Socket> sockets = SOCKETS;
    long start = System.nanoTime();
    try {
      while (sockets.size() < count) {
        List<Socket> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH && sockets.size() + batch.size() < count; i++) {
          Socket socket = new Socket();
          socket.setTcpNoDelay(true);
          socket.connect(address, 10_000);
          socket.setSoTimeout(10_000);
          batch.add(socket);
          socket.getOutputStream().write(PING);
        }
        for (Socket socket : batch) {
          expectPong(socket.getInputStream());
        }
        sockets.addAll(batch);
      }
    } catch (IOException e) {
      System.err.println("idle-clients: connection " + (sockets.size() + 1) + " of " + count
          + " failed: " + e);
      System.exit(1);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.println("ready " + sockets.size() + " in " + millis + " ms");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  private static void expectPong(InputStream in) throws IOException {
    byte[] reply = in.readNBytes(PONG.length);
    if (!java.util.Arrays.equals(reply, PONG)) {
      throw new IOException("expected +PONG, got " + new String(reply, StandardCharsets.US_ASCII));
    }
  }
}
