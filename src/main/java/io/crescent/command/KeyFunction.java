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
   * MIGRATE host port key db timeout [COPY] [REPLACE] [AUTH...] [KEYS k...]: the key, or with an
   * empty key argument, the keys after KEYS.
   */
  private static void migrate(Command cmd, KeyVisitor visitor) {
    if (cmd.argc() > 6 && cmd.argLength(3) == 0) {
      for (int i = 6; i < cmd.argc(); i++) {
        if (cmd.argIs(i, "keys")) {
          for (int k = i + 1; k < cmd.argc(); k++) {
            visitor.key(k);
          }
          return;
        }
      }
    }
    if (cmd.argc() > 3) {
      visitor.key(3);
    }
  }
}
