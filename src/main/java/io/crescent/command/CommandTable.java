package io.crescent.command;

import io.crescent.resp.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis 7.0's command table, as read from the COMMAND reply of a real server (see
 * {@code redis-7.0-commands.txt} next to this class for the format), optionally completed by
 * the COMMAND reply of the Redis the proxy runs beside ({@link #mergedWith}). Immutable.
 */
public final class CommandTable {

  private static final Logger log = LoggerFactory.getLogger(CommandTable.class);

  static final String RESOURCE = "redis-7.0-commands.txt";

  /** Top-level commands by lower-case name; subcommands hang off their container. */
  private final Map<String, CommandSpec> commands;
  private final NameIndex<CommandSpec> index;

  private CommandTable(Map<String, CommandSpec> commands) {
    this.commands = Map.copyOf(commands);
    this.index = new NameIndex<>(commands);
  }

  /** The table shipped with Crescent, loaded once on first use. */
  public static CommandTable builtIn() {
    return BuiltIn.TABLE;
  }

  /**
   * The spec of the command (or, for container commands such as OBJECT, the subcommand) that
   * {@code cmd} invokes; the container itself when the subcommand is unknown, so that Redis can
   * answer with its own error; null when the command name is unknown.
   */
  public CommandSpec find(Command cmd) {
    if (cmd.argc() == 0) {
      return null;
    }
    CommandSpec spec = index.get(cmd, 0);
    if (spec == null || cmd.argc() < 2 || !spec.hasSubcommands()) {
      return spec;
    }
    CommandSpec sub = spec.subcommand(cmd, 1);
    return sub != null ? sub : spec;
  }

  /** Top-level commands only, as COMMAND COUNT counts them. */
  public Collection<CommandSpec> commands() {
    return commands.values();
  }

  /**
   * This table with the commands of a live server's COMMAND reply (RESP2, as a tree of lists, see
   * {@link CommandReply}) merged in. Commands only the live server knows (a newer Redis, modules)
   * are added. For commands both know:
   *
   * <ul>
   *   <li>an entry with key specs (Redis 7.0 or later) wins: the server that will execute the
   *       command is the truth for its arity, flags, keys and subcommands;</li>
   *   <li>an entry without them (before 7.0) loses: its legacy first/last/step triple cannot
   *       describe movable keys (EVAL, ZUNIONSTORE, XREAD give 0,0,0 or only part of their keys)
   *       nor subcommands, so this table's 7.0 spec describes the same command better.</li>
   * </ul>
   *
   * <p>An entry that cannot be read is logged and left out; this table's spec, if any, stays.
   * Nothing is removed: a command the live server lacks is still forwarded, and Redis answers it.
   */
  public CommandTable mergedWith(List<?> commandReply) {
    Map<String, CommandSpec> merged = new HashMap<>(commands);
    for (Object entry : commandReply) {
      try {
        String name = CommandReply.name(entry);
        if (CommandReply.hasKeySpecs(entry) || !merged.containsKey(name)) {
          CommandSpec live = parse(String.join("\n", CommandReply.lines(entry))).commands.get(name);
          merged.put(name, live);
        }
      } catch (RuntimeException e) {
        log.warn("Ignoring an entry of the live COMMAND reply: {}", e.getMessage());
      }
    }
    return new CommandTable(merged);
  }

  static CommandTable parse(String text) {
    List<List<String>> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      line = line.strip();
      if (!line.isEmpty() && !line.startsWith("#")) {
        lines.add(List.of(line.split(" +")));
      }
    }
    // Subcommands first: a container's spec is built with its subcommands already in hand.
    Map<String, Map<String, CommandSpec>> subcommands = new HashMap<>();
    for (List<String> fields : lines) {
      String name = fields.get(0);
      int bar = name.indexOf('|');
      if (bar > 0) {
        Map<String, CommandSpec> subs =
            subcommands.computeIfAbsent(name.substring(0, bar), k -> new HashMap<>());
        putOnce(subs, name.substring(bar + 1), CommandLine.parse(fields, Map.of()));
      }
    }
    Map<String, CommandSpec> commands = new HashMap<>();
    for (List<String> fields : lines) {
      String name = fields.get(0);
      if (name.indexOf('|') < 0) {
        putOnce(commands, name,
            CommandLine.parse(fields, subcommands.getOrDefault(name, Map.of())));
      }
    }
    for (String container : subcommands.keySet()) {
      if (!commands.containsKey(container)) {
        throw new IllegalArgumentException("subcommands of unknown command " + container);
      }
    }
    return new CommandTable(commands);
  }

  private static void putOnce(Map<String, CommandSpec> map, String name, CommandSpec spec) {
    if (map.put(name, spec) != null) {
      throw new IllegalArgumentException("command listed twice: " + spec.name());
    }
  }

  private static final class BuiltIn {

    static final CommandTable TABLE = load();

    private static CommandTable load() {
      try (InputStream in = CommandTable.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + RESOURCE);
        }
        return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
