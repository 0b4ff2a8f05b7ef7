package io.crescent.route;

import io.crescent.command.CommandSpec;
import io.crescent.resp.Command;

/** Which commands need a backend connection of the client's own. */
final class Dedicated {

  private Dedicated() {
  }

  /**
   * Commands that leave state on the connection (MULTI, WATCH, SUBSCRIBE) or may hold it (BLPOP,
   * WAIT).
   */
  static boolean needs(CommandSpec spec, Command command) {
    String name = spec.name();
    return name.equals("multi") || name.equals("watch") || Subscriptions.subscribes(name)
        || name.equals("client|tracking") || name.equals("monitor") || mayBlock(spec, command);
  }

  /** XREAD and XREADGROUP block only with BLOCK; the other blocking commands always may. */
  static boolean mayBlock(CommandSpec spec, Command command) {
    String name = spec.name();
    if (name.equals("wait")) {
      return true;
    }
    if (!spec.isBlocking()) {
      return false;
    }
    if (!name.equals("xread") && !name.equals("xreadgroup")) {
      return true;
    }
    for (int i = 1; i < command.argc() && !command.argIs(i, "streams"); i++) {
      if (command.argIs(i, "block")) {
        return true;
      }
    }
    return false;
  }
}
