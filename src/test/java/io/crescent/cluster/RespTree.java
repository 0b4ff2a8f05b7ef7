package io.crescent.cluster;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes one RESP2 reply into a tree (Long, {@link Bulk}, {@link Simple}, List) so that replies
 * of this proxy and of a real Redis can be compared by shape.
 */
final class RespTree {

  record Bulk(String text) {
  }

  record Simple(String text) {
  }

  private RespTree() {
  }

  static Object decode(byte[] bytes) {
    ByteArrayInputStream in = new ByteArrayInputStream(bytes);
    Object tree = read(in);
    if (in.available() != 0) {
      throw new IllegalStateException(in.available() + " bytes after the reply");
    }
    return tree;
  }

  static Object read(InputStream in) {
    try {
      String line = line(in);
      String rest = line.substring(1);
      return switch (line.charAt(0)) {
        case '+', '-' -> new Simple(line);
        case ':' -> Long.parseLong(rest);
        case '$' -> {
          int length = Integer.parseInt(rest);
          byte[] data = in.readNBytes(length + 2);
          yield new Bulk(new String(data, 0, length, StandardCharsets.UTF_8));
        }
        case '*' -> {
          int count = Integer.parseInt(rest);
          List<Object> items = new ArrayList<>(count);
          for (int i = 0; i < count; i++) {
            items.add(read(in));
          }
          yield items;
        }
        default -> throw new IllegalStateException("not RESP2: " + line);
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Types and element counts only: e.g. {@code [[int,int,[bulk,int,bulk,[]]]]}. */
  static String shape(Object tree) {
    if (tree instanceof Long) {
      return "int";
    }
    if (tree instanceof Bulk) {
      return "bulk";
    }
    if (tree instanceof Simple) {
      return "simple";
    }
    StringBuilder sb = new StringBuilder("[");
    for (Object item : (List<?>) tree) {
      sb.append(sb.length() > 1 ? "," : "").append(shape(item));
    }
    return sb.append(']').toString();
  }

  /** The keys of a map sent in RESP2 as a flat array of key, value, key, value... */
  static List<String> keys(Object map) {
    List<?> items = (List<?>) map;
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < items.size(); i += 2) {
      keys.add(((Bulk) items.get(i)).text());
    }
    return keys;
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != '\r') {
      if (c == -1) {
        throw new IOException("connection closed");
      }
      sb.append((char) c);
    }
    in.read();
    return sb.toString();
  }
}
