package io.crescent.command;

import io.crescent.resp.Command;

/**
 * Redis 7.0's {@code sortGetKeys} and {@code sortROGetKeys} (db.c). The BY and GET patterns are
 * not keys to Redis either: in cluster mode it refuses patterns that may leave the key's slot.
 */
final class SortKeys {

  private SortKeys() {
  }

  /**
   * The sorted key, then the destination of the last STORE. Options are skipped with their
   * arguments (LIMIT two, BY and GET one, anything else none), exactly as Redis does it: the
   * word after STORE is not skipped, so {@code STORE limit} still skips two more arguments.
   */
  static void sort(Command cmd, KeyVisitor visitor) {
    int argc = cmd.argc();
    if (argc < 2) {
      return;
    }
    visitor.key(1);
    int store = 0;
    for (int i = 2; i < argc; i++) {
      if (cmd.argIs(i, "limit")) {
        i += 2;
      } else if (cmd.argIs(i, "store") && i + 1 < argc) {
        store = i + 1;
      } else if (cmd.argIs(i, "get") || cmd.argIs(i, "by")) {
        i += 1;
      }
    }
    if (store > 0) {
      visitor.key(store);
    }
  }

  /** SORT_RO has no STORE: its only key is the sorted one. */
  static void sortReadOnly(Command cmd, KeyVisitor visitor) {
    if (cmd.argc() >= 2) {
      visitor.key(1);
    }
  }
}
