package io.crescent.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay in front of a server that records, per connection, the exact bytes each side sent:
 * what a client (Jedis, redis-benchmark) says on connect, and what it was told, without tcpdump.
 */
public final class RecordingRelay implements AutoCloseable {

  /** One relayed connection: the client's bytes and the server's, as ISO-8859-1 text. */
  public static final class Conversation {
    private final ByteArrayOutputStream fromClient = new ByteArrayOutputStream();
    private final ByteArrayOutputStream fromServer = new ByteArrayOutputStream();

    public String sent() {
      synchronized (fromClient) {
        return fromClient.toString(StandardCharsets.ISO_8859_1);
      }
    }

    public String received() {
      synchronized (fromServer) {
        return fromServer.toString(StandardCharsets.ISO_8859_1);
      }
    }
  }

  private final ServerSocket server;
  private final int targetPort;
  private final List<Conversation> conversations = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  private RecordingRelay(ServerSocket server, int targetPort) {
    this.server = server;
    this.targetPort = targetPort;
    this.acceptor = new Thread(this::acceptLoop, "relay-accept-" + server.getLocalPort());
    this.acceptor.setDaemon(true);
    this.acceptor.start();
  }

  public static RecordingRelay to(int targetPort) {
    try {
      ServerSocket server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return new RecordingRelay(server, targetPort);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  public List<Conversation> conversations() {
    return new ArrayList<>(conversations);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket("127.0.0.1", targetPort);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(upstream);
        Conversation conversation = new Conversation();
        conversations.add(conversation);
        pump(client, upstream, conversation.fromClient);
        pump(upstream, client, conversation.fromServer);
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, ByteArrayOutputStream record) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) != -1) {
          synchronized (record) {
            record.write(buffer, 0, n);
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException closed) {
        // either side went away
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "relay-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // already closed
    }
    sockets.forEach(RecordingRelay::closeQuietly);
  }
}
