package io.crescent.resp;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The heap the whole proxy may spend on large frames while they are being read: commands from
 * clients and replies from Redis, each gathered whole before it is passed on. A frame that would
 * take more than is left is refused before its bytes arrive, with a clear error, rather than
 * running the JVM out of memory, which would leave every client of the event loop hanging.
 *
 * <p>Only frames larger than {@link #LARGE} are counted: smaller ones are what reads are made of,
 * and counting them would cost every command an atomic operation. Below it, what the proxy may
 * hold uncounted is bounded by {@code max_clients} frames of that size (160 MB at the default
 * 10 000), within the default heap; at a megabyte, a few hundred clients each holding part of a
 * command could run it out of memory. A command keeps what it took
 * until it is answered (Redis may be slow to take it); a reply, until it is cut out of the stream
 * (then {@code held_replies_limit} governs it). Shared by every event loop.
 */
public final class FrameMemory {

  /** Frames up to this size are not counted. */
  public static final int LARGE = 16 * 1024;

  private final LongSupplier limit;
  private final AtomicLong used = new AtomicLong();

  /** {@code limit} is read at each reservation (a reload may change it); 0 means no limit. */
  public FrameMemory(LongSupplier limit) {
    this.limit = limit;
  }

  /** No limit: for parsers that only ever see what a test or a fuzzer feeds them. */
  public static FrameMemory unlimited() {
    return new FrameMemory(() -> 0);
  }

  /**
   * Takes {@code bytes} even past the limit, provided that the whole frame, {@code frameBytes},
   * is within it: for replies, which cannot be refused without failing every command behind them
   * on their Redis connection. The commands read meanwhile find nothing left and are refused.
   */
  boolean overdraw(long bytes, long frameBytes) {
    long max = limit.getAsLong();
    if (max > 0 && frameBytes > max) {
      return false;
    }
    used.addAndGet(bytes);
    return true;
  }

  /** Takes {@code bytes} from what is left; false, taking nothing, if that is not enough. */
  boolean reserve(long bytes) {
    long max = limit.getAsLong();
    while (true) {
      long now = used.get();
      if (max > 0 && now + bytes > max) {
        return false;
      }
      if (used.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  public void release(long bytes) {
    used.addAndGet(-bytes);
  }

  public long used() {
    return used.get();
  }

  public long limit() {
    return limit.getAsLong();
  }
}
