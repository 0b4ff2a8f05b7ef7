package io.crescent.route;

import io.crescent.resp.Command;
import io.crescent.resp.Resp;
import io.vertx.core.buffer.Buffer;

/** Error replies worded exactly as a Redis Cluster node words them. */
final class Errors {

  static final Buffer NOAUTH = Resp.error("NOAUTH Authentication required.");
  static final Buffer CLUSTER_DOWN = Resp.error("CLUSTERDOWN The cluster is down");
  static final Buffer SLOT_NOT_SERVED = Resp.error("CLUSTERDOWN Hash slot not served");
  static final Buffer CROSSSLOT = Resp.error("CROSSSLOT Keys in request don't hash to the same slot");
  static final Buffer NOT_INTEGER = Resp.error("ERR value is not an integer or out of range");
  static final Buffer SELECT_IN_CLUSTER = Resp.error("ERR SELECT is not allowed in cluster mode");

  private static final int MAX_ECHOED = 128;

  private Errors() {
  }

  static Buffer moved(int slot, String address) {
    return Resp.error("MOVED " + slot + " " + address);
  }

  static Buffer wrongArity(String fullName) {
    return Resp.error("ERR wrong number of arguments for '" + fullName + "' command");
  }

  /** Redis's text for a command it does not know, quoting the start of its arguments. */
  static Buffer unknownCommand(Command command) {
    StringBuilder args = new StringBuilder();
    for (int i = 1; i < command.argc() && args.length() < MAX_ECHOED; i++) {
      String arg = command.argString(i);
      int room = MAX_ECHOED - args.length();
      args.append('\'').append(arg, 0, Math.min(arg.length(), room)).append("' ");
    }
    String name = command.argString(0);
    return Resp.error("ERR unknown command '" + name.substring(0, Math.min(name.length(), MAX_ECHOED))
        + "', with args beginning with: " + args);
  }

  static Buffer unknownSubcommand(Command command, String container) {
    String sub = command.argString(1);
    return Resp.error("ERR unknown subcommand '" + sub.substring(0, Math.min(sub.length(), MAX_ECHOED))
        + "'. Try " + container + " HELP.");
  }

  static Buffer notSupported(String what) {
    return Resp.error("ERR Crescent does not support " + what + " yet");
  }
}
