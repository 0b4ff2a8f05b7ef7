package io.crescent.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports nobody listens on right now, so tests never collide with a Redis on 6379.
 *
 * <p>Handed out in turn from below Linux's ephemeral range (32768 and up), starting at a random
 * place in each JVM: asking the kernel for port 0 returns ephemeral ports, which the kernel also
 * gives to outgoing connections and may return twice in a row, so a port chosen for one server
 * could be taken by another server or a client socket before it is bound.
 */
public final class FreePorts {

  private static final int FIRST = 20_000;
  private static final int LAST = 32_000;
  private static final AtomicInteger NEXT =
      new AtomicInteger(FIRST + ThreadLocalRandom.current().nextInt(LAST - FIRST));

  private FreePorts() {
  }

  public static int next() {
    for (int tries = 0; tries < LAST - FIRST; tries++) {
      int port = FIRST + Math.floorMod(NEXT.getAndIncrement() - FIRST, LAST - FIRST);
      if (bindable(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port in [" + FIRST + ", " + LAST + ")");
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
