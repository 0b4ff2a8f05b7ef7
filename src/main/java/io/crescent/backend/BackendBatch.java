package io.crescent.backend;

import io.crescent.resp.Command;

import java.util.List;

/**
 * Commands of one client for one backend, in order. The backend is a Redis, or with {@code peer}
 * another proxy of the cluster. The client id pins a client to one connection of the backend's
 * shared pool, which keeps its commands in order; a dedicated batch goes over the client's own
 * connection instead. Connections speak the client's RESP version, so replies relay unchanged.
 * With {@code unblock}, it carries no command but asks Redis to wake what blocks on the client's
 * own connection; it travels the same way as the client's commands, so never ahead of them.
 */
public record BackendBatch(String backend, boolean peer, long clientId, int lane, boolean dedicated, int protocol,
    List<Command> commands, boolean unblock) {

  /** Wake the command blocked on {@code clientId}'s own connection to {@code backend}. */
  public static BackendBatch unblock(String backend, long clientId, int lane) {
    return new BackendBatch(backend, false, clientId, lane, true, 2, List.of(), true);
  }
}
