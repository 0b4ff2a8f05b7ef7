package io.crescent.backend;

import io.crescent.resp.Command;
import io.crescent.resp.Resp;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.BiFunction;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * Connections that one client holds for itself (transactions, blocking commands), taken from a
 * small pool of idle ones and given back clean, with a bound on how many are in use.
 */
final class DedicatedConnections {

  /** Idle connections kept per backend; more are closed when given back. */
  private static final int IDLE_PER_BACKEND = 16;

  private final int limit;
  private final LongPredicate clientConnected;
  private final BiFunction<String, Integer, BackendConnection> open;
  private final Buffer tooMany;
  private final Buffer clientClosed = Resp.error("ERR Crescent: the client has closed its connection");
  private final Map<Long, BackendConnection> byClient = new HashMap<>();
  private final Map<String, ArrayDeque<BackendConnection>> idle = new HashMap<>();

  DedicatedConnections(int limit, LongPredicate clientConnected, BiFunction<String, Integer, BackendConnection> open) {
    this.limit = limit;
    this.clientConnected = clientConnected;
    this.open = open;
    this.tooMany = Resp.error("ERR Crescent: too many clients hold a backend connection of their own "
        + "(dedicated_connections is " + limit + " per event loop)");
  }

  void send(String backend, int protocol, long clientId, List<Command> commands) {
    BackendConnection connection = byClient.get(clientId);
    if (connection == null) {
      if (!clientConnected.test(clientId)) {
        // Closed after these were routed but before they got here: its release came first, on
        // another address, and nobody would give a connection taken now back.
        dropForClosedClient(commands);
        return;
      }
      if (byClient.size() >= limit) {
        refuse(commands);
        return;
      }
      connection = spare(backend, protocol);
      byClient.put(clientId, connection);
    }
    connection.send(commands);
  }

  /** Runs {@code action} with Redis's id for the client's own connection, if it holds one. */
  void whenRedisIdKnown(long clientId, LongConsumer action) {
    BackendConnection connection = byClient.get(clientId);
    if (connection != null) {
      connection.whenRedisIdKnown(action);
    }
  }

  void release(long clientId, boolean close) {
    BackendConnection connection = byClient.remove(clientId);
    if (connection == null) {
      return;
    }
    ArrayDeque<BackendConnection> spare =
        idle.computeIfAbsent(idleKey(connection.backend(), connection.protocol()), b -> new ArrayDeque<>());
    if (close || !connection.idle() || spare.size() >= IDLE_PER_BACKEND) {
      connection.close();
    } else {
      connection.released();
      spare.add(connection);
    }
  }

  /** An idle connection from the pool, or a new one; Redis may have closed one while it waited. */
  private BackendConnection spare(String backend, int protocol) {
    ArrayDeque<BackendConnection> spare = idle.get(idleKey(backend, protocol));
    while (spare != null && !spare.isEmpty()) {
      BackendConnection connection = spare.poll();
      if (connection.idle()) {
        return connection;
      }
      connection.close();
    }
    return open.apply(backend, protocol);
  }

  private static String idleKey(String backend, int protocol) {
    return backend + " resp" + protocol;
  }

  /** Closes the idle connections kept for backends that {@code unused} says are gone. */
  void closeIdle(Predicate<String> unused) {
    idle.values().removeIf(spare -> {
      if (spare.isEmpty() || !unused.test(spare.peek().backend())) {
        return false;
      }
      spare.forEach(BackendConnection::close);
      return true;
    });
  }

  void forEach(Consumer<BackendConnection> action) {
    byClient.values().forEach(action);
  }

  void closeAll() {
    byClient.values().forEach(BackendConnection::close);
    idle.values().forEach(spare -> spare.forEach(BackendConnection::close));
  }

  private void dropForClosedClient(List<Command> commands) {
    for (Command command : commands) {
      command.sink().complete(command, clientClosed);
    }
  }

  private void refuse(List<Command> commands) {
    List<Command> copy = new ArrayList<>(commands);
    for (Command command : copy) {
      command.sink().complete(command, tooMany);
    }
    for (Command command : copy) {
      command.sink().flush();
    }
    // The router already counts this client as holding a connection: it must start over.
    copy.get(0).sink().backendLost();
  }
}
