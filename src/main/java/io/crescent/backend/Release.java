package io.crescent.backend;

/**
 * A client gives back its own backend connection: to the idle pool when it is clean, or closed
 * when the client went away, since the connection may still be blocked or in a transaction.
 */
public record Release(long clientId, boolean close) {
}
