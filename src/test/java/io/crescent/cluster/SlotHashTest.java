package io.crescent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlotHashTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static int slotOf(String key) {
    return SlotHash.slot(bytes(key));
  }

  @Test
  void crc16MatchesTheXmodemCheckValue() {
    byte[] check = bytes("123456789");
    assertEquals(0x31C3, SlotHash.crc16(check, 0, check.length));
    assertEquals(12739, slotOf("123456789"));
  }

  @ParameterizedTest
  @CsvSource({"a, 15495", "b, 3300", "'', 0"})
  void knownSlots(String key, int slot) {
    assertEquals(slot, slotOf(key));
  }

  @Test
  void hashTagsFollowRedisRules() {
    assertEquals(slotOf("{user1000}.following"), slotOf("{user1000}.followers"));
    assertEquals(slotOf("user1000"), slotOf("{user1000}.following"));
    assertEquals(SlotHash.crc16(bytes("foo{}{bar}"), 0, 10) & 16383, slotOf("foo{}{bar}"));
    assertEquals(slotOf("{bar"), slotOf("foo{{bar}}zap"));
    assertEquals(slotOf("bar"), slotOf("foo{bar}{zap}"));
    assertEquals(SlotHash.crc16(bytes("foo{bar"), 0, 7) & 16383, slotOf("foo{bar"));
    assertEquals(SlotHash.crc16(bytes("foo}bar{"), 0, 8) & 16383, slotOf("foo}bar{"));
  }

  @ParameterizedTest
  @CsvSource({"123456789", "a", "{user1000}.following", "foo{}{bar}", "foo{{bar}}zap", "foo{bar}{zap}",
      "foo{bar", "x{}"})
  void bufferPathAgreesWithArrayPathInsideALargerBuffer(String key) {
    Buffer buf = Buffer.buffer().appendString("*2\r\n$3\r\nGET\r\n$").appendString(key + "{}");
    int offset = buf.length() - key.length() - 2;
    assertEquals(slotOf(key), SlotHash.slot(buf, offset, key.length()));
  }
}
