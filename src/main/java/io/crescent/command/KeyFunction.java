package io.crescent.command;

import io.crescent.resp.Command;

/**
 * A command-specific way of finding keys, for the commands whose key specs cannot describe them
 * all: Redis's {@code getkeys_proc}. Only the functions that matter to routing are implemented.
 */
@FunctionalInterface
interface KeyFunction {

  void visit(Command cmd, KeyVisitor visitor);

  /** The function Redis 7.0 uses for the command named {@code name}, or null when it uses specs. */
  static KeyFunction forCommand(String name) {
    return switch (name) {
      case "sort" -> SortKeys::sort;
      case "sort_ro" -> SortKeys::sortReadOnly;
      case "migrate" -> KeyFunction::migrate;
      default -> null;
    };
  }

  /**
   * MIGRATE host port key db timeout [COPY] [REPLACE] [AUTH pw | AUTH2 user pw] [KEYS k...], as
   * Redis 7.0 finds its keys (COMMAND GETKEYS agrees): the key; with KEYS followed by keys, those
   * keys when the key argument is empty, else none. Passwords are skipped, so one spelled "keys"
   * is not taken for KEYS; a KEYS with nothing after it is not looked for, as Redis's key spec
   * searches from the second-to-last argument.
   */
  private static void migrate(Command cmd, KeyVisitor visitor) {
    for (int i = 6; i < cmd.argc() - 1; i++) {
      if (cmd.argIs(i, "keys")) {
        if (cmd.argLength(3) == 0) {
          for (int k = i + 1; k < cmd.argc(); k++) {
            visitor.key(k);
          }
        }
        return;
      }
      if (cmd.argIs(i, "auth")) {
        i++;
      } else if (cmd.argIs(i, "auth2")) {
        i += 2;
      }
    }
    if (cmd.argc() > 3) {
      visitor.key(3);
    }
  }
}
