package io.crescent.metrics;

import io.crescent.resp.Command;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one event loop's clients ran: calls and failures by command name, and how long commands
 * took from being read to having their reply, in total and without the time spent in Redis. Only
 * that loop writes; the scrape sums every loop's stats.
 */
public final class CommandStats {

  /** Counts of one command name. */
  static final class Counts {
    private static final VarHandle CALLS;
    private static final VarHandle FAILED;

    static {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        CALLS = lookup.findVarHandle(Counts.class, "calls", long.class);
        FAILED = lookup.findVarHandle(Counts.class, "failed", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private long calls;
    private long failed;

    long calls() {
      return (long) CALLS.getOpaque(this);
    }

    long failed() {
      return (long) FAILED.getOpaque(this);
    }
  }

  /** Commands the proxy refused before knowing them: their names are the client's, never labels. */
  static final String UNKNOWN = "unknown";

  private static final VarHandle PENDING;

  static {
    try {
      PENDING = MethodHandles.lookup().findVarHandle(CommandStats.class, "pending", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Commands read from clients and not answered yet: queued on the bus, at a backend, or parked. */
  private long pending;

  // Concurrent only so that the scrape can walk it while the loop adds a name; gets take no lock.
  private final Map<String, Counts> byName = new ConcurrentHashMap<>();
  final LatencyHistogram total = new LatencyHistogram();
  final LatencyHistogram proxy = new LatencyHistogram();

  /** A client's read brought {@code commands} commands. */
  public void read(int commands) {
    PENDING.setOpaque(this, pending + commands);
  }

  /** A client left with {@code commands} commands unanswered. */
  public void dropped(int commands) {
    PENDING.setOpaque(this, pending - commands);
  }

  long pending() {
    return (long) PENDING.getOpaque(this);
  }

  /**
   * One command answered at {@code nowNanos}. Blocking commands are counted but not timed: their
   * wait is the client's choice, and would drown what the histograms are for.
   */
  public void record(Command command, boolean failed, long nowNanos) {
    String name = command.name() == null ? UNKNOWN : command.name();
    Counts counts = byName.get(name);
    if (counts == null) {
      counts = new Counts();
      byName.put(name, counts);
    }
    PENDING.setOpaque(this, pending - 1);
    Counts.CALLS.setOpaque(counts, counts.calls + 1);
    if (failed) {
      Counts.FAILED.setOpaque(counts, counts.failed + 1);
    }
    if (!command.mayBlock()) {
      long elapsed = nowNanos - command.readNanos();
      total.record(elapsed);
      proxy.record(elapsed - command.backendNanos());
    }
  }

  Map<String, Counts> byName() {
    return byName;
  }
}
