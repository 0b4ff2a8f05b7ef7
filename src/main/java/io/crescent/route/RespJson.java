package io.crescent.route;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;

import java.nio.charset.StandardCharsets;

/**
 * Turns one complete RESP2 reply into what a JSON event-bus message can carry: simple and bulk
 * strings become strings (null for a null bulk), integers longs, arrays JSON arrays. Errors are
 * returned as {@link Error} so that the caller can fail the message with Redis's text.
 */
public final class RespJson {

  /** A Redis error reply: its text, such as "MOVED 15495 127.0.0.1:7000". */
  public record Error(String text) {
  }

  private final Buffer reply;
  private int pos;

  private RespJson(Buffer reply) {
    this.reply = reply;
  }

  public static Object decode(Buffer reply) {
    return new RespJson(reply).value();
  }

  private Object value() {
    byte type = reply.getByte(pos);
    String line = line();
    return switch (type) {
      case '+' -> line;
      case '-' -> new Error(line);
      case ':' -> Long.parseLong(line);
      case '$' -> bulk(Integer.parseInt(line));
      case '*' -> array(Integer.parseInt(line));
      default -> throw new IllegalStateException("not a RESP2 reply: " + (char) type);
    };
  }

  private String line() {
    int start = pos + 1;
    int end = start;
    while (reply.getByte(end) != '\r') {
      end++;
    }
    pos = end + 2;
    return reply.getString(start, end, StandardCharsets.UTF_8.name());
  }

  private String bulk(int length) {
    if (length < 0) {
      return null;
    }
    String text = reply.getString(pos, pos + length, StandardCharsets.UTF_8.name());
    pos += length + 2;
    return text;
  }

  private JsonArray array(int length) {
    if (length < 0) {
      return null;
    }
    JsonArray items = new JsonArray();
    for (int i = 0; i < length; i++) {
      Object item = value();
      items.add(item instanceof Error e ? e.text() : item);
    }
    return items;
  }
}
