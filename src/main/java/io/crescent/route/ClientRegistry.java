package io.crescent.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Every client connection of this proxy, across event loops, for CLIENT LIST and CLIENT KILL. */
public final class ClientRegistry {

  private final ConcurrentHashMap<Long, Client> clients = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();

  /** A new client id, unique in this proxy, as Redis's CLIENT ID is in a server. */
  public long nextId() {
    return ids.incrementAndGet();
  }

  public void add(Client client) {
    clients.put(client.id(), client);
  }

  public void remove(Client client) {
    clients.remove(client.id());
  }

  Client get(long id) {
    return clients.get(id);
  }

  /** A snapshot in id order, as Redis lists its clients. */
  List<Client> all() {
    List<Client> list = new ArrayList<>(clients.values());
    list.sort(Comparator.comparingLong(Client::id));
    return list;
  }

  /** Whether the client is still connected: a closed client leaves the registry first thing. */
  public boolean contains(long id) {
    return clients.containsKey(id);
  }

  public int size() {
    return clients.size();
  }
}
