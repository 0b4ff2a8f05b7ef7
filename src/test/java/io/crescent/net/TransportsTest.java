package io.crescent.net;

import io.netty.channel.uring.IoUring;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The transport chosen for each setting, and Netty's multishot-poll switch turned off before
 * io_uring is used unless the operator set it. Netty reads the switch once per JVM (this one
 * gets it from the build), so these check the property, not Netty's reading of it.
 */
class TransportsTest {

  private String saved;

  /** Netty reads the build's switch before these tests change it, as it would in any other class. */
  @BeforeAll
  static void nettyHasReadTheSwitch() {
    IoUring.isAvailable();
  }

  @BeforeEach
  void clearSwitch() {
    saved = System.clearProperty(Transports.MULTISHOT_POLL);
  }

  @AfterEach
  void restoreSwitch() {
    if (saved == null) {
      System.clearProperty(Transports.MULTISHOT_POLL);
    } else {
      System.setProperty(Transports.MULTISHOT_POLL, saved);
    }
  }

  @Test
  void nioLeavesNettysSwitchAlone() {
    assertEquals(Transport.NIO, Transports.choose("nio"));
    assertNull(System.getProperty(Transports.MULTISHOT_POLL));
  }

  @Test
  void autoTurnsMultishotPollsOffAndTakesIoUringWhereItIsSafe() {
    Transport chosen = Transports.choose("auto");
    assertEquals("false", System.getProperty(Transports.MULTISHOT_POLL));
    boolean safe = Transport.IO_URING != null && Transport.IO_URING.available() && !IoUring.isPollAddMultishotEnabled();
    assertEquals(safe ? Transport.IO_URING : Transport.NIO, chosen);
  }

  @Test
  void anOperatorsOwnSwitchIsKept() {
    System.setProperty(Transports.MULTISHOT_POLL, "true");
    Transports.choose("auto");
    assertEquals("true", System.getProperty(Transports.MULTISHOT_POLL));
  }
}
