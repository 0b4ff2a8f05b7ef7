package io.crescent.net;

import io.crescent.config.ConfigException;
import io.netty.channel.uring.IoUring;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * The I/O transport Vert.x runs on, from the {@code transport} setting: Java's NIO, or io_uring
 * ({@code io_uring}, or {@code auto}: where the kernel allows it).
 *
 * <p>NIO is the default. io_uring, safe only with one-shot polls (below), took from about 15%
 * less to 5% more CPU per request than NIO, depending on the run, at {@code -P 1} and
 * {@code -P 16} (redis-benchmark, 50 clients, 2 cores); with Netty's multishot polls about 9%
 * less at {@code -P 1}. Not enough to make the younger transport the default.
 */
public final class Transports {

  private static final Logger log = LoggerFactory.getLogger(Transports.class);

  /**
   * Netty's switch for multishot POLL_ADD on io_uring channels. With it on, a client socket whose
   * reading the proxy had paused and resumed (backpressure) could miss the client's close: its
   * poll stayed armed and never fired again, so the session, and any Redis connection it held
   * blocked in BLPOP, stayed for good (MidPipelineDisconnectTest). One-shot polls re-armed by
   * Netty on every read do not lose it.
   */
  static final String MULTISHOT_POLL = "io.netty.iouring.pollAddMultishotEnabled";

  private Transports() {
  }

  /**
   * The transport for {@code setting} ({@code auto}, {@code io_uring} or {@code nio}). Call it
   * before anything loads Netty's io_uring classes: they read {@link #MULTISHOT_POLL} once. An
   * operator's own {@code -D} for it is kept.
   */
  public static Transport choose(String setting) {
    if (setting.equals("nio")) {
      return Transport.NIO;
    }
    if (System.getProperty(MULTISHOT_POLL) == null) {
      System.setProperty(MULTISHOT_POLL, "false");
    }
    Transport ioUring = Transport.IO_URING;
    if (ioUring == null || !ioUring.available()) {
      if (setting.equals("io_uring")) {
        throw new ConfigException("transport: io_uring is not available here (" + why(ioUring) + "); use auto or nio");
      }
      log.info("io_uring is not available here ({}): running on NIO", why(ioUring));
      return Transport.NIO;
    }
    if (IoUring.isPollAddMultishotEnabled()) {
      if (setting.equals("auto")) {
        log.warn("io_uring runs with multishot polls here ({} is true, or was read before Crescent set it): "
            + "running on NIO", MULTISHOT_POLL);
        return Transport.NIO;
      }
      log.warn("io_uring with multishot polls on: a client's close may go unseen after backpressure");
    }
    log.warn("the io_uring transport is experimental: under load a new client's first command was once "
        + "left unanswered (about one test run in ten); use nio where that matters");
    return ioUring;
  }

  private static String why(Transport unavailable) {
    if (unavailable == null) {
      return "Netty's io_uring classes are not on the class path";
    }
    Throwable cause = unavailable.unavailabilityCause();
    return cause == null ? "no reason given" : cause.getMessage();
  }

  /** What {@code vertx} actually runs on: an embedding application may have built it otherwise. */
  public static String nameOf(Vertx vertx) {
    Class<?> running = ((VertxInternal) vertx).transport().getClass();
    // Vert.x leaves a native transport null when its Netty classes are not on the class path.
    for (Transport t : new Transport[] {Transport.NIO, Transport.IO_URING, Transport.EPOLL, Transport.KQUEUE}) {
      if (t != null && t.available() && t.implementation().getClass() == running) {
        return t.name().toLowerCase(Locale.ROOT);
      }
    }
    return running.getSimpleName();
  }
}
