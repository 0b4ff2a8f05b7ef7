package io.crescent.route;

import io.crescent.cluster.SlotOwner;
import io.crescent.cluster.SlotTable;
import io.crescent.command.CommandSpec;
import io.crescent.metrics.RouteCounters;
import io.crescent.resp.Command;
import io.vertx.core.buffer.Buffer;

/**
 * MULTI/EXEC as a Redis Cluster node runs them, over the client's own connection to a plain
 * Redis. What the proxy refuses inside a transaction must doom it on Redis too, so Redis is sent
 * a command it rejects in its place, and the client gets the proxy's error instead of Redis's.
 */
final class Transactions {

  private final Forwarder forwarder;
  private final RouteCounters counters;

  Transactions(Forwarder forwarder, RouteCounters counters) {
    this.forwarder = forwarder;
    this.counters = counters;
  }

  /** Follows the connection state that a command forwarded over a pinned connection leaves. */
  void track(Pinned pinned, CommandSpec spec) {
    if (pinned.inMulti()) {
      return;
    }
    switch (spec.name()) {
      case "multi" -> pinned.beginMulti();
      case "watch" -> pinned.watching(true);
      case "unwatch" -> pinned.watching(false);
      default -> { }
    }
  }

  /**
   * EXEC and DISCARD inside a transaction; false for any other command. {@code table} is the
   * slot table in force when EXEC is routed, which may have moved the transaction's slot away
   * since its commands were queued.
   */
  boolean endsTransaction(Client client, Command command, CommandSpec spec, Pinned pinned, SlotTable table) {
    String name = spec.name();
    if (!name.equals("exec") && !name.equals("discard")) {
      return false;
    }
    Buffer refusal = name.equals("exec") ? execRefusal(pinned, table) : null;
    if (refusal != null) {
      // A cluster node discards the transaction and answers EXEC with the error.
      substitute(client, Command.of("DISCARD"), command, refusal, pinned);
    } else {
      forwarder.add(client, pinned.backend(), command);
    }
    pinned.endMulti();
    return true;
  }

  /**
   * Why a cluster node would refuse EXEC: CROSSSLOT for keys of two slots, or, when the slot of
   * the queued keys is no longer this Redis's (a new slot table came after they were queued),
   * MOVED to its owner or CLUSTERDOWN, as a node that lost the slot answers EXEC. Null when EXEC
   * may run.
   */
  private Buffer execRefusal(Pinned pinned, SlotTable table) {
    if (pinned.multiCrossSlot()) {
      counters.crossSlot();
      return Errors.CROSSSLOT;
    }
    int slot = pinned.multiSlot();
    return slot == Pinned.NO_SLOT ? null : slotRefusal(slot, table, pinned);
  }

  /**
   * Why a command of the transaction on keys of {@code slot} cannot run on the client's
   * connection: another node has the slot (MOVED), none has it (CLUSTERDOWN), or another Redis of
   * this proxy; null when it can.
   */
  Buffer slotRefusal(int slot, SlotTable table, Pinned pinned) {
    SlotOwner owner = table.owner(slot);
    if (owner == null) {
      counters.clusterDown();
      return Errors.SLOT_NOT_SERVED;
    }
    if (!owner.isLocal()) {
      counters.moved();
      return Errors.moved(slot, owner.address());
    }
    return owner.address().equals(pinned.backend()) ? null : Errors.OTHER_BACKEND;
  }

  /**
   * Queues, in {@code command}'s place, a script whose result in EXEC's reply is {@code reply} (a
   * status or an error): what a cluster node gives for a command it runs at EXEC but the Redis
   * behind the proxy must not run (SELECT 1 would move the connection, and the clients it serves
   * next, to another database; MOVE, REPLICAOF...) or would answer otherwise (READONLY). The
   * client gets Redis's QUEUED.
   */
  void queueReply(Client client, Command command, Pinned pinned, Buffer reply) {
    boolean error = reply.getByte(0) == '-';
    String text = reply.getString(1, reply.length() - 2, "UTF-8");
    String body = error ? "return redis.error_reply(ARGV[1])" : "return redis.status_reply(ARGV[1])";
    Command script = Command.of("EVAL", body, "0", text);
    script.sink(new RewritingSink(client, command, queued -> queued));
    forwarder.add(client, pinned.backend(), script);
  }

  /** Answers {@code command} with {@code refusal} and makes Redis flag the transaction. */
  void refuse(Client client, Command command, Pinned pinned, Buffer refusal) {
    // ECHO without its argument is an arity error, which Redis counts against the transaction.
    substitute(client, Command.of("ECHO"), command, refusal, pinned);
  }

  private void substitute(Client client, Command sent, Command answered, Buffer reply, Pinned pinned) {
    sent.sink(new RewritingSink(client, answered, ignored -> reply));
    forwarder.add(client, pinned.backend(), sent);
  }
}
