package io.crescent.resp;

import io.vertx.core.buffer.Buffer;

/**
 * The unconsumed bytes of a stream that is cut into frames.
 *
 * <p>Frames handed out are slices, never copies, so a buffer that a slice was cut from is never
 * written again: when a frame spans reads, its start is copied into a buffer of our own, which
 * then takes further reads until the frame is complete. That buffer grows geometrically, capped
 * by the frame size the parser expects, so a 512 MB argument is copied O(1) times and memory is
 * bounded by what actually arrived, not by what the peer claims it will send.
 */
final class Cumulation {

  private Buffer buf;
  private int start;
  /** Capacity reserved for {@link #buf} when we own it and may still append to it; else -1. */
  private int capacity = -1;
  /** Size of the frame being read, counted from {@link #start}, when the parser knows it. */
  private long expected;

  Buffer buffer() {
    return buf;
  }

  int start() {
    return start;
  }

  int end() {
    return buf == null ? 0 : buf.length();
  }

  int available() {
    return end() - start;
  }

  void add(Buffer data) {
    if (available() == 0) {
      buf = data;
      start = 0;
      capacity = -1;
      return;
    }
    int leftover = available();
    long needed = (long) leftover + data.length();
    if (capacity < 0 || start + needed > capacity) {
      long grown = Math.max(needed, 2L * leftover);
      if (expected > needed) {
        grown = Math.min(grown, expected);
      }
      int size = (int) Math.min(grown, Integer.MAX_VALUE - 8);
      Buffer fresh = Buffer.buffer(size);
      fresh.appendBuffer(buf, start, leftover);
      buf = fresh;
      start = 0;
      capacity = size;
    }
    buf.appendBuffer(data);
  }

  /** Marks bytes up to {@code pos} consumed. */
  void consume(int pos) {
    start = pos;
    expected = 0;
    if (start == end()) {
      buf = null;
      start = 0;
      capacity = -1;
    }
  }

  /** Cuts a frame out; the buffer it came from is never appended to again. */
  Buffer slice(int from, int to) {
    capacity = -1;
    return buf.slice(from, to);
  }

  /** Tells how many bytes, from the current start, the frame being read will take in total. */
  void expect(long frameBytes) {
    expected = frameBytes;
  }

  /** Index of {@code b} in [from, end), or -1. */
  int indexOf(int from, byte b) {
    int end = end();
    for (int i = from; i < end; i++) {
      if (buf.getByte(i) == b) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Index of {@code b} in [from, end), or -1, searching as C's strchr does: a NUL byte ends the
   * search. Redis reads request lines that way, so a NUL before the line end makes it wait.
   */
  int indexOfInString(int from, byte b) {
    int end = end();
    for (int i = from; i < end; i++) {
      byte c = buf.getByte(i);
      if (c == b) {
        return i;
      }
      if (c == 0) {
        return -1;
      }
    }
    return -1;
  }

  byte get(int i) {
    return buf.getByte(i);
  }

  void clear() {
    buf = null;
    start = 0;
    capacity = -1;
    expected = 0;
  }
}
