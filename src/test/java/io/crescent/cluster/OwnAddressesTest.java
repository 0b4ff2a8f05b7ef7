package io.crescent.cluster;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OwnAddressesTest {

  private static OwnAddresses listening(String listen, String announce, String... interfaces) {
    return OwnAddresses.of(HostPort.parse(listen), HostPort.parse(announce), Set.of(interfaces));
  }

  @Test
  void loopbackSpellingsOfALoopbackProxyAreItself() {
    OwnAddresses own = listening("127.0.0.1:5299", "127.0.0.1:5299");
    for (String self : new String[] {"127.0.0.1:5299", "localhost:5299", "LocalHost:5299", "127.0.1.1:5299",
        "127.0.0.1:05299", "[::1]:5299", "::1:5299"}) {
      assertTrue(own.names(self), self);
    }
    for (String other : new String[] {"127.0.0.1:6379", "10.0.0.5:5299", "redis.example:5299", "nonsense"}) {
      assertFalse(own.names(other), other);
    }
  }

  @Test
  void aProxyOnEveryInterfaceIsReachedThroughAnyOfThem() {
    OwnAddresses own = listening("0.0.0.0:5299", "10.0.0.5:5299", "10.0.0.5", "192.168.1.7", "127.0.0.1");
    for (String self : new String[] {"10.0.0.5:5299", "192.168.1.7:5299", "localhost:5299", "0.0.0.0:5299"}) {
      assertTrue(own.names(self), self);
    }
    assertFalse(own.names("10.0.0.6:5299"), "another machine");
    assertFalse(own.names("192.168.1.7:6379"), "this machine's Redis");
  }

  @Test
  void theAnnouncedAddressIsItselfWhateverThePortListenedOn() {
    OwnAddresses own = listening("0.0.0.0:5299", "proxy-1.example:30001", "10.0.0.5");
    assertTrue(own.names("proxy-1.example:30001"));
    assertTrue(own.names("PROXY-1.example:30001"));
    assertFalse(own.names("proxy-1.example:5300"));
    assertFalse(own.names("proxy-2.example:30001"));
  }

  @Test
  void aProxyOnOneInterfaceIsNotItsLoopback() {
    OwnAddresses own = listening("10.0.0.5:5299", "10.0.0.5:5299");
    assertTrue(own.names("10.0.0.5:5299"));
    assertFalse(own.names("127.0.0.1:5299"), "another process may listen on loopback with that port");
  }

  @Test
  void noProxyYetNamesNothing() {
    assertFalse(OwnAddresses.NONE.names("127.0.0.1:5299"));
  }
}
