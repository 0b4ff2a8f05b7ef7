package io.crescent.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What one router (one event loop) answered itself with a cluster error. Only that loop writes;
 * the scrape reads from another thread. Opaque access costs a plain store on the event loop (no
 * lock, no atomic read-modify-write, no fence) and still makes every increment visible to the
 * reader eventually, which is all a counter needs.
 */
public final class RouteCounters {

  private static final VarHandle MOVED;
  private static final VarHandle CROSS_SLOT;
  private static final VarHandle CLUSTER_DOWN;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      MOVED = lookup.findVarHandle(RouteCounters.class, "moved", long.class);
      CROSS_SLOT = lookup.findVarHandle(RouteCounters.class, "crossSlot", long.class);
      CLUSTER_DOWN = lookup.findVarHandle(RouteCounters.class, "clusterDown", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private long moved;
  private long crossSlot;
  private long clusterDown;

  /** A command answered with MOVED. */
  public void moved() {
    MOVED.setOpaque(this, moved + 1);
  }

  /** A command answered with CROSSSLOT. */
  public void crossSlot() {
    CROSS_SLOT.setOpaque(this, crossSlot + 1);
  }

  /** A command answered with CLUSTERDOWN (no cluster yet, or its slot is not served). */
  public void clusterDown() {
    CLUSTER_DOWN.setOpaque(this, clusterDown + 1);
  }

  long movedCount() {
    return (long) MOVED.getOpaque(this);
  }

  long crossSlotCount() {
    return (long) CROSS_SLOT.getOpaque(this);
  }

  long clusterDownCount() {
    return (long) CLUSTER_DOWN.getOpaque(this);
  }
}
