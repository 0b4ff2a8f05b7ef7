package io.crescent.route;

import io.crescent.cluster.ClusterState;
import io.crescent.cluster.SlotOwner;
import io.crescent.cluster.SlotTable;
import io.crescent.resp.Command;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a proxy that loses slots to a new topology does, as a Redis 7.0 node that loses them, to
 * the clients of one event loop that hold a connection of their own: a client blocked on a key
 * of such a slot gets MOVED, and a shard subscriber of its channels a {@code sunsubscribe} frame
 * telling it to subscribe again where the slot went. Without it, both stayed on the Redis that
 * lost the slot: a BLPOP with timeout 0 hung for good, a subscriber heard nothing more.
 */
final class LostSlots {

  private final Forwarder forwarder;
  /** This proxy's announced address: where a client goes again for a slot another local Redis took. */
  private final String announce;
  /**
   * This loop's clients that took a connection of their own, some of which have given it back
   * or left since: swept at each topology, and whenever it doubles.
   */
  private final Set<Client> pinnedClients = new HashSet<>();
  private int sweepAt = 64;

  LostSlots(Forwarder forwarder, String announce) {
    this.forwarder = forwarder;
    this.announce = announce;
  }

  /** The client took a connection of its own. */
  void pinned(Client client) {
    pinnedClients.add(client);
    if (pinnedClients.size() >= sweepAt) {
      sweep();
      sweepAt = Math.max(64, 2 * pinnedClients.size());
    }
  }

  private void sweep() {
    pinnedClients.removeIf(client -> client.closed() || client.pinned() == null);
  }

  /** A new topology is in force: on this loop, since what it does runs on the clients' connections. */
  void apply(ClusterState state) {
    sweep();
    for (Client client : pinnedClients) {
      Pinned pinned = client.pinned();
      redirectBlocked(client, pinned, state.table());
      unsubscribeLostChannels(client, pinned, state.table());
    }
  }

  /**
   * MOVED (CLUSTERDOWN if no node has the slot) takes the place of the -UNBLOCKED that waking the
   * command from another connection gives; a reply Redis gave first stays. Redis blocks on one
   * command at a time: the first is woken now, each next one once the one before is answered.
   */
  private void redirectBlocked(Client client, Pinned pinned, SlotTable table) {
    boolean marked = false;
    for (Pinned.Blocking blocking : pinned.blocked()) {
      if (blocking.waking || blocking.slot == Pinned.NO_SLOT || blocking.command.sink() != client
          || table.servedBy(blocking.slot, pinned.backend())) {
        continue;
      }
      SlotOwner owner = table.owner(blocking.slot);
      // A slot another Redis of this proxy took: the client asks this proxy again, which sends
      // the command there (a node would not redirect, but it has one Redis, not two).
      Buffer redirect = owner == null ? Errors.SLOT_NOT_SERVED
          : Errors.moved(blocking.slot, owner.isLocal() ? announce : owner.address());
      blocking.waking = true;
      marked = true;
      blocking.command.sink(new RewritingSink(client, blocking.command, reply -> {
        wakeNext(client, pinned, blocking.command);
        return isUnblocked(reply) ? redirect : reply;
      }));
    }
    if (marked) {
      // Not again for one already being woken by an earlier topology.
      wakeNext(client, pinned, null);
    }
  }

  /** Wakes the oldest command that may block, other than {@code answered}, if it is to be woken. */
  private void wakeNext(Client client, Pinned pinned, Command answered) {
    for (Pinned.Blocking blocking : pinned.blocked()) {
      if (blocking.command != answered) {
        if (blocking.waking) {
          forwarder.unblock(client, pinned.backend());
        }
        return;
      }
    }
  }

  private static boolean isUnblocked(Buffer reply) {
    return reply.length() > 10 && reply.getByte(0) == '-' && reply.getString(1, 10).equals("UNBLOCKED");
  }

  /**
   * SUNSUBSCRIBE of the lost channels goes over the client's connection, and Redis's confirmations
   * reach the client unasked, as a node sends them.
   */
  private void unsubscribeLostChannels(Client client, Pinned pinned, SlotTable table) {
    if (pinned.inMulti()) {
      // Subscribed in RESP3: Redis would queue it into the client's transaction.
      return;
    }
    List<byte[]> lost = pinned.subscriptions().shardChannelsNotServedBy(pinned.backend(), table);
    if (lost.isEmpty()) {
      return;
    }
    lost.add(0, "SUNSUBSCRIBE".getBytes(StandardCharsets.US_ASCII));
    Command unsubscribe = Command.of(lost.toArray(new byte[0][]));
    Subscriptions.Change change = pinned.subscriptions().apply("sunsubscribe", unsubscribe);
    unsubscribe.pubsubFrames(change.frames());
    unsubscribe.sink(new PushedReplySink(client, pinned, change));
    pinned.ownCommandSent();
    forwarder.add(client, pinned.backend(), unsubscribe);
    forwarder.send(client);
  }
}
