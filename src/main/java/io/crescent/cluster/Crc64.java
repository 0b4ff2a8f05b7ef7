package io.crescent.cluster;

/**
 * CRC-64 as in Redis's crc64.c (Jones polynomial, reflected, initial value 0, no final xor).
 * Undermoon derives node ids from it, so ids only match undermoon's with exactly this variant.
 */
public final class Crc64 {

  /** 0xad93d23594c935a9 with its bits reversed, because the algorithm is reflected. */
  private static final long POLY_REFLECTED = Long.reverse(0xad93d23594c935a9L);
  private static final long[] TABLE = table();

  private Crc64() {
  }

  private static long[] table() {
    long[] table = new long[256];
    for (int i = 0; i < 256; i++) {
      long crc = i;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY_REFLECTED : crc >>> 1;
      }
      table[i] = crc;
    }
    return table;
  }

  public static long crc64(byte[] bytes) {
    long crc = 0;
    for (byte b : bytes) {
      crc = TABLE[(int) (crc ^ b) & 0xff] ^ (crc >>> 8);
    }
    return crc;
  }
}
