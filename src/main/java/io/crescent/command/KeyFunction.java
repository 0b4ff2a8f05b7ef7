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
      default -> null;
    };
  }
}
