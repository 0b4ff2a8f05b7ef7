package io.crescent.testing;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

/**
 * What this JVM, and so a proxy running in it, holds: the live heap after a full GC, and direct
 * buffers (Netty copies outbound heap buffers to direct memory, and without
 * {@code -Dio.netty.tryReflectionSetAccessible=true} on Java 17 its direct buffers are the JDK's).
 */
public record Memory(long heap, long direct) {

  public static final Memory NONE = new Memory(0, 0);
  private static final long MB = 1024 * 1024;

  public static Memory now() {
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long direct = 0;
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) {
        direct += pool.getMemoryUsed();
      }
    }
    // Netty's own counter, used only when it allocates direct memory without the JDK's cleaner.
    direct = Math.max(direct, io.netty.util.internal.PlatformDependent.usedDirectMemory());
    return new Memory(heap, direct);
  }

  public Memory minus(Memory base) {
    return new Memory(heap - base.heap, direct - base.direct);
  }

  public long total() {
    return heap + direct;
  }

  public Memory max(Memory other) {
    return total() >= other.total() ? this : other;
  }

  @Override
  public String toString() {
    return total() / MB + " MB (heap " + heap / MB + " MB, direct " + direct / MB + " MB)";
  }
}
