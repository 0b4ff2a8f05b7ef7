package io.crescent.e2e;

import io.crescent.testing.Reference;
import io.crescent.testing.ReferenceExtension;
import io.crescent.testing.RespConnection;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Keys and values of arbitrary bytes (every byte value, CRLF inside, invalid UTF-8, NUL, empty)
 * through the proxy: each reply is compared byte for byte with a single-node Redis Cluster given
 * the same commands, values are checked in the proxy's own Redis, and keys, hash tags of binary
 * bytes included, map to the slot that CRC16 (computed here, independently of the proxy's code)
 * and the cluster node give.
 */
class BinarySafetyTest {

  @RegisterExtension
  static final ReferenceExtension ref = ReferenceExtension.emptiedBeforeEach();

  private static byte[] b(String iso) {
    return iso.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** Awkward byte strings, each usable as a key, a field or a value. */
  static List<byte[]> awkward() {
    byte[] every = new byte[256];
    for (int i = 0; i < 256; i++) {
      every[i] = (byte) i;
    }
    byte[] everyDown = new byte[256];
    for (int i = 0; i < 256; i++) {
      everyDown[i] = (byte) (255 - i);
    }
    byte[] random = new byte[100_000];
    new Random(1).nextBytes(random);
    return List.of(
        every, everyDown, random,
        new byte[0],
        b("\r\n"), b("a\r\nb\r\n"), b("$3\r\nfoo\r\n"), b("*1\r\n$4\r\nPING\r\n"), b("\r"), b("\n\n"),
        bytes(0), bytes(0, 0, 0), bytes('a', 0, 'b'),
        bytes(0xC3, 0x28), bytes(0xFF, 0xFE, 0xFD), bytes(0xED, 0xA0, 0x80), bytes(0xC0, 0xAF),
        bytes(0xF4, 0x90, 0x80, 0x80), bytes(0x80),
        b("\"quoted\" 'single' \\x41"), b(" leading and trailing "),
        b("{"), b("}"), b("{}"), b("{\u0000}"), b("{\u00ff\u00fe}tail"), b("a{}{b}"), b("{{a}}"),
        concat(b("{"), every, b("}")));
  }

  private static String show(byte[] bytes) {
    return bytes.length > 40 ? bytes.length + " bytes " + HexFormat.of().formatHex(bytes, 0, 40) + "..."
        : HexFormat.of().formatHex(bytes);
  }

  /** Sends one command to the proxy and to the cluster node; the replies must be identical. */
  private static byte[] same(RespConnection proxy, RespConnection node, byte[]... args) {
    byte[] viaProxy = proxy.callRaw(args);
    byte[] direct = node.callRaw(args);
    assertEquals(new String(direct, StandardCharsets.ISO_8859_1), new String(viaProxy, StandardCharsets.ISO_8859_1),
        () -> "reply to " + new String(args[0], StandardCharsets.US_ASCII) + " " + show(args.length > 1 ? args[1] : new byte[0]));
    return viaProxy;
  }

  private static byte[] bulk(byte[] value) {
    return concat(b("$" + value.length + "\r\n"), value, b("\r\n"));
  }

  @Test
  void setAndGetOfEveryAwkwardKeyAndValue() {
    List<byte[]> all = awkward();
    try (RespConnection proxy = ref.proxy().connect(); RespConnection node = new RespConnection(ref.clusterNode().port());
         RespConnection backend = new RespConnection(ref.backend().port())) {
      for (byte[] key : all) {
        for (byte[] value : List.of(key, all.get(0), new byte[0], b("\r\n"))) {
          assertArrayEquals(b("+OK\r\n"), same(proxy, node, b("SET"), key, value));
          assertArrayEquals(bulk(value), same(proxy, node, b("GET"), key), () -> "GET " + show(key));
          assertArrayEquals(bulk(value), backend.callRaw(b("GET"), key), () -> "stored under " + show(key));
        }
      }
      same(proxy, node, b("DBSIZE"));
    }
  }

  @Test
  void hashesListsAndMultiKeyCommands() {
    List<byte[]> all = awkward();
    try (RespConnection proxy = ref.proxy().connect(); RespConnection node = new RespConnection(ref.clusterNode().port())) {
      byte[] hash = b("{bin}hash");
      byte[] list = b("{bin}list");
      List<byte[]> mset = new ArrayList<>(List.of(b("MSET")));
      List<byte[]> mget = new ArrayList<>(List.of(b("MGET")));
      for (int i = 0; i < all.size(); i++) {
        byte[] field = all.get(i);
        byte[] value = all.get((i + 1) % all.size());
        same(proxy, node, b("HSET"), hash, field, value);
        same(proxy, node, b("LPUSH"), list, value);
        byte[] key = concat(b("{bin}"), field);
        mset.add(key);
        mset.add(value);
        mget.add(key);
      }
      mget.add(b("{bin}missing"));
      // A hash this large is a hash table, whose order depends on each Redis's random seed: the
      // proxy's reply is compared with its own Redis's, and its pairs with what was written.
      try (RespConnection backend = new RespConnection(ref.backend().port())) {
        byte[] viaProxy = proxy.callRaw(b("HGETALL"), hash);
        assertArrayEquals(backend.callRaw(b("HGETALL"), hash), viaProxy);
        List<byte[]> items = bulks(viaProxy);
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < items.size(); i += 2) {
          pairs.add(HexFormat.of().formatHex(items.get(i)) + "=" + HexFormat.of().formatHex(items.get(i + 1)));
        }
        List<String> written = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
          written.add(HexFormat.of().formatHex(all.get(i)) + "=" + HexFormat.of().formatHex(all.get((i + 1) % all.size())));
        }
        pairs.sort(null);
        written.sort(null);
        assertEquals(written, pairs);
        assertArrayEquals(backend.callRaw(b("HKEYS"), hash), proxy.callRaw(b("HKEYS"), hash));
      }
      same(proxy, node, b("LRANGE"), list, b("0"), b("-1"));
      assertArrayEquals(b("+OK\r\n"), same(proxy, node, mset.toArray(byte[][]::new)));
      byte[] values = same(proxy, node, mget.toArray(byte[][]::new));
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      expected.writeBytes(b("*" + (all.size() + 1) + "\r\n"));
      for (int i = 0; i < all.size(); i++) {
        expected.writeBytes(bulk(all.get((i + 1) % all.size())));
      }
      expected.writeBytes(b("$-1\r\n"));
      assertArrayEquals(expected.toByteArray(), values);
      // Binary keys of two slots in one command: CROSSSLOT from both.
      same(proxy, node, b("MGET"), bytes(0xff, 0), bytes(0, 0xff));
    }
  }

  /** Binary keys, many with hash tags: the slot is CRC16 of the tag, as the cluster node says. */
  @Test
  void binaryKeysAndHashTagsHashToTheClusterNodesSlot() {
    try (RespConnection proxy = ref.proxy().connect(); RespConnection node = new RespConnection(ref.clusterNode().port())) {
      for (byte[] key : keysForSlots()) {
        long expected = slot(key);
        assertEquals(expected, integer(proxy.callRaw(b("CLUSTER"), b("KEYSLOT"), key)), () -> "proxy's slot of " + show(key));
        assertEquals(expected, integer(node.callRaw(b("CLUSTER"), b("KEYSLOT"), key)), () -> "node's slot of " + show(key));
      }
    }
  }

  /** With half the slots on a peer, binary keys are served or redirected by their slot. */
  @Test
  void binaryKeysRouteByTheirSlot() {
    try (Reference half = Reference.start(new JsonObject(), "0-8191");
         RespConnection proxy = half.proxy().connect(); RespConnection backend = new RespConnection(half.backend().port())) {
      int local = 0;
      int moved = 0;
      for (byte[] key : keysForSlots()) {
        int slot = slot(key);
        byte[] reply = proxy.callRaw(b("SET"), key, key);
        if (slot <= 8191) {
          local++;
          assertArrayEquals(b("+OK\r\n"), reply, () -> "SET " + show(key));
          assertArrayEquals(bulk(key), backend.callRaw(b("GET"), key), () -> "stored under " + show(key));
        } else {
          moved++;
          assertEquals("-MOVED " + slot + " " + Reference.PEER + "\r\n", new String(reply, StandardCharsets.ISO_8859_1),
              () -> "SET " + show(key));
        }
      }
      assertEquals(local, integer(backend.callRaw(b("DBSIZE"))), "nothing else reached the local Redis");
      assertEquals(true, local > 50 && moved > 50, local + " local, " + moved + " moved");
    }
  }

  /** The awkward strings, and random binary keys with and without hash tags of random bytes. */
  private static List<byte[]> keysForSlots() {
    List<byte[]> keys = new ArrayList<>(awkward());
    Random random = new Random(2);
    for (int i = 0; i < 300; i++) {
      byte[] tag = new byte[random.nextInt(6)];
      random.nextBytes(tag);
      byte[] rest = new byte[1 + random.nextInt(12)];
      random.nextBytes(rest);
      switch (i % 4) {
        case 0 -> keys.add(rest);
        case 1 -> keys.add(concat(b("{"), tag, b("}"), rest));
        case 2 -> keys.add(concat(rest, b("{"), tag, b("}")));
        default -> keys.add(concat(tag, b("{"), rest));
      }
    }
    return keys;
  }

  /** The items of an array reply of bulk strings. */
  private static List<byte[]> bulks(byte[] reply) {
    String text = new String(reply, StandardCharsets.ISO_8859_1);
    int lineEnd = text.indexOf("\r\n");
    int count = Integer.parseInt(text.substring(1, lineEnd));
    int pos = lineEnd + 2;
    List<byte[]> items = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      lineEnd = text.indexOf("\r\n", pos);
      int len = Integer.parseInt(text.substring(pos + 1, lineEnd));
      pos = lineEnd + 2;
      items.add(java.util.Arrays.copyOfRange(reply, pos, pos + len));
      pos += len + 2;
    }
    assertEquals(reply.length, pos, "nothing after the array");
    return items;
  }

  private static long integer(byte[] reply) {
    String text = new String(reply, StandardCharsets.ISO_8859_1);
    if (!text.startsWith(":")) {
      throw new AssertionError("not an integer reply: " + text);
    }
    return Long.parseLong(text.substring(1, text.length() - 2));
  }

  /** Redis Cluster's key slot, written from the specification: CRC16-XMODEM of the hash tag or key. */
  static int slot(byte[] key) {
    int from = 0;
    int to = key.length;
    int open = indexOf(key, (byte) '{', 0);
    if (open >= 0) {
      int close = indexOf(key, (byte) '}', open + 1);
      if (close > open + 1) {
        from = open + 1;
        to = close;
      }
    }
    int crc = 0;
    for (int i = from; i < to; i++) {
      crc ^= (key[i] & 0xff) << 8;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
      }
    }
    return crc % 16384;
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void slotFunctionMatchesTheReferenceVector() {
    assertEquals(12739, slot(b("123456789")));
    assertEquals(slot(b("user1")), slot(b("{user1}:name")));
  }
}
