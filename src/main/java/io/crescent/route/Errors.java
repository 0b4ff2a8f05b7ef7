package io.crescent.route;

import io.crescent.resp.Command;
import io.crescent.resp.Resp;
import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Error replies worded exactly as a Redis Cluster node words them. */
final class Errors {

  static final Buffer RESET = Resp.simple("RESET");
  static final Buffer NOAUTH = Resp.error("NOAUTH Authentication required.");
  static final Buffer CLUSTER_DOWN = Resp.error("CLUSTERDOWN The cluster is down");
  static final Buffer SLOT_NOT_SERVED = Resp.error("CLUSTERDOWN Hash slot not served");
  static final Buffer CROSSSLOT = Resp.error("CROSSSLOT Keys in request don't hash to the same slot");
  static final Buffer NOT_INTEGER = Resp.error("ERR value is not an integer or out of range");
  static final Buffer NOT_INT_RANGE =
      Resp.error("ERR value is out of range, value must between -2147483648 and 2147483647");
  static final Buffer OTHER_BACKEND = Resp.error("ERR Crescent: this connection holds a transaction or "
      + "blocking command on one Redis and cannot reach another in the meantime");
  static final Buffer MOVE_IN_CLUSTER = Resp.error("ERR MOVE is not allowed in cluster mode");
  static final Buffer SWAPDB_IN_CLUSTER = Resp.error("ERR SWAPDB is not allowed in cluster mode");
  static final Buffer REPLICAOF_IN_CLUSTER = Resp.error("ERR REPLICAOF not allowed in cluster mode.");
  static final Buffer FAILOVER_IN_CLUSTER =
      Resp.error("ERR FAILOVER not allowed in cluster mode. Use CLUSTER FAILOVER command instead.");
  static final Buffer COPY_IN_CLUSTER = Resp.error("ERR Copying to another database is not allowed in cluster mode");
  static final Buffer SORT_BY_IN_CLUSTER = Resp.error("ERR BY option of SORT denied in Cluster mode.");
  static final Buffer SORT_GET_IN_CLUSTER = Resp.error("ERR GET option of SORT denied in Cluster mode.");
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
    ByteArrayOutputStream args = new ByteArrayOutputStream();
    for (int i = 1; i < command.argc() && args.size() < MAX_ECHOED; i++) {
      int room = MAX_ECHOED - args.size();
      args.write('\'');
      quote(args, command, i, room);
      args.writeBytes(new byte[] {'\'', ' '});
    }
    ByteArrayOutputStream text = ascii("ERR unknown command '");
    quote(text, command, 0, MAX_ECHOED);
    text.writeBytes("', with args beginning with: ".getBytes(StandardCharsets.US_ASCII));
    text.writeBytes(args.toByteArray());
    return Resp.error(text.toByteArray());
  }

  static Buffer unknownSubcommand(Command command, String container) {
    ByteArrayOutputStream text = ascii("ERR unknown subcommand '");
    quote(text, command, 1, MAX_ECHOED);
    text.writeBytes(("'. Try " + container + " HELP.").getBytes(StandardCharsets.US_ASCII));
    return Resp.error(text.toByteArray());
  }

  private static ByteArrayOutputStream ascii(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    return out;
  }

  /** Copies an argument as Redis's {@code %.Ns} prints it: raw bytes, at most N, up to a NUL. */
  private static void quote(ByteArrayOutputStream out, Command command, int i, int max) {
    int off = command.argOffset(i);
    int len = Math.min(command.argLength(i), max);
    for (int j = 0; j < len; j++) {
      byte b = command.frame().getByte(off + j);
      if (b == 0) {
        return;
      }
      out.write(b);
    }
  }

  static Buffer notSupported(String what) {
    return Resp.error("ERR Crescent does not support " + what + " yet");
  }
}
