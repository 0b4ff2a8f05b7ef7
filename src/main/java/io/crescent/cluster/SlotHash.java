package io.crescent.cluster;

import io.vertx.core.buffer.Buffer;

/**
 * Redis Cluster's key-to-slot mapping: CRC16 (XMODEM, as in Redis's crc16.c) of the key, or of
 * its hash tag, modulo {@link #SLOTS}.
 *
 * <p>The hash tag is the part between the first '{' and the first '}' after it, used only when
 * it is not empty; this lets clients force related keys into one slot.
 */
public final class SlotHash {

  public static final int SLOTS = 16384;

  private static final int[] TABLE = table();

  private SlotHash() {
  }

  private static int[] table() {
    int[] table = new int[256];
    for (int i = 0; i < 256; i++) {
      int crc = i << 8;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
      table[i] = crc & 0xffff;
    }
    return table;
  }

  /** The slot of the key stored in {@code buf} at {@code offset}; reads in place, allocates nothing. */
  public static int slot(Buffer buf, int offset, int length) {
    int end = offset + length;
    int open = -1;
    for (int i = offset; i < end; i++) {
      if (buf.getByte(i) == '{') {
        open = i;
        break;
      }
    }
    if (open >= 0) {
      for (int i = open + 1; i < end; i++) {
        if (buf.getByte(i) == '}') {
          if (i > open + 1) {
            return crc16(buf, open + 1, i) & (SLOTS - 1);
          }
          break;
        }
      }
    }
    return crc16(buf, offset, end) & (SLOTS - 1);
  }

  public static int slot(byte[] key) {
    return slot(key, 0, key.length);
  }

  /** The slot of the key in {@code bytes[from, from + length)}; reads in place. */
  public static int slot(byte[] bytes, int from, int length) {
    int end = from + length;
    int open = -1;
    for (int i = from; i < end; i++) {
      if (bytes[i] == '{') {
        open = i;
        break;
      }
    }
    if (open >= 0) {
      for (int i = open + 1; i < end; i++) {
        if (bytes[i] == '}') {
          if (i > open + 1) {
            return crc16(bytes, open + 1, i) & (SLOTS - 1);
          }
          break;
        }
      }
    }
    return crc16(bytes, from, end) & (SLOTS - 1);
  }

  /** CRC16 XMODEM of {@code bytes[from, to)}. */
  public static int crc16(byte[] bytes, int from, int to) {
    int crc = 0;
    for (int i = from; i < to; i++) {
      crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ bytes[i]) & 0xff]) & 0xffff;
    }
    return crc;
  }

  private static int crc16(Buffer buf, int from, int to) {
    int crc = 0;
    for (int i = from; i < to; i++) {
      crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ buf.getByte(i)) & 0xff]) & 0xffff;
    }
    return crc;
  }
}
