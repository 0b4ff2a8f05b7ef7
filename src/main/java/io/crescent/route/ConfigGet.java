package io.crescent.route;

import io.crescent.config.ConfigStore;
import io.crescent.config.ProxyConfig;
import io.crescent.config.Setting;
import io.crescent.resp.Command;
import io.crescent.resp.Resp;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * CONFIG GET relays the local Redis's settings and adds the proxy's own, under a
 * {@code proxy.} prefix, when a pattern matches them. The password the proxy uses for its Redis
 * is the proxy's secret: Redis's {@code requirepass} and {@code masterauth} values are blanked,
 * and the proxy's passwords are not listed.
 */
final class ConfigGet {

  private static final Set<String> SECRETS = Set.of("requirepass", "masterauth");

  private final ConfigStore settings;

  ConfigGet(ConfigStore settings) {
    this.settings = settings;
  }

  /**
   * Rewrites Redis's reply to {@code command}: a RESP2 flat array or a RESP3 map of bulk
   * strings (name, value, ...). Anything else, an error say, passes unchanged.
   */
  Buffer rewrite(Command command, Buffer reply) {
    List<byte[]> items = flatBulks(reply);
    if (items == null) {
      return reply;
    }
    List<String> ours = new ArrayList<>();
    ProxyConfig config = settings.current();
    for (Setting setting : Setting.values()) {
      String name = "proxy." + setting.key();
      for (int i = 2; i < command.argc() && setting.listed(); i++) {
        if (Glob.matches(command.argString(i), name)) {
          ours.add(name);
          ours.add(setting.value(config));
          break;
        }
      }
    }
    int protocol = reply.getByte(0) == '%' ? 3 : 2;
    Buffer out = Resp.appendMapHeader(Buffer.buffer(reply.length() + 64), (items.size() + ours.size()) / 2,
        protocol);
    for (int i = 0; i < items.size(); i++) {
      boolean secretValue = i % 2 == 1
          && SECRETS.contains(new String(items.get(i - 1), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT));
      Resp.appendBulk(out, secretValue ? new byte[0] : items.get(i));
    }
    ours.forEach(text -> Resp.appendBulk(out, text));
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
