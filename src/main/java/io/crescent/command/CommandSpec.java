package io.crescent.command;

import io.crescent.resp.Command;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What Redis 7.0 declares about one command or subcommand in its command table: arity, flags and
 * key specs. Immutable and shared by every session.
 */
public final class CommandSpec {

  private final String name;
  private final int arity;
  private final Set<String> flags;
  private final KeySpec[] keySpecs;
  /** The pre-7 (first, last, step) key triple, used only for commands without key specs. */
  private final int legacyFirst;
  private final int legacyLast;
  private final int legacyStep;
  /** Subcommands by their own lower-case name ("encoding" for "object|encoding"). */
  private final Map<String, CommandSpec> subcommands;
  private final NameIndex<CommandSpec> subcommandIndex;
  /** Redis's own key-finding function for this command, used instead of the specs; or null. */
  private final KeyFunction keyFunction;
  private final boolean write;
  private final boolean blocking;
  private final boolean skipsSlowlog;
  private final boolean keysIncomplete;

  CommandSpec(String name, int arity, Set<String> flags, List<KeySpec> keySpecs,
      int legacyFirst, int legacyLast, int legacyStep, Map<String, CommandSpec> subcommands) {
    this.name = name;
    this.arity = arity;
    this.flags = Set.copyOf(flags);
    this.keySpecs = keySpecs.toArray(new KeySpec[0]);
    this.legacyFirst = legacyFirst;
    this.legacyLast = legacyLast;
    this.legacyStep = legacyStep;
    this.subcommands = Map.copyOf(subcommands);
    this.subcommandIndex = new NameIndex<>(this.subcommands);
    this.keyFunction = KeyFunction.forCommand(name);
    this.write = this.flags.contains("write");
    this.blocking = this.flags.contains("blocking");
    this.skipsSlowlog = this.flags.contains("skip_slowlog");
    // Without key specs (a pre-7.0 server), a movablekeys command has no usable key positions.
    this.keysIncomplete = keyFunction == null
        && (keySpecs.stream().anyMatch(KeySpec::incomplete)
            || keySpecs.isEmpty() && this.flags.contains("movablekeys"));
  }

  /** Redis's full name in lower case: {@code get}, {@code object|encoding}. */
  public String name() {
    return name;
  }

  /** Redis leaves it out of the slow log (EXEC: its commands are timed one by one). */
  public boolean skipsSlowlog() {
    return skipsSlowlog;
  }

  public int arity() {
    return arity;
  }

  /** Redis's rule: a positive arity is the exact argument count, a negative one the minimum. */
  public boolean arityOk(int argc) {
    return arity > 0 ? argc == arity : argc >= -arity;
  }

  /** A command flag exactly as COMMAND prints it: {@code write}, {@code no_multi}, ... */
  public boolean hasFlag(String flag) {
    return flags.contains(flag);
  }

  public boolean isWrite() {
    return write;
  }

  public boolean isBlocking() {
    return blocking;
  }

  public boolean hasSubcommands() {
    return !subcommands.isEmpty();
  }

  /**
   * True when some key spec cannot describe every key (MIGRATE's KEYS) and Crescent has no
   * equivalent of the command-specific function Redis then uses, or when a pre-7.0 server gave
   * no key specs for a command with movable keys: {@link #forEachKey} may miss keys or report
   * arguments that Redis would not treat as keys. SORT's keys are found as Redis finds them.
   */
  public boolean keysIncomplete() {
    return keysIncomplete;
  }

  /** The subcommand named by argument {@code arg} of {@code cmd}, or null. */
  CommandSpec subcommand(Command cmd, int arg) {
    return subcommandIndex.get(cmd, arg);
  }

  /**
   * Visits the argument index of every key of {@code cmd}, spec after spec, as Redis 7.0's key
   * specs find them, or, for SORT and SORT_RO, as Redis's own function for them does. Sharded
   * pub/sub channels (specs flagged {@code not_key}) are not keys.
   */
  public void forEachKey(Command cmd, KeyVisitor visitor) {
    if (keyFunction != null) {
      keyFunction.visit(cmd, visitor);
      return;
    }
    if (keySpecs.length == 0) {
      forEachLegacyKey(cmd, visitor);
      return;
    }
    for (KeySpec spec : keySpecs) {
      if (!spec.notKey()) {
        spec.visit(cmd, visitor);
      }
    }
  }

  /** Visits the shard channels of SPUBLISH, SSUBSCRIBE and SUNSUBSCRIBE, which pick a slot too. */
  public void forEachShardChannel(Command cmd, KeyVisitor visitor) {
    for (KeySpec spec : keySpecs) {
      if (spec.notKey()) {
        spec.visit(cmd, visitor);
      }
    }
  }

  private void forEachLegacyKey(Command cmd, KeyVisitor visitor) {
    if (legacyFirst == 0) {
      return;
    }
    int argc = cmd.argc();
    int last = legacyLast >= 0 ? legacyLast : argc + legacyLast;
    for (int i = legacyFirst; i <= last && i < argc; i += legacyStep) {
      visitor.key(i);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
