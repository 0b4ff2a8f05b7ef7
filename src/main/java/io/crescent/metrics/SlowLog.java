package io.crescent.metrics;

import io.crescent.resp.Command;
import io.crescent.resp.Resp;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;

/**
 * The proxy's own SLOWLOG: commands whose reply took longer than {@code slowlog_log_slower_than}
 * microseconds from the moment the proxy read them, Redis's waiting included. Shared by every event
 * loop; only slow commands reach it, so a lock costs nothing that matters.
 *
 * <p>Entries are kept as Redis keeps them: at most 32 arguments (the last saying how many more),
 * each cut at 128 bytes (saying how many more), passwords redacted, newest first.
 */
public final class SlowLog {

  private static final int MAX_ARGS = 32;
  private static final int MAX_ARG_BYTES = 128;
  private static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);

  private record Entry(long id, long unixSeconds, long micros, byte[][] args, String client, String clientName) {
  }

  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private long nextId;

  public synchronized void add(Command command, long micros, String client, String clientName, int maxLen) {
    entries.addFirst(new Entry(nextId++, System.currentTimeMillis() / 1000, micros, args(command), client,
        clientName));
    while (entries.size() > maxLen) {
      entries.removeLast();
    }
  }

  public synchronized int length() {
    return entries.size();
  }

  public synchronized void reset() {
    entries.clear();
  }

  /** SLOWLOG GET's reply: the newest {@code count} entries. */
  public synchronized Buffer reply(long count) {
    int n = (int) Math.min(count, entries.size());
    Buffer out = Resp.appendArrayHeader(Buffer.buffer(), n);
    Iterator<Entry> it = entries.iterator();
    for (int i = 0; i < n; i++) {
      Entry e = it.next();
      Resp.appendArrayHeader(out, 6);
      Resp.appendInteger(out, e.id());
      Resp.appendInteger(out, e.unixSeconds());
      Resp.appendInteger(out, e.micros());
      Resp.appendArrayHeader(out, e.args().length);
      for (byte[] arg : e.args()) {
        Resp.appendBulk(out, arg);
      }
      Resp.appendBulk(out, e.client());
      Resp.appendBulk(out, e.clientName());
    }
    return out;
  }

  private static byte[][] args(Command command) {
    int argc = command.argc();
    int kept = argc > MAX_ARGS ? MAX_ARGS - 1 : argc;
    byte[][] args = new byte[argc > MAX_ARGS ? MAX_ARGS : argc][];
    for (int i = 0; i < kept; i++) {
      args[i] = redacted(command, i) ? REDACTED : cut(command, i);
    }
    if (argc > MAX_ARGS) {
      args[kept] = ("... (" + (argc - kept) + " more arguments)").getBytes(StandardCharsets.US_ASCII);
    }
    return args;
  }

  private static byte[] cut(Command command, int i) {
    byte[] arg = command.argBytes(i);
    if (arg.length <= MAX_ARG_BYTES) {
      return arg;
    }
    byte[] more = ("... (" + (arg.length - MAX_ARG_BYTES) + " more bytes)").getBytes(StandardCharsets.US_ASCII);
    byte[] out = Arrays.copyOf(arg, MAX_ARG_BYTES + more.length);
    System.arraycopy(more, 0, out, MAX_ARG_BYTES, more.length);
    return out;
  }

  /** AUTH's arguments, and the user and password of HELLO ... AUTH, as Redis redacts them. */
  private static boolean redacted(Command command, int i) {
    if (i == 0) {
      return false;
    }
    if (command.argIs(0, "auth")) {
      return true;
    }
    if (command.argIs(0, "hello")) {
      for (int j = 2; j < i && j < command.argc(); j++) {
        if (command.argIs(j, "auth") && i <= j + 2) {
          return true;
        }
      }
    }
    return false;
  }
}
