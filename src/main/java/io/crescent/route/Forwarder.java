package io.crescent.route;

import io.crescent.backend.BackendBatch;
import io.crescent.bus.Outbox;
import io.crescent.resp.Command;

import java.util.ArrayList;
import java.util.List;

/**
 * Gathers the commands of one client batch by backend, then hands each group to the backend
 * verticle, with the groups of other clients routed in the same turn of the event loop. A pinned
 * client's commands go over its own connection.
 */
final class Forwarder {

  /** Where a group goes: a Redis or a peer proxy, over a shared or the client's own connection. */
  private record Target(String backend, boolean peer, boolean dedicated) {

    boolean is(String backend, boolean peer, boolean dedicated) {
      return this.peer == peer && this.dedicated == dedicated && this.backend.equals(backend);
    }
  }

  private final Outbox<BackendBatch> backend;
  /**
   * This batch's groups, in parallel lists searched from the end: nearly every batch has one
   * group, rarely more than a few, so a map would cost more than it saves.
   */
  private final List<Target> targets = new ArrayList<>(4);
  private final List<List<Command>> groups = new ArrayList<>(4);
  /** The last target used, kept across batches: the next batch very likely goes there too. */
  private Target recent;

  Forwarder(Outbox<BackendBatch> backend) {
    this.backend = backend;
  }

  void add(Client client, String backend, Command command) {
    group(backend, false, client.pinned() != null).add(command);
  }

  /** A command for another proxy of the cluster, over a shared connection to it. */
  void addForPeer(String peer, Command command) {
    group(peer, true, false).add(command);
  }

  private List<Command> group(String backend, boolean peer, boolean dedicated) {
    for (int i = targets.size() - 1; i >= 0; i--) {
      if (targets.get(i).is(backend, peer, dedicated)) {
        return groups.get(i);
      }
    }
    if (recent == null || !recent.is(backend, peer, dedicated)) {
      recent = new Target(backend, peer, dedicated);
    }
    List<Command> group = new ArrayList<>(4);
    targets.add(recent);
    groups.add(group);
    return group;
  }

  void send(Client client) {
    for (int i = 0; i < targets.size(); i++) {
      Target target = targets.get(i);
      backend.add(new BackendBatch(target.backend(), target.peer(), client.id(), client.lane(), target.dedicated(),
          target.peer() ? 2 : client.protocol(), groups.get(i), false));
    }
    targets.clear();
    groups.clear();
  }

  /** Asks Redis to wake the command blocked on the client's own connection, after what it sent. */
  void unblock(Client client, String redis) {
    send(client);
    backend.add(BackendBatch.unblock(redis, client.id(), client.lane()));
  }
}
