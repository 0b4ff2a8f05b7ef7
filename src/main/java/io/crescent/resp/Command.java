package io.crescent.resp;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * One client request as it travels through the proxy: the RESP frame exactly as it will be sent
 * to Redis, where its arguments lie inside that frame, and, once known, its reply.
 *
 * <p>The frame is a slice of the bytes the client sent whenever the client spoke RESP, so
 * forwarding a command never re-encodes or copies its arguments. A command is created and
 * completed on its session's event loop; nothing here is synchronised.
 */
public final class Command {

  private final Buffer frame;
  /** The frame's bytes when it lies in a heap array (index 0 of the frame is array[arrayBase]). */
  private final byte[] array;
  private final int arrayBase;
  /** Pairs of (offset, length) of each argument inside {@link #frame}. */
  private final int[] args;
  private final int argc;

  private ReplySink sink;
  private Buffer reply;
  private boolean mayBlock;
  private int pubsubFrames;
  private boolean silent;
  private boolean replyDecided;
  // What the proxy measures of the command: which command it is, and when it was read, written to
  // a backend, and answered there.
  private String name;
  private boolean skipsSlowlog;
  private long readNanos;
  private long sentNanos;
  private long backendNanos;
  /** Not a command: a frame that answers none (a pub/sub message), waiting in a client's line. */
  private boolean push;
  /** Bytes of the proxy's frame memory this command's frame holds until it is answered. */
  private long frameMemory;
  /** Bytes of its request its client counts as held, once answered, until its reply goes out. */
  private int requestHeld;

  Command(Buffer frame, int[] args, int argc, byte[] array, int arrayBase) {
    this.frame = frame;
    this.array = array;
    this.arrayBase = arrayBase;
    this.args = args;
    this.argc = argc;
  }

  /** A command made by the proxy itself (or a test), encoded as a RESP multibulk. */
  public static Command of(String... argv) {
    byte[][] bytes = new byte[argv.length][];
    for (int i = 0; i < argv.length; i++) {
      bytes[i] = argv[i].getBytes(StandardCharsets.UTF_8);
    }
    return of(bytes);
  }

  /** A frame that answers no command, to be written in line with the replies around it. */
  public static Command push(Buffer frame) {
    Command placeholder = new Command(Buffer.buffer(), new int[0], 0, new byte[0], 0);
    placeholder.push = true;
    placeholder.reply = frame;
    return placeholder;
  }

  public boolean isPush() {
    return push;
  }

  public static Command of(byte[][] argv) {
    Buffer frame = Buffer.buffer(16 + argv.length * 16);
    int[] args = new int[argv.length * 2];
    frame.appendByte((byte) '*').appendString(Integer.toString(argv.length)).appendBytes(Resp.CRLF);
    for (int i = 0; i < argv.length; i++) {
      frame.appendByte((byte) '$').appendString(Integer.toString(argv[i].length)).appendBytes(Resp.CRLF);
      args[2 * i] = frame.length();
      args[2 * i + 1] = argv[i].length;
      frame.appendBytes(argv[i]).appendBytes(Resp.CRLF);
    }
    return new Command(frame, args, argv.length, frame.getBytes(), 0);
  }

  public Buffer frame() {
    return frame;
  }

  public int argc() {
    return argc;
  }

  public int argOffset(int i) {
    return args[2 * i];
  }

  public int argLength(int i) {
    return args[2 * i + 1];
  }

  /** The frame's backing array, or null; argument i starts at {@link #arrayIndex(int)}. */
  public byte[] array() {
    return array;
  }

  public int arrayIndex(int i) {
    return arrayBase + argOffset(i);
  }

  public byte[] argBytes(int i) {
    return frame.getBytes(argOffset(i), argOffset(i) + argLength(i));
  }

  /** The argument as text; arguments that are not UTF-8 get replacement characters. */
  public String argString(int i) {
    return frame.getString(argOffset(i), argOffset(i) + argLength(i), "UTF-8");
  }

  /** Compares an argument with an ASCII word, ignoring case, without decoding it. */
  public boolean argIs(int i, String asciiWord) {
    int len = argLength(i);
    if (len != asciiWord.length()) {
      return false;
    }
    int off = argOffset(i);
    for (int j = 0; j < len; j++) {
      if (Ascii.lower(frame.getByte(off + j)) != Ascii.lower((byte) asciiWord.charAt(j))) {
        return false;
      }
    }
    return true;
  }

  /** {@link #lowerHash} of argument i. */
  public int argLowerHash(int i) {
    if (array != null) {
      return lowerHash(array, arrayIndex(i), argLength(i));
    }
    int h = 0;
    for (int j = 0, off = argOffset(i), len = argLength(i); j < len; j++) {
      h = 31 * h + Ascii.lower(frame.getByte(off + j));
    }
    return mix(h);
  }

  /** A hash of bytes with ASCII letters in lower case, so that "GET" and "get" hash alike. */
  public static int lowerHash(byte[] bytes, int from, int length) {
    int h = 0;
    for (int j = from, end = from + length; j < end; j++) {
      h = 31 * h + Ascii.lower(bytes[j]);
    }
    return mix(h);
  }

  private static int mix(int h) {
    return h ^ (h >>> 16);
  }

  /** True when argument i, with ASCII letters in lower case, is exactly {@code lower}. */
  public boolean argEqualsLower(int i, byte[] lower) {
    int len = argLength(i);
    if (len != lower.length) {
      return false;
    }
    if (array != null) {
      for (int j = 0, at = arrayIndex(i); j < len; j++) {
        if (Ascii.lower(array[at + j]) != lower[j]) {
          return false;
        }
      }
      return true;
    }
    for (int j = 0, off = argOffset(i); j < len; j++) {
      if (Ascii.lower(frame.getByte(off + j)) != lower[j]) {
        return false;
      }
    }
    return true;
  }

  /** The argument in lower case, for looking up command and subcommand names. */
  public String argLower(int i) {
    int len = argLength(i);
    int off = argOffset(i);
    char[] chars = new char[len];
    for (int j = 0; j < len; j++) {
      chars[j] = (char) (Ascii.lower(frame.getByte(off + j)) & 0xff);
    }
    return new String(chars);
  }

  // ---- reply slot: filled in once, by whoever answers the command ----

  public ReplySink sink() {
    return sink;
  }

  public void sink(ReplySink sink) {
    this.sink = sink;
  }

  /** A command that may legitimately wait for a long time (BLPOP): no backend timeout applies. */
  public boolean mayBlock() {
    return mayBlock;
  }

  public void mayBlock(boolean mayBlock) {
    this.mayBlock = mayBlock;
  }

  /**
   * For a pub/sub command, how many frames Redis answers it with (SUBSCRIBE a b: two); 0 for
   * every other command, which gets exactly one reply.
   */
  public int pubsubFrames() {
    return pubsubFrames;
  }

  public void pubsubFrames(int frames) {
    this.pubsubFrames = frames;
  }

  public long frameMemory() {
    return frameMemory;
  }

  public void frameMemory(long bytes) {
    frameMemory = bytes;
  }

  public int requestHeld() {
    return requestHeld;
  }

  public void requestHeld(int bytes) {
    requestHeld = bytes;
  }

  /** CLIENT REPLY OFF or SKIP: the command runs, but its reply is not written. */
  public boolean silent() {
    return silent;
  }

  public void silent(boolean silent) {
    this.silent = silent;
    replyDecided = true;
  }

  /** Whether the client's reply mode (CLIENT REPLY) has been applied to it. */
  public boolean replyDecided() {
    return replyDecided;
  }

  /** The command's name as Redis's command table has it ({@code get}, {@code client|list}), once routed. */
  public String name() {
    return name;
  }

  /** Names the command; EXEC and the like ({@code skip_slowlog}) stay out of the slow log, as on Redis. */
  public void name(String name, boolean skipsSlowlog) {
    this.name = name;
    this.skipsSlowlog = skipsSlowlog;
  }

  public boolean skipsSlowlog() {
    return skipsSlowlog;
  }

  /** When the proxy read the command ({@link System#nanoTime()}). */
  public long readNanos() {
    return readNanos;
  }

  public void readNanos(long nanos) {
    readNanos = nanos;
  }

  /** The command was written to a backend at {@code nanos}. */
  public void sent(long nanos) {
    sentNanos = nanos;
  }

  /** The backend's reply arrived at {@code nanos}. */
  public void backendReplied(long nanos) {
    backendNanos = nanos - sentNanos;
  }

  /** Nanoseconds between writing the command to a backend and its reply; 0 if the proxy answered it. */
  public long backendNanos() {
    return backendNanos;
  }

  public boolean answered() {
    return reply != null;
  }

  public Buffer reply() {
    return reply;
  }

  /** Records the reply; the sink decides when it reaches the client. */
  public void reply(Buffer reply) {
    this.reply = reply;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Command[");
    for (int i = 0; i < argc; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(argString(i));
    }
    return sb.append(']').toString();
  }
}
