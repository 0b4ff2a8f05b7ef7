package io.crescent.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Renders the reply of Redis's COMMAND (RESP2: arrays of byte[], Long and nested arrays, as
 * Jedis returns them) into the line format {@link CommandLine} reads.
 */
final class CommandTableGenerator {

  /** Words that must survive the line format's separators (space, comma, colon) intact. */
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_|@.-]+");

  private CommandTableGenerator() {
  }

  static String render(String redisVersion, List<?> commandReply) {
    List<List<?>> entries = new ArrayList<>();
    for (Object command : commandReply) {
      flatten((List<?>) command, entries);
    }
    entries.sort(Comparator.comparing(entry -> text(entry.get(0)).toLowerCase()));
    StringBuilder out = new StringBuilder()
        .append("# Redis ").append(redisVersion)
        .append(" command table, rendered by CommandTableGenerator from the reply of COMMAND.\n")
        .append("# Regenerate: mvn test -Dtest=CommandTableResourceTest")
        .append(" -Dcrescent.regenerateCommands=true\n")
        .append("# name arity flags first,last,step keyspec...\n")
        .append("# keyspec = flags:begin_search:find_keys, begin_search = index=POS |")
        .append(" keyword=WORD,STARTFROM | unknown,\n")
        .append("#   find_keys = range=LASTKEY,KEYSTEP,LIMIT | keynum=KEYNUMIDX,FIRSTKEY,KEYSTEP |")
        .append(" unknown\n");
    for (List<?> entry : entries) {
      out.append(line(entry)).append('\n');
    }
    return out.toString();
  }

  private static void flatten(List<?> command, List<List<?>> into) {
    into.add(command);
    for (Object sub : (List<?>) command.get(9)) {
      flatten((List<?>) sub, into);
    }
  }

  private static String line(List<?> entry) {
    StringBuilder line = new StringBuilder(word(text(entry.get(0)).toLowerCase()))
        .append(' ').append(number(entry.get(1)))
        .append(' ').append(words((List<?>) entry.get(2)))
        .append(' ').append(number(entry.get(3)))
        .append(',').append(number(entry.get(4)))
        .append(',').append(number(entry.get(5)));
    for (Object spec : (List<?>) entry.get(8)) {
      line.append(' ').append(keySpec(map(spec)));
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
      default -> throw new IllegalArgumentException("begin_search type " + begin.get("type"));
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
      default -> throw new IllegalArgumentException("find_keys type " + find.get("type"));
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
    return (Long) value;
  }

  private static String text(Object value) {
    return new String((byte[]) value, StandardCharsets.UTF_8);
  }
}
