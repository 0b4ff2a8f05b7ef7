package io.crescent.command;

import io.crescent.command.KeySpec.BeginSearch;
import io.crescent.command.KeySpec.FindKeys;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one line of the command table file:
 * {@code name arity flags first,last,step [keyspec ...]}, where flags is a comma-separated list
 * or "-", and each key spec is {@code flags:begin_search:find_keys} with begin_search one of
 * {@code index=POS}, {@code keyword=WORD,STARTFROM}, {@code unknown} and find_keys one of
 * {@code range=LASTKEY,KEYSTEP,LIMIT}, {@code keynum=KEYNUMIDX,FIRSTKEY,KEYSTEP}, {@code unknown}.
 */
final class CommandLine {

  private CommandLine() {
  }

  static CommandSpec parse(List<String> fields, Map<String, CommandSpec> subcommands) {
    try {
      if (fields.size() < 4) {
        throw new IllegalArgumentException("expected at least 4 fields");
      }
      int[] legacy = ints(fields.get(3), 3);
      List<KeySpec> keySpecs = new ArrayList<>();
      for (String field : fields.subList(4, fields.size())) {
        keySpecs.add(keySpec(field));
      }
      return new CommandSpec(fields.get(0), Integer.parseInt(fields.get(1)), flags(fields.get(2)),
          keySpecs, legacy[0], legacy[1], legacy[2], subcommands);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("bad command line: " + String.join(" ", fields), e);
    }
  }

  private static KeySpec keySpec(String field) {
    String[] parts = field.split(":", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("key spec needs flags:begin_search:find_keys: " + field);
    }
    BeginSearch begin;
    int position = 0;
    String keyword = null;
    if (parts[1].equals("unknown")) {
      begin = BeginSearch.UNKNOWN;
    } else if (parts[1].startsWith("index=")) {
      begin = BeginSearch.INDEX;
      position = Integer.parseInt(parts[1].substring("index=".length()));
    } else if (parts[1].startsWith("keyword=")) {
      begin = BeginSearch.KEYWORD;
      String[] kw = parts[1].substring("keyword=".length()).split(",", -1);
      keyword = kw[0];
      position = Integer.parseInt(kw[1]);
    } else {
      throw new IllegalArgumentException("bad begin_search: " + parts[1]);
    }
    if (parts[2].equals("unknown")) {
      return new KeySpec(flags(parts[0]), begin, position, keyword, FindKeys.UNKNOWN, 0, 0, 0);
    }
    FindKeys find;
    String args;
    if (parts[2].startsWith("range=")) {
      find = FindKeys.RANGE;
      args = parts[2].substring("range=".length());
    } else if (parts[2].startsWith("keynum=")) {
      find = FindKeys.KEYNUM;
      args = parts[2].substring("keynum=".length());
    } else {
      throw new IllegalArgumentException("bad find_keys: " + parts[2]);
    }
    int[] n = ints(args, 3);
    return new KeySpec(flags(parts[0]), begin, position, keyword, find, n[0], n[1], n[2]);
  }

  private static Set<String> flags(String field) {
    return field.equals("-") ? Set.of() : Set.of(field.split(","));
  }

  private static int[] ints(String field, int count) {
    String[] parts = field.split(",", -1);
    if (parts.length != count) {
      throw new IllegalArgumentException("expected " + count + " integers: " + field);
    }
    int[] values = new int[count];
    for (int i = 0; i < count; i++) {
      values[i] = Integer.parseInt(parts[i]);
    }
    return values;
  }
}
