package io.crescent.net;

import io.crescent.config.ProxyConfig;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.transport.Transport;

import java.util.Locale;

/**
 * The I/O transport Vert.x runs on, from the {@code transport} setting: Java's NIO, the only one
 * offered. io_uring was tried and measured no steady gain; it is not offered while the Netty in use
 * has io_uring bugs a proxy cannot accept (netty#17238, netty#16307: see {@link ProxyConfig}).
 */
public final class Transports {

  private Transports() {
  }

  /**
   * The transport for {@code setting}: NIO for {@code nio}; a ConfigException, as from the
   * configuration, for anything else ({@code io_uring} and {@code auto} with the reason).
   */
  public static Transport choose(String setting) {
    ProxyConfig.checkTransport(setting);
    return Transport.NIO;
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
