package io.crescent.resp;

import io.vertx.core.buffer.Buffer;

import java.util.Arrays;
import java.util.List;

/**
 * Streaming parser for the requests a client sends: RESP multibulk frames and inline
 * (telnet-style) commands, cut across reads or many in one read.
 *
 * <p>It follows redis-server's own reader (networking.c) closely, including its error texts and
 * its leniencies (the byte after a {@code \r} and the two bytes after bulk data are skipped, not
 * checked), so that clients see the same behaviour as on Redis. A multibulk frame is handed on as
 * a slice of the input: the exact bytes can be forwarded to Redis. A command over
 * {@link FrameMemory#LARGE} carries the frame memory it took ({@link Command#frameMemory()}), to
 * be released once answered.
 */
public final class RequestParser {

  /** Redis's PROTO_INLINE_MAX_SIZE: longest inline command or length line. */
  static final int MAX_LINE = 64 * 1024;
  /** Redis's default proto-max-bulk-len. */
  public static final long DEFAULT_MAX_BULK = 512L * 1024 * 1024;
  private static final int INITIAL_ARGS = 8;
  /** What Redis allows a client that has yet to authenticate: arguments, and bytes of each. */
  private static final int UNAUTHENTICATED_ARGS = 10;
  private static final int UNAUTHENTICATED_BULK = 16384;

  private final long maxBulk;
  private final Cumulation in;

  // State of a multibulk frame in progress; offsets are relative to the frame's first byte.
  private int multibulk;      // arguments still to read; 0 when between frames
  private int argCount;
  private int argi;
  private int[] args;
  private int scan;           // where to continue reading within the frame
  private long bulkLen = -1;  // length of the bulk being read; -1 before its header

  public RequestParser() {
    this(FrameMemory.unlimited());
  }

  /** Commands larger than {@link FrameMemory#LARGE} are held within {@code memory}. */
  public RequestParser(FrameMemory memory) {
    this(DEFAULT_MAX_BULK, memory);
  }

  public RequestParser(long maxBulk, FrameMemory memory) {
    this.maxBulk = maxBulk;
    this.in = new Cumulation(memory, false);
  }

  private boolean unauthenticated;

  /**
   * While set, commands are held to Redis's limits for a client that has yet to authenticate, so
   * that an anonymous peer cannot make the proxy buffer much. An AUTH or HELLO lifts them for what
   * follows, as Redis runs it before it parses the next command.
   */
  public void unauthenticated(boolean limited) {
    unauthenticated = limited;
  }

  /** Lets go of a command that will never be complete: the connection is gone. */
  public void close() {
    in.clear();
  }

  /** Bytes held for a command that is not complete yet. */
  public int buffered() {
    return in.available();
  }

  /**
   * Adds the commands completed by {@code data} to {@code out}. On a protocol error the commands
   * before the bad one are in {@code out}; nothing more can be parsed from this stream.
   */
  public void feed(Buffer data, List<Command> out) throws ProtocolException {
    in.add(data);
    while (in.available() > 0) {
      Command command;
      if (multibulk > 0 || in.get(in.start()) == '*') {
        command = readMultibulk();
      } else {
        command = readInline();
      }
      if (command != null) {
        out.add(command);
        if (unauthenticated && command.argc() > 0 && (command.argIs(0, "auth") || command.argIs(0, "hello"))) {
          unauthenticated = false;
        }
      } else if (needsMore) {
        needsMore = false;
        in.holdPartial();
        return;
      }
    }
  }

  /** Set when a read stops because the frame is not complete yet. */
  private boolean needsMore;

  private Command readMultibulk() throws ProtocolException {
    int base = in.start();
    if (multibulk == 0) {
      int cr = in.indexOfInString(base, (byte) '\r');
      if (cr < 0) {
        if (in.available() > MAX_LINE) {
          throw new ProtocolException("too big mbulk count string");
        }
        needsMore = true;
        return null;
      }
      if (cr - base > in.available() - 2) {
        needsMore = true;
        return null;
      }
      long count = in.parseLength(base + 1, cr);
      if (count == Numbers.INVALID || count > Integer.MAX_VALUE) {
        throw new ProtocolException("invalid multibulk length");
      }
      if (unauthenticated && count > UNAUTHENTICATED_ARGS) {
        throw new ProtocolException("unauthenticated multibulk length");
      }
      int next = cr + 2;
      if (count <= 0) {
        in.consume(next);
        return null;
      }
      multibulk = (int) count;
      argCount = multibulk;
      argi = 0;
      // Never trust the count for allocation: grow as arguments really arrive.
      args = new int[2 * Math.min(argCount, INITIAL_ARGS)];
      scan = next - base;
      bulkLen = -1;
    }
    while (multibulk > 0) {
      int at = base + scan;
      if (bulkLen < 0) {
        int cr = in.indexOfInString(at, (byte) '\r');
        if (cr < 0) {
          if (in.end() - at > MAX_LINE) {
            throw new ProtocolException("too big bulk count string");
          }
          needsMore = true;
          return null;
        }
        if (cr - at > in.end() - at - 2) {
          needsMore = true;
          return null;
        }
        byte first = in.get(at);
        if (first != '$') {
          throw ProtocolException.expectedDollar(first);
        }
        long len = in.parseLength(at + 1, cr);
        if (len == Numbers.INVALID || len < 0 || len > maxBulk) {
          throw new ProtocolException("invalid bulk length");
        }
        if (unauthenticated && len > UNAUTHENTICATED_BULK) {
          throw new ProtocolException("unauthenticated bulk length");
        }
        bulkLen = len;
        scan = cr + 2 - base;
        in.expect(scan + len + 2);
        at = base + scan;
      }
      if (in.end() - at < bulkLen + 2) {
        needsMore = true;
        return null;
      }
      if (argi * 2 == args.length) {
        args = Arrays.copyOf(args, args.length * 2);
      }
      args[2 * argi] = scan;
      args[2 * argi + 1] = (int) bulkLen;
      argi++;
      scan += (int) bulkLen + 2;
      bulkLen = -1;
      multibulk--;
    }
    int end = base + scan;
    Buffer frame = in.slice(base, end);
    Command command = new Command(frame, args, argCount, in.array(), in.arrayIndex(base));
    command.frameMemory(in.handOver());
    args = null;
    in.consume(end);
    return command;
  }

  private Command readInline() throws ProtocolException {
    int base = in.start();
    int nl = in.indexOfInString(base, (byte) '\n');
    if (nl < 0) {
      if (in.available() > MAX_LINE) {
        throw new ProtocolException("too big inline request");
      }
      needsMore = true;
      return null;
    }
    int lineEnd = nl;
    if (nl != base && in.get(nl - 1) == '\r') {
      lineEnd--;
    }
    byte[][] argv = InlineSplitter.split(in.buffer(), base, lineEnd);
    if (argv == null) {
      throw new ProtocolException("unbalanced quotes in request");
    }
    in.consume(nl + 1);
    return argv.length == 0 ? null : Command.of(argv);
  }
}
