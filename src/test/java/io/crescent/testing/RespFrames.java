package io.crescent.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits recorded RESP traffic (ISO-8859-1 text, as {@link RecordingRelay} keeps it) into
 * commands or top-level replies, for assertions on a whole conversation. An incomplete frame at
 * the end is ignored.
 */
public final class RespFrames {

  private RespFrames() {
  }

  /** The commands a client sent, each as its arguments. Only RESP arrays of bulk strings. */
  public static List<List<String>> commands(String sent) {
    List<List<String>> commands = new ArrayList<>();
    int[] pos = {0};
    while (pos[0] < sent.length()) {
      String header = line(sent, pos);
      if (header == null || header.charAt(0) != '*') {
        break;
      }
      int argc = Integer.parseInt(header.substring(1));
      List<String> args = new ArrayList<>(argc);
      for (int i = 0; i < argc; i++) {
        String len = line(sent, pos);
        if (len == null) {
          return commands;
        }
        int n = Integer.parseInt(len.substring(1));
        if (pos[0] + n + 2 > sent.length()) {
          return commands;
        }
        args.add(sent.substring(pos[0], pos[0] + n));
        pos[0] += n + 2;
      }
      commands.add(args);
    }
    return commands;
  }

  /**
   * The first line of each top-level reply: {@code +OK}, {@code -ERR ...}, {@code :1},
   * {@code $3}, {@code *3}; the contents of bulk strings and aggregates are skipped.
   */
  public static List<String> replyHeads(String received) {
    List<String> heads = new ArrayList<>();
    int[] pos = {0};
    while (pos[0] < received.length()) {
      int start = pos[0];
      String head = line(received, pos);
      if (head == null) {
        break;
      }
      pos[0] = start;
      if (!skipValue(received, pos)) {
        break;
      }
      heads.add(head);
    }
    return heads;
  }

  private static boolean skipValue(String text, int[] pos) {
    String line = line(text, pos);
    if (line == null || line.isEmpty()) {
      return false;
    }
    char type = line.charAt(0);
    switch (type) {
      case '$', '=', '!' -> {
        int n = Integer.parseInt(line.substring(1));
        if (n < 0) {
          return true;
        }
        if (pos[0] + n + 2 > text.length()) {
          return false;
        }
        pos[0] += n + 2;
        return true;
      }
      case '*', '~', '>', '%', '|' -> {
        int n = Integer.parseInt(line.substring(1));
        int items = type == '%' || type == '|' ? 2 * n : n;
        for (int i = 0; i < items; i++) {
          if (!skipValue(text, pos)) {
            return false;
          }
        }
        return true;
      }
      default -> {
        return true;
      }
    }
  }

  private static String line(String text, int[] pos) {
    int end = text.indexOf("\r\n", pos[0]);
    if (end < 0) {
      return null;
    }
    String line = text.substring(pos[0], end);
    pos[0] = end + 2;
    return line;
  }
}
