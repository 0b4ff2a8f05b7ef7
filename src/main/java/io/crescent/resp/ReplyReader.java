package io.crescent.resp;

import io.vertx.core.buffer.Buffer;

/**
 * Cuts the byte stream coming back from Redis into whole replies (RESP2 and RESP3) without
 * decoding them, so that each reply is relayed to its client as the exact bytes Redis sent.
 *
 * <p>Nested aggregates are tracked with a single counter of elements still to read, so nesting
 * depth costs nothing, and a reply that arrives over many reads is scanned only once.
 */
public final class ReplyReader {

  /** Receives each complete reply, a slice of what Redis sent. */
  public interface Handler {
    void onReply(Buffer reply) throws ProtocolException;
  }

  private final Cumulation in;

  public ReplyReader() {
    this(FrameMemory.unlimited());
  }

  /** Replies larger than {@link FrameMemory#LARGE} are held within {@code memory}. */
  public ReplyReader(FrameMemory memory) {
    this.in = new Cumulation(memory, true);
  }
  /** Elements still to read before the current reply is complete; 0 between replies. */
  private long remaining;
  /** Where to continue reading, relative to the start of the current reply. */
  private int scan;

  public int buffered() {
    return in.available();
  }

  public void reset() {
    in.clear();
    remaining = 0;
    scan = 0;
  }

  public void feed(Buffer data, Handler handler) throws ProtocolException {
    in.add(data);
    while (in.available() > 0) {
      int base = in.start();
      if (remaining == 0) {
        remaining = 1;
        scan = 0;
      }
      while (remaining > 0) {
        int at = base + scan;
        if (at >= in.end()) {
          return;
        }
        int cr = in.indexOf(at, (byte) '\r');
        if (cr < 0 || cr + 1 >= in.end()) {
          return;
        }
        byte type = in.get(at);
        int next = cr + 2;
        switch (type) {
          case '+', '-', ':', '_', ',', '#', '(' -> remaining--;
          case '$', '!', '=' -> {
            long len = number(at + 1, cr);
            if (len >= 0) {
              in.expect((long) next - base + len + 2);
              if (in.end() - next < len + 2) {
                return;
              }
              next += (int) len + 2;
            }
            remaining--;
          }
          case '*', '~', '>' -> remaining += Math.max(number(at + 1, cr), 0) - 1;
          case '%' -> remaining += 2 * Math.max(number(at + 1, cr), 0) - 1;
          // An attribute map comes before the reply it describes.
          case '|' -> remaining += 2 * Math.max(number(at + 1, cr), 0);
          default -> throw new ProtocolException("unexpected reply type byte " + (type & 0xff));
        }
        scan = next - base;
      }
      int end = base + scan;
      handler.onReply(in.slice(base, end));
      in.consume(end);
    }
  }

  private long number(int from, int to) throws ProtocolException {
    boolean negative = from < to && in.get(from) == '-';
    int i = negative ? from + 1 : from;
    if (i >= to) {
      throw new ProtocolException("bad length in reply");
    }
    long value = 0;
    for (; i < to; i++) {
      byte b = in.get(i);
      if (b < '0' || b > '9' || value > Integer.MAX_VALUE) {
        throw new ProtocolException("bad length in reply");
      }
      value = value * 10 + (b - '0');
    }
    return negative ? -value : value;
  }
}
