package io.crescent.route;

import io.crescent.command.CommandSpec;
import io.crescent.resp.Command;
import io.crescent.resp.Numbers;
import io.vertx.core.buffer.Buffer;

/**
 * What a cluster node refuses that a plain Redis would run: another database (a cluster node has
 * one; the Redis behind the proxy has sixteen that no client may reach), SORT patterns that
 * could read keys of other slots, and replication or failover commands (REPLICAOF on the Redis
 * behind the proxy would replace its data with another server's).
 */
final class ClusterModeRefusals {

  /** Redis's default number of databases: DB indexes beyond it are Redis's own error to give. */
  private static final int DATABASES = 16;

  private ClusterModeRefusals() {
  }

  /** The refusal, or null when the command stays in database 0 (or is Redis's to reject). */
  static Buffer refusal(CommandSpec spec, Command command) {
    return switch (spec.name()) {
      case "move" -> Errors.MOVE_IN_CLUSTER;
      case "swapdb" -> Errors.SWAPDB_IN_CLUSTER;
      case "replicaof", "slaveof" -> Errors.REPLICAOF_IN_CLUSTER;
      case "failover" -> Errors.FAILOVER_IN_CLUSTER;
      case "copy" -> copiesToAnotherDb(command) ? Errors.COPY_IN_CLUSTER : null;
      case "sort", "sort_ro" -> sortPatternRefusal(command);
      default -> null;
    };
  }

  /**
   * SORT's BY with a real pattern and GET read other keys, which may be in other slots; Redis
   * refuses them in cluster mode, at the first such option. Anything malformed before it is
   * Redis's to answer, so the scan stops at what it does not know.
   */
  private static Buffer sortPatternRefusal(Command command) {
    for (int j = 2; j < command.argc(); j++) {
      int left = command.argc() - j - 1;
      if (command.argIs(j, "asc") || command.argIs(j, "desc") || command.argIs(j, "alpha")) {
        continue;
      }
      if (command.argIs(j, "limit") && left >= 2) {
        j += 2;
      } else if (command.argIs(j, "store") && left >= 1) {
        j++;
      } else if (command.argIs(j, "by") && left >= 1) {
        if (command.argString(j + 1).indexOf('*') >= 0) {
          return Errors.SORT_BY_IN_CLUSTER;
        }
        j++;
      } else if (command.argIs(j, "get") && left >= 1) {
        return Errors.SORT_GET_IN_CLUSTER;
      } else {
        return null;
      }
    }
    return null;
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
