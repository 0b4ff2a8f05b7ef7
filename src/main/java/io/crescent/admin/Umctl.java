package io.crescent.admin;

import io.crescent.cluster.ClusterConfig;
import io.crescent.cluster.ClusterConfigException;
import io.crescent.cluster.ClusterState;
import io.crescent.cluster.ClusterStore;
import io.crescent.cluster.UmctlReplies;
import io.crescent.resp.Command;
import io.crescent.resp.Resp;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/** The administrator's commands (undermoon's UMCTL): set and inspect the slot assignment. */
public final class Umctl {

  private final ClusterStore clusters;

  public Umctl(ClusterStore clusters) {
    this.clusters = clusters;
  }

  public Buffer execute(Command command) {
    if (command.argc() < 2) {
      return Resp.error("ERR wrong number of arguments for 'umctl' command");
    }
    ClusterState state = clusters.current();
    String sub = command.argLower(1);
    return switch (sub) {
      case "setcluster" -> setCluster(command);
      case "getepoch" -> UmctlReplies.getEpoch(state);
      case "listcluster" -> UmctlReplies.listCluster(state);
      case "info" -> UmctlReplies.info(state);
      case "ready" -> state.configured() ? Resp.ONE : Resp.ZERO;
      default -> Resp.error("ERR unknown UMCTL subcommand '" + command.argString(1)
          + "' (known: SETCLUSTER, GETEPOCH, LISTCLUSTER, INFO, READY)");
    };
  }

  private Buffer setCluster(Command command) {
    List<String> args = new ArrayList<>(command.argc() - 2);
    for (int i = 2; i < command.argc(); i++) {
      args.add(command.argString(i));
    }
    try {
      clusters.apply(ClusterConfig.parse(args), "UMCTL SETCLUSTER");
      return Resp.OK;
    } catch (ClusterConfigException e) {
      return e.reply();
    }
  }
}
