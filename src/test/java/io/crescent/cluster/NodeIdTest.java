package io.crescent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NodeIdTest {

  @Test
  void crc64MatchesRedisCheckValue() {
    assertEquals(0xe9c6d914c4b8d9caL, Crc64.crc64("123456789".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(0L, Crc64.crc64(new byte[0]));
  }

  @Test
  void idsMatchUndermoon() {
    assertEquals("mydb________________9f8fca2805923328____", NodeId.of("mydb", "127.0.0.1:5299"));
    assertEquals("mydb________________d458dd9b55cc9ad9____", NodeId.of("mydb", "127.0.0.1:7000"));
    assertEquals("testcluster_________9f8fca2805923328____", NodeId.of("testcluster", "127.0.0.1:5299"));
  }

  @Test
  void longNamesAreCutToTwentyCharacters() {
    String id = NodeId.of("a-very-long-cluster-name-indeed", "127.0.0.1:5299");
    assertEquals("a-very-long-cluster-9f8fca2805923328____", id);
    assertEquals(NodeId.LENGTH, id.length());
  }

  @Test
  void hashIsZeroPaddedToSixteenDigits() {
    // Find an address whose CRC-64 has a leading zero nibble, then check the layout.
    for (int port = 1; ; port++) {
      String address = "10.0.0.1:" + port;
      long crc = Crc64.crc64(address.getBytes(StandardCharsets.US_ASCII));
      if ((crc >>> 60) == 0) {
        String id = NodeId.of("db", address);
        assertEquals(NodeId.LENGTH, id.length());
        assertEquals(String.format("%016x", crc), id.substring(20, 36));
        assertEquals("____", id.substring(36));
        return;
      }
    }
  }
}
