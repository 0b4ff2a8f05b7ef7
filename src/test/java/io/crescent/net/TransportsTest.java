package io.crescent.net;

import io.crescent.config.ConfigException;
import io.netty.util.Version;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NIO is the only transport offered: io_uring, and auto, which meant io_uring where available,
 * are refused with the reason, and Netty's io_uring classes are no longer on the class path.
 */
class TransportsTest {

  @Test
  void nioIsChosen() {
    assertEquals(Transport.NIO, Transports.choose("nio"));
    assertEquals(Transport.NIO, Transports.choose("NIO"));
  }

  @Test
  void ioUringIsRefusedWithTheReason() {
    ConfigException e = assertThrows(ConfigException.class, () -> Transports.choose("io_uring"));
    assertEquals("transport: io_uring is not supported: the Netty in use (4.2.9) can send a closed connection's "
        + "in-flight write from memory already reused (netty#17238); use nio", e.getMessage());
  }

  @Test
  void autoIsRefusedWithTheReason() {
    ConfigException e = assertThrows(ConfigException.class, () -> Transports.choose("auto"));
    assertEquals("transport: auto is not supported: it meant io_uring where available, and the Netty in use "
        + "(4.2.9) can send a closed connection's in-flight write from memory already reused (netty#17238); "
        + "use nio", e.getMessage());
  }

  @Test
  void otherTransportsAreUnknown() {
    ConfigException e = assertThrows(ConfigException.class, () -> Transports.choose("epoll"));
    assertEquals("transport: expected one of [nio], got 'epoll'", e.getMessage());
  }

  /** Vert.x leaves its io_uring transport null without Netty's io_uring classes. */
  @Test
  void nettysIoUringIsNotOnTheClassPath() {
    assertNull(Transport.IO_URING);
    assertThrows(ClassNotFoundException.class, () -> Class.forName("io.netty.channel.uring.IoUring"));
  }

  /**
   * The refusal names the Netty in use. When the Vert.x BOM moves Netty, this fails: update the
   * message, and see whether netty#17238 and netty#16307 are fixed in the new one.
   */
  @Test
  void theRefusalNamesTheNettyInUse() {
    String netty = Version.identify().get("netty-transport").artifactVersion();
    assertTrue(netty.startsWith("4.2.9."), "Netty " + netty + " is in use; the transport refusal names 4.2.9");
  }
}
