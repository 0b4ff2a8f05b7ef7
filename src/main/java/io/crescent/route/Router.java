package io.crescent.route;

import io.crescent.cluster.ClusterState;
import io.crescent.cluster.ClusterStore;
import io.crescent.cluster.SlotHash;
import io.crescent.cluster.SlotOwner;
import io.crescent.cluster.SlotTable;
import io.crescent.command.CommandSpec;
import io.crescent.command.CommandTable;
import io.crescent.command.KeyVisitor;
import io.crescent.command.LiveCommandTable;
import io.crescent.resp.Command;

import java.util.List;

/**
 * Decides, for each command, who answers it: the proxy itself (cluster topology, connection
 * commands, redirections and errors) or a backend, and for keyed commands, which one.
 *
 * <p>A batch is routed against one snapshot of the slot table and of the command table, so a
 * configuration change never splits a batch between two topologies.
 */
final class Router implements KeyVisitor {

  private static final int NO_KEY = -1;
  private static final int CROSS_SLOT = -2;

  private final ClusterStore clusters;
  private final LiveCommandTable commands;
  private final ProxyCommands proxyCommands;
  private final Forwarder forwarder;

  // Scratch state of the key visit of the command being routed.
  private Command visiting;
  private int slot;

  Router(ClusterStore clusters, LiveCommandTable commands, ProxyCommands proxyCommands, Forwarder forwarder) {
    this.clusters = clusters;
    this.commands = commands;
    this.proxyCommands = proxyCommands;
    this.forwarder = forwarder;
  }

  void route(Client client, List<Command> batch) {
    ClusterState state = clusters.current();
    CommandTable table = commands.current();
    for (int i = 0; i < batch.size(); i++) {
      route(client, batch.get(i), state, table);
    }
    forwarder.send(client.id());
    client.flush();
  }

  private void route(Client client, Command command, ClusterState state, CommandTable commandTable) {
    if (proxyCommands.handlesBeforeLookup(command)) {
      proxyCommands.answer(client, command, null, state);
      return;
    }
    CommandSpec spec = commandTable.find(command);
    if (spec == null) {
      client.complete(command, Errors.unknownCommand(command));
      return;
    }
    if (!spec.arityOk(command.argc())) {
      client.complete(command, Errors.wrongArity(spec.name()));
      return;
    }
    if (!spec.hasFlag("no_auth") && proxyCommands.mustAuthenticate(client)) {
      client.complete(command, Errors.NOAUTH);
      return;
    }
    if (proxyCommands.handles(spec, command)) {
      proxyCommands.answer(client, command, spec, state);
      return;
    }
    if (!state.configured()) {
      client.complete(command, Errors.CLUSTER_DOWN);
      return;
    }
    SlotTable table = state.table();
    int keySlot = keySlot(spec, command);
    if (keySlot == CROSS_SLOT) {
      client.complete(command, Errors.CROSSSLOT);
    } else if (keySlot == NO_KEY) {
      forwardToDefault(client, command, table);
    } else {
      SlotOwner owner = table.owner(keySlot);
      if (owner == null) {
        client.complete(command, Errors.SLOT_NOT_SERVED);
      } else if (owner.isLocal()) {
        forwarder.add(owner.address(), command);
      } else {
        client.complete(command, Errors.moved(keySlot, owner.address()));
      }
    }
  }

  /** Keyless commands run on the local Redis, as they would on a cluster node. */
  void forwardToDefault(Client client, Command command, SlotTable table) {
    String redis = table.defaultRedis();
    if (redis == null) {
      client.complete(command, Errors.SLOT_NOT_SERVED);
    } else {
      forwarder.add(redis, command);
    }
  }

  private int keySlot(CommandSpec spec, Command command) {
    visiting = command;
    slot = NO_KEY;
    spec.forEachKey(command, this);
    visiting = null;
    return slot;
  }

  @Override
  public void key(int argIndex) {
    if (slot == CROSS_SLOT) {
      return;
    }
    int s = SlotHash.slot(visiting.frame(), visiting.argOffset(argIndex), visiting.argLength(argIndex));
    slot = slot == NO_KEY || slot == s ? s : CROSS_SLOT;
  }
}
