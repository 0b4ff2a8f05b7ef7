package io.crescent.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A blocking RESP connection for tests, independent of the code under test: sends commands or
 * raw bytes, and reads replies as Java values (String, Long, List, {@link Error}, null) or as the
 * exact bytes received.
 */
public final class RespConnection implements AutoCloseable {

  /** RESP3 types, kept distinct so that a reply of the wrong type never compares equal. */
  public record Map3(List<Object> keysAndValues) {
  }

  public record Set3(List<Object> items) {
  }

  public record Push(List<Object> items) {
  }

  public record Verbatim(String format, String text) {
  }

  public record Double3(String text) {
  }

  public enum Null3 { NULL }

  /** An error reply, kept apart from strings so tests can tell them apart. */
  public record Error(String message) {
    @Override
    public String toString() {
      return "(error) " + message;
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  public RespConnection(int port) {
    try {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
      socket.setTcpNoDelay(true);
      in = new BufferedInputStream(socket.getInputStream());
      out = socket.getOutputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Object call(String... args) {
    send(args);
    return read();
  }

  public RespConnection send(String... args) {
    return sendRaw(RedisServer.RespText.encode(args));
  }

  public RespConnection sendRaw(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public RespConnection sendRaw(String text) {
    return sendRaw(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  public Object read() {
    try {
      return readValue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads one reply, waiting at most {@code millis} for it to start; {@code timedOut} when
   * nothing arrived by then. The connection stays usable after a timeout.
   */
  public Object readWithin(int millis, Object timedOut) {
    try {
      socket.setSoTimeout(millis);
      in.mark(1);
      if (in.read() == -1) {
        throw new EOFException("connection closed");
      }
      in.reset();
      socket.setSoTimeout(10_000);
      return readValue();
    } catch (SocketTimeoutException quiet) {
      return timedOut;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      try {
        socket.setSoTimeout(10_000);
      } catch (IOException ignored) {
        // the next read reports a broken socket
      }
    }
  }

  /** True when the peer has closed the connection (after any replies already read). */
  public boolean closedByPeer() {
    try {
      socket.setSoTimeout(3_000);
      return in.read() == -1;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  /** Every byte the peer sends until it closes or stays quiet for {@code quietMillis}. */
  public String drain(int quietMillis) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    try {
      socket.setSoTimeout(quietMillis);
      int b;
      while ((b = in.read()) != -1) {
        all.write(b);
      }
    } catch (SocketTimeoutException quiet) {
      // nothing more for now
    } catch (IOException reset) {
      // closed
    }
    return all.toString(StandardCharsets.ISO_8859_1);
  }

  /** Sends one command whose arguments are arbitrary bytes. */
  public RespConnection sendArgs(byte[]... args) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (byte[] arg : args) {
      frame.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      frame.writeBytes(arg);
      frame.writeBytes(new byte[] {'\r', '\n'});
    }
    return sendRaw(frame.toByteArray());
  }

  /** Sends a command of arbitrary bytes and returns its reply's exact bytes. */
  public byte[] callRaw(byte[]... args) {
    sendArgs(args);
    return readRaw();
  }

  /** One whole reply (RESP2 or RESP3), as the exact bytes received. */
  public byte[] readRaw() {
    ByteArrayOutputStream reply = new ByteArrayOutputStream();
    try {
      copyValue(reply);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return reply.toByteArray();
  }

  private void copyValue(ByteArrayOutputStream to) throws IOException {
    String line = readLine();
    to.writeBytes(line.getBytes(StandardCharsets.ISO_8859_1));
    to.writeBytes(new byte[] {'\r', '\n'});
    char type = line.charAt(0);
    switch (type) {
      case '$', '=', '!' -> {
        int len = Integer.parseInt(line.substring(1));
        if (len >= 0) {
          byte[] data = in.readNBytes(len + 2);
          if (data.length < len + 2) {
            throw new EOFException();
          }
          to.writeBytes(data);
        }
      }
      case '*', '~', '>', '%', '|' -> {
        int len = Integer.parseInt(line.substring(1));
        int items = type == '%' || type == '|' ? 2 * len : len;
        for (int i = 0; i < items; i++) {
          copyValue(to);
        }
      }
      default -> {
        // a one-line reply
      }
    }
  }

  /** What a peer sent, and whether it then closed the connection. */
  public record Drained(String bytes, boolean closed) {
  }

  /**
   * Every byte until the peer closes, or until at least {@code atLeast} bytes have come and then
   * nothing for {@code quietMillis}. While fewer than {@code atLeast} have come it waits up to 10 s
   * for each byte, so a slow peer is not mistaken for a quiet one.
   */
  public Drained drain(int quietMillis, int atLeast) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    boolean closed = false;
    try {
      while (true) {
        socket.setSoTimeout(all.size() < atLeast ? 10_000 : quietMillis);
        int b = in.read();
        if (b == -1) {
          closed = true;
          break;
        }
        all.write(b);
      }
    } catch (SocketTimeoutException quiet) {
      // nothing more for now
    } catch (IOException reset) {
      closed = true;
    }
    return new Drained(all.toString(StandardCharsets.ISO_8859_1), closed);
  }

  /** Half-closes: the peer reads end of stream, this side can still read. */
  public void shutdownOutput() {
    try {
      socket.shutdownOutput();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Object readValue() throws IOException {
    String line = readLine();
    char type = line.charAt(0);
    String rest = line.substring(1);
    switch (type) {
      case '+':
        return rest;
      case '-':
        return new Error(rest);
      case ':':
        return Long.parseLong(rest);
      case '$': {
        int len = Integer.parseInt(rest);
        if (len < 0) {
          return null;
        }
        byte[] data = in.readNBytes(len + 2);
        if (data.length < len + 2) {
          throw new EOFException();
        }
        return new String(data, 0, len, StandardCharsets.UTF_8);
      }
      case '*': {
        int len = Integer.parseInt(rest);
        if (len < 0) {
          return null;
        }
        List<Object> items = new ArrayList<>(len);
        for (int i = 0; i < len; i++) {
          items.add(readValue());
        }
        return items;
      }
      case '%':
        return new Map3(readItems(2 * Integer.parseInt(rest)));
      case '~':
        return new Set3(readItems(Integer.parseInt(rest)));
      case '>':
        return new Push(readItems(Integer.parseInt(rest)));
      case '_':
        return Null3.NULL;
      case ',':
        return new Double3(rest);
      case '#':
        return rest.equals("t");
      case '(':
        return new java.math.BigInteger(rest);
      case '=': {
        String text = new String(in.readNBytes(Integer.parseInt(rest) + 2), StandardCharsets.UTF_8);
        return new Verbatim(text.substring(0, 3), text.substring(4, text.length() - 2));
      }
      default:
        throw new IOException("unexpected reply line: " + line);
    }
  }

  private List<Object> readItems(int count) throws IOException {
    List<Object> items = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      items.add(readValue());
    }
    return items;
  }

  private String readLine() throws IOException {
    return RedisServer.RespText.readLine(in);
  }

  /** Closes with a reset (SO_LINGER 0), as a crashed client's kernel would. */
  public void abort() {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // closed anyway below
    }
    close();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a test socket
    }
  }
}
