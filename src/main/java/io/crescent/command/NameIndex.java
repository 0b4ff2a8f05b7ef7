package io.crescent.command;

import io.crescent.resp.Command;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Command names looked up straight from a command's bytes, ignoring ASCII case, without making a
 * String: every command goes through here, and a lower-cased copy of its name per lookup was a
 * visible share of the proxy's allocation and hashing. Immutable; open addressing, linear probing.
 */
final class NameIndex<V> {

  private final byte[][] keys;
  private final Object[] values;
  private final int mask;

  /** {@code byName}'s keys must be in lower case. */
  NameIndex(Map<String, V> byName) {
    int capacity = Integer.highestOneBit(Math.max(4, byName.size() * 4) - 1) << 1;
    keys = new byte[capacity][];
    values = new Object[capacity];
    mask = capacity - 1;
    byName.forEach((name, value) -> {
      byte[] key = name.getBytes(StandardCharsets.ISO_8859_1);
      int slot = Command.lowerHash(key, 0, key.length) & mask;
      while (keys[slot] != null) {
        slot = (slot + 1) & mask;
      }
      keys[slot] = key;
      values[slot] = value;
    });
  }

  /** The value named by argument {@code arg} of {@code command}, or null. */
  @SuppressWarnings("unchecked")
  V get(Command command, int arg) {
    for (int slot = command.argLowerHash(arg) & mask; keys[slot] != null; slot = (slot + 1) & mask) {
      if (command.argEqualsLower(arg, keys[slot])) {
        return (V) values[slot];
      }
    }
    return null;
  }
}
