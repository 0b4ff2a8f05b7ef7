package io.crescent.route;

import io.crescent.resp.Resp;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * CONFIG GET relays the local Redis's settings, but the password the proxy uses for its Redis
 * is the proxy's secret: its value is blanked.
 */
final class ConfigGetFilter {

  private static final Set<String> SECRETS = Set.of("requirepass", "masterauth");

  private ConfigGetFilter() {
  }

  /**
   * Rewrites a RESP2 flat array or a RESP3 map of bulk strings (name, value, ...); anything else
   * passes.
   */
  static Buffer filter(Buffer reply) {
    List<byte[]> items = flatBulks(reply);
    if (items == null) {
      return reply;
    }
    int protocol = reply.getByte(0) == '%' ? 3 : 2;
    Buffer out = Resp.appendMapHeader(Buffer.buffer(reply.length()), items.size() / 2, protocol);
    for (int i = 0; i < items.size(); i++) {
      boolean secretValue = i % 2 == 1
          && SECRETS.contains(new String(items.get(i - 1), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT));
      Resp.appendBulk(out, secretValue ? new byte[0] : items.get(i));
    }
    return out;
  }

  private static List<byte[]> flatBulks(Buffer reply) {
    if (reply.length() == 0 || (reply.getByte(0) != '*' && reply.getByte(0) != '%')) {
      return null;
    }
    int[] pos = {0};
    long count = readLength(reply, pos) * (reply.getByte(0) == '%' ? 2 : 1);
    List<byte[]> items = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      if (reply.getByte(pos[0]) != '$') {
        return null;
      }
      int len = (int) readLength(reply, pos);
      items.add(reply.getBytes(pos[0], pos[0] + len));
      pos[0] += len + 2;
    }
    return items;
  }

  /** Reads a type byte and a length line at pos[0], leaving pos[0] after the CRLF. */
  private static long readLength(Buffer buf, int[] pos) {
    int i = pos[0] + 1;
    long value = 0;
    while (buf.getByte(i) != '\r') {
      value = value * 10 + (buf.getByte(i) - '0');
      i++;
    }
    pos[0] = i + 2;
    return value;
  }
}
