package io.crescent.backend;

import io.crescent.resp.Command;

import java.util.List;

/**
 * Commands of one client for one backend (a Redis or a peer proxy), in order. The client id
 * pins a client to one connection of the backend's pool, which keeps its commands in order.
 */
public record BackendBatch(String backend, long clientId, List<Command> commands) {
}
