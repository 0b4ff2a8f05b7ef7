package io.crescent.route;

import io.crescent.command.CommandSpec;
import io.crescent.resp.Command;
import io.crescent.resp.Numbers;
import io.vertx.core.buffer.Buffer;

/**
 * A cluster node has one database; the Redis behind the proxy has sixteen that no client may
 * reach. Commands that would touch another one get the cluster node's refusal.
 */
final class OneDatabase {

  /** Redis's default number of databases: DB indexes beyond it are Redis's own error to give. */
  private static final int DATABASES = 16;

  private OneDatabase() {
  }

  /** The refusal, or null when the command stays in database 0 (or is Redis's to reject). */
  static Buffer refusal(CommandSpec spec, Command command) {
    return switch (spec.name()) {
      case "move" -> Errors.MOVE_IN_CLUSTER;
      case "swapdb" -> Errors.SWAPDB_IN_CLUSTER;
      case "copy" -> copiesToAnotherDb(command) ? Errors.COPY_IN_CLUSTER : null;
      default -> null;
    };
  }

  /**
   * COPY src dst [DB n] [REPLACE]: Redis checks the options first (syntax, integer, range) and
   * only then refuses another database, so anything malformed is left to Redis.
   */
  private static boolean copiesToAnotherDb(Command command) {
    long db = 0;
    for (int i = 3; i < command.argc(); i++) {
      if (command.argIs(i, "replace")) {
        continue;
      }
      if (!command.argIs(i, "db") || i + 1 == command.argc()) {
        return false;
      }
      db = Numbers.parseLong(command, ++i);
      if (db < 0 || db >= DATABASES) {
        return false;
      }
    }
    return db != 0;
  }
}
