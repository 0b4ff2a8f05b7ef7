package io.crescent.resp;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * The unconsumed bytes of a stream that is cut into frames.
 *
 * <p>Frames handed out are slices, never copies, so a buffer that a slice was cut from is never
 * written again: when a frame spans reads, its start is copied into a buffer of our own, which
 * then takes further reads until the frame is complete. That buffer grows geometrically, capped
 * by the frame size the parser expects, so a 512 MB argument is copied O(1) times and memory is
 * bounded by what actually arrived, not by what the peer claims it will send. A buffer of our own
 * larger than {@link FrameMemory#LARGE} is reserved from the proxy's {@link FrameMemory} first.
 */
final class Cumulation implements Numbers.Bytes {

  /** Room past the expected frame, for the start of the next one in the read that ends it. */
  private static final int READ_SLACK = 64 * 1024;

  private final FrameMemory memory;
  /** Whether a frame that fits the limit alone is taken even when too little is left: replies. */
  private final boolean overdraw;
  /** What {@link #buf} holds of {@link #memory}: its size when it is a large buffer of our own. */
  private long reserved;

  private Buffer buf;
  /** The bytes of {@link #buf} when it is a heap buffer: index i is array[base + i]. */
  private byte[] array;
  private int base;
  private int end;
  private int start;
  /** Capacity reserved for {@link #buf} when we own it and may still append to it; else -1. */
  private int capacity = -1;
  /** Size of the frame being read, counted from {@link #start}, when the parser knows it. */
  private long expected;

  Cumulation(FrameMemory memory, boolean overdraw) {
    this.memory = memory;
    this.overdraw = overdraw;
  }

  Buffer buffer() {
    return buf;
  }

  int start() {
    return start;
  }

  int end() {
    return end;
  }

  int available() {
    return end() - start;
  }

  void add(Buffer data) throws ProtocolException {
    if (available() == 0) {
      reserve(0);
      buf = data;
      start = 0;
      capacity = -1;
      refresh();
      return;
    }
    int leftover = available();
    long needed = (long) leftover + data.length();
    if (capacity < 0 || start + needed > capacity) {
      // Geometric, so that a frame of many elements (a command of a million arguments, a large
      // LRANGE reply) is copied O(1) times too: the parsers' expectation covers only the element
      // being read, and growing to exactly what is needed copied the whole frame at every read.
      long grown = Math.max(needed, leftover + leftover / 2);
      if (expected > needed) {
        grown = Math.min(grown, expected + READ_SLACK);
      }
      int size = (int) Math.min(grown, Integer.MAX_VALUE - 8);
      reserve(size);
      Buffer fresh = Buffer.buffer(size);
      fresh.appendBuffer(buf, start, leftover);
      buf = fresh;
      start = 0;
      capacity = size;
    }
    buf.appendBuffer(data);
    refresh();
  }

  /**
   * A frame left incomplete at the end of a read keeps the read's whole buffer alive until more
   * comes: counted like a buffer of our own, so that clients stopping part way through large
   * commands cannot hold memory uncounted.
   */
  void holdPartial() throws ProtocolException {
    if (capacity < 0 && available() > FrameMemory.LARGE) {
      reserve(buf.length());
    }
  }

  /** Makes what is reserved for the buffer of our own fit one of {@code size} bytes. */
  private void reserve(long size) throws ProtocolException {
    long wanted = size > FrameMemory.LARGE ? size : 0;
    if (wanted > reserved) {
      long frame = expected > 0 ? expected : size;
      if (overdraw ? !memory.overdraw(wanted - reserved, frame) : !memory.reserve(wanted - reserved)) {
        throw ProtocolException.noRoomFor(frame, memory);
      }
    } else {
      memory.release(reserved - wanted);
    }
    reserved = wanted;
  }

  /**
   * Reading through the backing array skips a bounds check and an indirection per byte, which is
   * most of what the parsers do; socket reads arrive as heap buffers.
   */
  private void refresh() {
    end = buf.length();
    ByteBuf bytes = ((BufferInternal) buf).getByteBuf();
    if (bytes.hasArray()) {
      array = bytes.array();
      base = bytes.arrayOffset() + bytes.readerIndex();
    } else {
      array = null;
    }
  }

  /** Marks bytes up to {@code pos} consumed. */
  void consume(int pos) {
    start = pos;
    expected = 0;
    if (start == end) {
      clear();
    }
  }

  /** Cuts a frame out; the buffer it came from is never appended to again. */
  Buffer slice(int from, int to) {
    capacity = -1;
    return buf.slice(from, to);
  }

  /**
   * Gives what the buffer holds of the frame memory to whoever keeps the frame just cut out of
   * it, who must release it; the Cumulation no longer counts it.
   */
  long handOver() {
    long taken = reserved;
    reserved = 0;
    return taken;
  }

  /** Tells how many bytes, from the current start, the frame being read will take in total. */
  void expect(long frameBytes) {
    expected = frameBytes;
  }

  /** Index of {@code b} in [from, end), or -1. */
  int indexOf(int from, byte b) {
    for (int i = from; i < end; i++) {
      if (get(i) == b) {
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
    for (int i = from; i < end; i++) {
      byte c = get(i);
      if (c == b) {
        return i;
      }
      if (c == 0) {
        return -1;
      }
    }
    return -1;
  }

  /** A length or count line: see {@link Numbers#parseLength}. */
  long parseLength(int from, int to) {
    return Numbers.parseLength(this, from, to);
  }

  @Override
  public byte get(int i) {
    return array != null ? array[base + i] : buf.getByte(i);
  }

  /** The backing array of the current bytes, or null when they are not on the heap. */
  byte[] array() {
    return array;
  }

  int arrayIndex(int i) {
    return base + i;
  }

  void clear() {
    memory.release(reserved);
    reserved = 0;
    buf = null;
    array = null;
    end = 0;
    start = 0;
    capacity = -1;
    expected = 0;
  }
}
