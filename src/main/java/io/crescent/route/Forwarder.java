package io.crescent.route;

import io.crescent.backend.BackendBatch;
import io.crescent.resp.Command;
import io.vertx.core.eventbus.EventBus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers the commands of one client batch by backend, then hands each group to the backend
 * verticle in one message.
 */
final class Forwarder {

  private final EventBus bus;
  private final String backendAddress;
  private final Map<String, List<Command>> groups = new LinkedHashMap<>();

  Forwarder(EventBus bus, String backendAddress) {
    this.bus = bus;
    this.backendAddress = backendAddress;
  }

  void add(String backend, Command command) {
    groups.computeIfAbsent(backend, b -> new ArrayList<>()).add(command);
  }

  void send(long clientId) {
    if (groups.isEmpty()) {
      return;
    }
    for (Map.Entry<String, List<Command>> group : groups.entrySet()) {
      bus.send(backendAddress, new BackendBatch(group.getKey(), clientId, group.getValue()));
    }
    groups.clear();
  }
}
