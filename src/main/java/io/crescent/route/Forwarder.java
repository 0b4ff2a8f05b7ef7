package io.crescent.route;

import io.crescent.backend.BackendBatch;
import io.crescent.bus.Outbox;
import io.crescent.resp.Command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers the commands of one client batch by backend, then hands each group to the backend
 * verticle, with the groups of other clients routed in the same turn of the event loop. A pinned
 * client's commands go over its own connection.
 */
final class Forwarder {

  private record Target(String backend, boolean peer, boolean dedicated) {
  }

  private final Outbox<BackendBatch> backend;
  private final Map<Target, List<Command>> groups = new LinkedHashMap<>();

  Forwarder(Outbox<BackendBatch> backend) {
    this.backend = backend;
  }

  // The group the previous command went to: nearly every batch has only one.
  private Target last;
  private List<Command> lastGroup;

  void add(Client client, String backend, Command command) {
    boolean dedicated = client.pinned() != null;
    if (last == null || last.dedicated() != dedicated || last.peer() || !last.backend().equals(backend)) {
      last = new Target(backend, false, dedicated);
      lastGroup = groups.computeIfAbsent(last, t -> new ArrayList<>());
    }
    lastGroup.add(command);
  }

  /** A command for another proxy of the cluster, over a shared connection to it. */
  void addForPeer(String peer, Command command) {
    groups.computeIfAbsent(new Target(peer, true, false), t -> new ArrayList<>()).add(command);
    last = null;
  }

  void send(Client client) {
    if (groups.isEmpty()) {
      return;
    }
    for (Map.Entry<Target, List<Command>> group : groups.entrySet()) {
      Target target = group.getKey();
      backend.add(new BackendBatch(target.backend(), target.peer(), client.id(), client.lane(), target.dedicated(),
              target.peer() ? 2 : client.protocol(), group.getValue()));
    }
    groups.clear();
    last = null;
    lastGroup = null;
  }
}
