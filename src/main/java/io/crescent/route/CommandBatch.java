package io.crescent.route;

import io.crescent.resp.Command;

import java.util.List;

/** The commands one read of a client's socket produced, in the order they were sent. */
public record CommandBatch(Client client, List<Command> commands) {
}
