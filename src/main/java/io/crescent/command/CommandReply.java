package io.crescent.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Renders entries of the RESP2 reply of Redis's COMMAND into the line format {@link CommandLine}
 * reads, so that a live reply and the built-in table go through the same parser. The reply is a
 * tree of {@link List}s whose leaves are strings ({@code byte[]} or {@link String}) and integers
 * ({@link Number}).
 *
 * <p>An entry of Redis 7.0 or later has ten fields (name, arity, flags, first, last, step, ACL
 * categories, tips, key specs, subcommands); older servers send only the first six or seven,
 * which render as a line without key specs.
 */
final class CommandReply {

  /** Words that must survive the line format's separators (space, comma, colon) intact. */
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_|@.-]+");

  private static final int KEY_SPECS = 8;
  private static final int SUBCOMMANDS = 9;

  private CommandReply() {
  }

  /** The lower-case name of a top-level entry. */
  static String name(Object entry) {
    return text(((List<?>) entry).get(0)).toLowerCase();
  }

  /** True when the entry comes from Redis 7.0 or later, which describes keys with key specs. */
  static boolean hasKeySpecs(Object entry) {
    return ((List<?>) entry).size() > KEY_SPECS;
  }

  /**
   * The line of a top-level entry followed by the lines of its subcommands, depth first.
   *
   * @throws IllegalArgumentException when the entry cannot be written in the line format
   */
  static List<String> lines(Object entry) {
    List<String> lines = new ArrayList<>();
    addLines((List<?>) entry, lines);
    return lines;
  }

  private static void addLines(List<?> entry, List<String> into) {
    try {
      into.add(line(entry));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot read COMMAND entry " + entry.get(0) + ": " + e.getMessage(), e);
    }
    if (entry.size() > SUBCOMMANDS) {
      for (Object sub : (List<?>) entry.get(SUBCOMMANDS)) {
        addLines((List<?>) sub, into);
      }
    }
  }

  private static String line(List<?> entry) {
    StringBuilder line = new StringBuilder(word(text(entry.get(0)).toLowerCase()))
        .append(' ').append(number(entry.get(1)))
        .append(' ').append(words((List<?>) entry.get(2)))
        .append(' ').append(number(entry.get(3)))
        .append(',').append(number(entry.get(4)))
        .append(',').append(number(entry.get(5)));
    if (entry.size() > KEY_SPECS) {
      for (Object spec : (List<?>) entry.get(KEY_SPECS)) {
        line.append(' ').append(keySpec(map(spec)));
      }
    }
    return line.toString();
  }

  private static String keySpec(Map<String, Object> spec) {
    Map<String, Object> begin = map(spec.get("begin_search"));
    Map<String, Object> find = map(spec.get("find_keys"));
    return words((List<?>) spec.get("flags")) + ':' + beginSearch(begin) + ':' + findKeys(find);
  }

  private static String beginSearch(Map<String, Object> begin) {
    Map<String, Object> spec = map(begin.get("spec"));
    return switch (text(begin.get("type"))) {
      case "index" -> "index=" + number(spec.get("index"));
      case "keyword" -> "keyword=" + word(text(spec.get("keyword"))) + ','
          + number(spec.get("startfrom"));
      case "unknown" -> "unknown";
      default -> throw new IllegalArgumentException("begin_search type " + text(begin.get("type")));
    };
  }

  private static String findKeys(Map<String, Object> find) {
    Map<String, Object> spec = map(find.get("spec"));
    return switch (text(find.get("type"))) {
      case "range" -> "range=" + number(spec.get("lastkey")) + ',' + number(spec.get("keystep"))
          + ',' + number(spec.get("limit"));
      case "keynum" -> "keynum=" + number(spec.get("keynumidx")) + ','
          + number(spec.get("firstkey")) + ',' + number(spec.get("keystep"));
      case "unknown" -> "unknown";
      default -> throw new IllegalArgumentException("find_keys type " + text(find.get("type")));
    };
  }

  /** A RESP2 map arrives as a flat array of alternating keys and values. */
  private static Map<String, Object> map(Object flat) {
    List<?> list = (List<?>) flat;
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < list.size(); i += 2) {
      map.put(text(list.get(i)), list.get(i + 1));
    }
    return map;
  }

  private static String words(List<?> items) {
    if (items.isEmpty()) {
      return "-";
    }
    List<String> words = new ArrayList<>();
    for (Object item : items) {
      words.add(word(text(item)));
    }
    return String.join(",", words);
  }

  private static String word(String word) {
    if (!WORD.matcher(word).matches()) {
      throw new IllegalArgumentException("cannot be written in the table format: '" + word + "'");
    }
    return word;
  }

  private static long number(Object value) {
    return ((Number) value).longValue();
  }

  private static String text(Object value) {
    return value instanceof byte[] bytes
        ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
  }
}
