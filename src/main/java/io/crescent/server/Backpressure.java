package io.crescent.server;

import io.crescent.config.ConfigStore;

import java.util.ArrayList;
import java.util.List;

/**
 * What a client's replies hold while its socket has no room, and what that costs it.
 *
 * <p>Replies wait, counted, while the client's socket has no room: its write queue is full,
 * or a megabyte of large replies handed to it is not yet written out. As on Redis, the client is
 * still read and its replies still held, so that the clients whose replies share its Redis
 * connection are not held up, until the replies held on this event loop pass its share of
 * {@code held_replies_limit}. Then the client is congested: it is not read, and backends stop
 * reading for it until it catches up, so Redis, not the proxy, keeps the rest. Reading also stops
 * while too many of its commands are unanswered. A client whose waiting replies pass
 * {@code client_output_buffer_limit}, or that takes nothing while a Redis connection waits for it
 * (for the backend timeout; for a second if other clients wait too), is disconnected, as Redis
 * does with its output buffer limits.
 *
 * <p>Its commands cost memory too until Redis answers them. Redis that stalls (a long script, a
 * stopped process) stops reading, and its clients' writes wait in their own kernels; the proxy
 * reads on and keeps what it read, so once the loop's unanswered commands pass its share, a
 * client with some of its own unanswered is not read until they are answered. Regression: ten
 * clients pipelining 15 KB SETs at a stopped Redis ran a 512 MB proxy out of heap in seconds.
 */
final class Backpressure {

  private final ClientSession session;
  /** Read when checked: {@code client_output_buffer_limit} may change by reload. */
  private final ConfigStore settings;
  /** What this event loop's clients hold, together. */
  private final LoopBudget loopHeld;
  private final SlicedWriter slices;
  /** What {@link #hold} counts for this client. */
  private long heldBytes;
  /** Bytes of this client's small commands not answered yet (large ones hold frame memory). */
  private long inFlightBytes;
  /** What this event loop's clients have in flight, together. */
  private final LoopBudget loopInFlight;
  /** Backend connections that stopped reading for this client and wait for it to catch up. */
  private final List<Runnable> drainWaiters = new ArrayList<>(1);

  Backpressure(ClientSession session, ConfigStore settings, LoopBudget loopHeld, LoopBudget loopInFlight,
      SlicedWriter slices) {
    this.session = session;
    this.settings = settings;
    this.loopHeld = loopHeld;
    this.loopInFlight = loopInFlight;
    this.slices = slices;
  }

  /**
   * Counts bytes of replies that came for this client and are not yet handed to its socket (with
   * the requests of answered commands while the client takes nothing).
   */
  void hold(long bytes) {
    heldBytes += bytes;
    loopHeld.add(bytes);
  }

  /** Counts bytes of small commands read from the client and not answered yet. */
  void inFlight(long bytes) {
    inFlightBytes += bytes;
    loopInFlight.add(bytes);
  }

  /** The loop has too much in flight, and this client some of it: it waits for its answers. */
  boolean inFlightSpent() {
    return inFlightBytes > 0 && loopInFlight.spent();
  }

  /** Runs {@code action} once the loop's unanswered commands are within its share again. */
  void whenInFlightHasRoom(Runnable action) {
    loopInFlight.whenRoom(action);
  }

  /** The connection is closing: nothing it held or had in flight is any more. */
  void holdNothing() {
    hold(-heldBytes);
    inFlight(-inFlightBytes);
  }

  void checkOutputLimit() {
    long outputLimit = settings.current().clientOutputBufferLimit();
    if (outputLimit > 0 && heldBytes > outputLimit) {
      session.disconnect("it reads too slowly: " + heldBytes
          + " bytes of replies (and answered requests) waiting exceed client_output_buffer_limit");
    }
  }

  /**
   * The socket is full and the loop's clients hold more than their share. Only a full socket
   * counts: replies held behind an unanswered one are waiting for a backend, not for the client,
   * and pausing for them could stall the backend they wait for.
   */
  boolean congested() {
    return !session.done() && socketFull() && loopHeld.spent();
  }

  /** The socket takes nothing more for now: what comes for the client waits here. */
  boolean socketFull() {
    return slices.busy() || !slices.hasRoom();
  }

  void onDrained(Runnable action) {
    if (congested()) {
      drainWaiters.add(action);
    } else {
      action.run();
    }
  }

  void abandon(long idleNanos) {
    if (!session.done() && System.nanoTime() - slices.lastTakenNanos() > idleNanos) {
      session.disconnect("it reads too slowly: it took no replies for " + idleNanos / 1_000_000
          + " ms while a Redis connection waited for it");
    }
  }

  void runDrainWaiters() {
    if (drainWaiters.isEmpty()) {
      return;
    }
    List<Runnable> waiting = new ArrayList<>(drainWaiters);
    drainWaiters.clear();
    waiting.forEach(Runnable::run);
  }

  /** After replies went out: the backends waiting for the client go on once it is not congested. */
  void runDrainWaitersIfDrained() {
    if (!drainWaiters.isEmpty() && !congested()) {
      runDrainWaiters();
    }
  }
}
