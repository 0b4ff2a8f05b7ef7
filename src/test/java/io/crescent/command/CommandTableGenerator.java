package io.crescent.command;

import java.util.Comparator;
import java.util.List;

/**
 * Renders the reply of Redis's COMMAND (RESP2: arrays of byte[], Long and nested arrays, as
 * Jedis returns them) into the file the built-in table is read from, with {@link CommandReply}.
 */
final class CommandTableGenerator {

  private CommandTableGenerator() {
  }

  static String render(String redisVersion, List<?> commandReply) {
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
    commandReply.stream()
        .flatMap(entry -> CommandReply.lines(entry).stream())
        .sorted(Comparator.comparing((String line) -> line.substring(0, line.indexOf(' '))))
        .forEach(line -> out.append(line).append('\n'));
    return out.toString();
  }
}
