package io.crescent.route;

import io.crescent.cluster.ClusterState;
import io.crescent.cluster.ClusterStore;
import io.crescent.cluster.SlotHash;
import io.crescent.cluster.SlotOwner;
import io.crescent.cluster.SlotTable;
import io.crescent.command.CommandSpec;
import io.crescent.command.CommandTable;
import io.crescent.command.KeyVisitor;
import io.crescent.command.LiveCommandTable;
import io.crescent.metrics.RouteCounters;
import io.crescent.resp.Command;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Decides, for each command, who answers it: the proxy itself (cluster topology, connection
 * commands, redirections and errors) or a backend, and for keyed commands, which one.
 *
 * <p>A batch is routed against one snapshot of the slot table and of the command table, so a
 * configuration change never splits a batch between two topologies.
 */
final class Router implements KeyVisitor {

  private static final int NO_KEY = -1;
  private static final int CROSS_SLOT = -2;

  private final ClusterStore clusters;
  private final LiveCommandTable commands;
  private final ProxyCommands proxyCommands;
  private final Forwarder forwarder;
  private final Transactions transactions;
  private final PeerPublish peerPublish;
  private final RouteCounters counters;
  private final LostSlots lostSlots;

  // Scratch state of the key visit of the command being routed.
  private Command visiting;
  private int slot;

  Router(ClusterStore clusters, LiveCommandTable commands, ProxyCommands proxyCommands, Forwarder forwarder,
      RouteCounters counters, LostSlots lostSlots) {
    this.lostSlots = lostSlots;
    this.clusters = clusters;
    this.commands = commands;
    this.proxyCommands = proxyCommands;
    this.forwarder = forwarder;
    this.counters = counters;
    this.transactions = new Transactions(forwarder, counters);
    this.peerPublish = new PeerPublish(forwarder);
  }

  void route(Client client, List<Command> batch) {
    if (client.closed()) {
      // Gone before its commands were routed: nothing may pin a connection for it now.
      return;
    }
    ClusterState state = clusters.current();
    CommandTable table = commands.current();
    // Commands read before this batch but held back come first: they must run before it.
    List<Command> parked = client.unpark();
    for (int i = 0; i < parked.size() && !client.closed(); i++) {
      route(client, parked.get(i), state, table);
    }
    for (int i = 0; i < batch.size() && !client.closed(); i++) {
      route(client, batch.get(i), state, table);
    }
    forwarder.send(client);
    client.flush();
  }

  private void route(Client client, Command command, ClusterState state, CommandTable commandTable) {
    if (client.parking()) {
      client.park(command);
      return;
    }
    boolean hello = command.argc() > 0 && command.argIs(0, "hello");
    boolean switchesProtocol = hello && command.argc() > 1 || command.argc() == 1 && command.argIs(0, "reset");
    // A protocol switch must not overtake commands still in flight in the old protocol; and how
    // many frames answer an UNSUBSCRIBE of everything depends on what Redis did subscribe, which
    // the replies before it tell (a SUBSCRIBE may be refused whole).
    if ((switchesProtocol || unsubscribesAll(client, command)) && client.waitingBefore(command)) {
      client.park(command);
      return;
    }
    if (!command.replyDecided()) {
      // Once: a command parked further on is routed again, and must not take a second SKIP.
      command.silent(client.dropsNextReply());
    }
    if (hello && client.pinned() != null) {
      helloWhilePinned(client, command, client.pinned());
      return;
    }
    if (proxyCommands.handlesBeforeLookup(command)) {
      // One of a few fixed names: safe to use the client's bytes as a metric label.
      command.name(command.argLower(0), false);
      proxyCommands.answer(client, command, null, state);
      return;
    }
    Pinned pinned = client.pinned();
    CommandSpec spec = commandTable.find(command);
    if (spec != null) {
      command.name(spec.name(), spec.skipsSlowlog());
    }
    if (spec == null || !spec.arityOk(command.argc())) {
      Buffer error = spec == null ? Errors.unknownCommand(command) : Errors.wrongArity(spec.name());
      if (pinned != null && pinned.inMulti()) {
        transactions.refuse(client, command, pinned, error);
      } else {
        client.complete(command, error);
      }
      return;
    }
    if (!spec.hasFlag("no_auth") && proxyCommands.mustAuthenticate(client)) {
      client.complete(command, Errors.NOAUTH);
      return;
    }
    client.lastCommand(spec.name());
    if (spec.name().equals("reset")) {
      reset(client, command);
      return;
    }
    Buffer refusal = ClusterModeRefusals.refusal(spec, command);
    if (refusal != null) {
      if (pinned != null && pinned.inMulti()) {
        // A cluster node queues it and fails it in EXEC's reply; the rest of the transaction runs.
        transactions.queueReply(client, command, pinned, refusal);
      } else {
        client.complete(command, refusal);
      }
      return;
    }
    if (pinned != null && pinned.inMulti() && !proxyCommands.answersInTransaction(spec)) {
      routeInTransaction(client, command, spec, pinned, state);
      return;
    }
    if (pinned != null && pinned.subscribed() && client.protocol() == 2 && !spec.name().equals("quit")) {
      routeSubscribed(client, command, spec, pinned, state);
      return;
    }
    if (proxyCommands.handles(client, spec, command)) {
      proxyCommands.answer(client, command, spec, state);
      return;
    }
    if (!state.configured()) {
      counters.clusterDown();
      client.complete(command, Errors.CLUSTER_DOWN);
      return;
    }
    String backend = backendFor(client, command, spec, state.table());
    if (backend == null) {
      return;
    }
    if (pinned == null && Dedicated.needs(spec, command)) {
      if (client.waitingBefore(command)) {
        client.park(command);
        return;
      }
      pinned = new Pinned(backend);
      client.pinned(pinned);
      lostSlots.pinned(client);
    }
    if (pinned != null && !pinned.backend().equals(backend)) {
      client.complete(command, Errors.OTHER_BACKEND);
      return;
    }
    if (pinned != null) {
      if (spec.name().equals("client|tracking")) {
        pinned.tracking(true);
        // Redis may keep tracking whatever the proxy believes (an OFF it refuses, an ON inside
        // MULTI): the connection must not carry this client's invalidations to another.
        pinned.spoil();
      } else if (spec.name().equals("monitor")) {
        pinned.monitoring(true);
      }
      transactions.track(pinned, spec);
      command.mayBlock(Dedicated.mayBlock(spec, command));
      if (command.mayBlock()) {
        int keys = keySlot(spec, command);
        pinned.blocking(command, keys < 0 ? Pinned.NO_SLOT : keys);
      }
      if (command.mayBlock() && client.inputEnded()) {
        // Its end of stream came before this command was routed.
        client.closeBefore(command);
        return;
      }
    }
    if (Subscriptions.isPubSub(spec.name())) {
      if (pinned != null) {
        follow(client, command, pinned.subscriptions().apply(spec.name(), command));
      } else {
        command.pubsubFrames(Subscriptions.framesWhenNotSubscribed(command));
      }
    }
    forwarder.add(client, backend, command);
    if (spec.name().equals("publish")) {
      peerPublish.relay(command, state.table().peers());
    }
  }

  /**
   * HELLO from a client holding its own connection. Subscribed in RESP2, Redis refuses it (only
   * pub/sub commands are allowed there), so Redis answers. Otherwise the proxy answers and tells
   * the connection to switch too, since Redis's replies are relayed as they are; that connection
   * is then not pooled again. The proxy's answer waits for Redis's: until then, what Redis pushes
   * (a subscriber's messages) is still in the old protocol, which the client must still expect.
   * Waiting also keeps the connection the client's until the switch is done.
   */
  private void helloWhilePinned(Client client, Command command, Pinned pinned) {
    if (pinned.subscribed() && client.protocol() == 2) {
      forwarder.add(client, pinned.backend(), command);
      return;
    }
    Buffer reply = proxyCommands.hello(client, command);
    if (command.argc() < 2 || reply.getByte(0) == '-') {
      client.complete(command, reply);
      return;
    }
    Command switchProtocol = Command.of(new byte[][] {"HELLO".getBytes(StandardCharsets.US_ASCII),
        command.argBytes(1)});
    switchProtocol.sink(new RewritingSink(client, command,
        redis -> redis.length() > 0 && redis.getByte(0) == '-' ? redis : reply));
    forwarder.add(client, pinned.backend(), switchProtocol);
    pinned.spoil();
  }

  /**
   * A command from a co-deployed verticle (see EventBusApi.COMMAND): routed as a client's, but
   * with no connection of its own, so commands that need one are refused.
   */
  void routeFromBus(Message<JsonArray> message, long id) {
    JsonArray body = message.body();
    if (body == null || body.isEmpty()) {
      message.fail(0, "ERR a command is a non-empty JSON array of strings");
      return;
    }
    String[] args = new String[body.size()];
    for (int i = 0; i < args.length; i++) {
      Object arg = body.getValue(i);
      if (arg == null) {
        message.fail(0, "ERR argument " + i + " is null");
        return;
      }
      args[i] = arg.toString();
    }
    Command command = Command.of(args);
    CommandSpec spec = commands.current().find(command);
    String name = spec != null ? spec.name() : command.argLower(0);
    if (spec != null && Dedicated.needs(spec, command) || BUS_REFUSED.contains(name) || name.startsWith("client")) {
      message.fail(0, "ERR '" + name + "' needs a connection of its own: use a Redis client");
      return;
    }
    BusClient client = new BusClient(id, message);
    command.sink(client);
    route(client, List.of(command));
  }

  /** Connection-state commands a single event-bus message cannot carry. */
  private static final Set<String> BUS_REFUSED = Set.of("exec", "discard", "unwatch", "quit", "reset", "hello",
      "auth", "umctl", "select", "unsubscribe", "punsubscribe", "sunsubscribe", "readonly", "readwrite", "asking");

  /**
   * RESET forgets the connection's state. A client holding a Redis connection resets it there,
   * in order after what it sent before; that connection is then closed, not pooled.
   */
  private void reset(Client client, Command command) {
    client.reset();
    command.silent(false);
    Pinned pinned = client.pinned();
    if (pinned == null) {
      client.complete(command, Errors.RESET);
    } else {
      pinned.reset();
      forwarder.add(client, pinned.backend(), command);
    }
  }

  /**
   * A subscribed connection: Redis itself refuses what it does not allow there, so everything
   * goes to it, in order; shard channels still have to be this proxy's.
   */
  private void routeSubscribed(Client client, Command command, CommandSpec spec, Pinned pinned,
      ClusterState state) {
    String name = spec.name();
    if (name.equals("ssubscribe") || name.equals("sunsubscribe")) {
      String backend = backendFor(client, command, spec, state.table());
      if (backend == null) {
        return;
      }
      if (!backend.equals(pinned.backend())) {
        client.complete(command, Errors.OTHER_BACKEND);
        return;
      }
    }
    if (Subscriptions.isPubSub(name)) {
      follow(client, command, pinned.subscriptions().apply(name, command));
    }
    forwarder.add(client, pinned.backend(), command);
  }

  private static boolean unsubscribesAll(Client client, Command command) {
    return command.argc() == 1 && client.pinned() != null && (command.argIs(0, "unsubscribe")
        || command.argIs(0, "punsubscribe") || command.argIs(0, "sunsubscribe"));
  }

  /** Tells the connection how many frames answer a pub/sub command; undoes it if Redis refuses it. */
  private static void follow(Client client, Command command, Subscriptions.Change change) {
    command.pubsubFrames(change.frames());
    command.sink(new RewritingSink(client, command, reply -> {
      if (reply.length() > 0 && reply.getByte(0) == '-') {
        change.undo();
      }
      return reply;
    }));
  }

  /**
   * Between MULTI and EXEC, Redis queues every command. As on a cluster node, a command for
   * another node's slot is refused with MOVED and dooms the transaction, and EXEC of commands of
   * two slots fails with CROSSSLOT.
   */
  private void routeInTransaction(Client client, Command command, CommandSpec spec, Pinned pinned,
      ClusterState state) {
    if (spec.name().equals("exec") || spec.name().equals("discard")) {
      relayPublishesIfRun(client, command, spec, pinned.takePublishes(), state.table().peers());
    }
    if (transactions.endsTransaction(client, command, spec, pinned, state.table())) {
      return;
    }
    Buffer nodeReply = ProxyCommands.connectionReply(spec, command);
    if (nodeReply != null) {
      transactions.queueReply(client, command, pinned, nodeReply);
      return;
    }
    if (spec.name().equals("client|tracking")) {
      // Run at EXEC: the connection stays the client's, for its invalidations, and is never pooled.
      pinned.tracking(true);
      pinned.spoil();
    }
    if (Subscriptions.isPubSub(spec.name())) {
      transactions.refuse(client, command, pinned, Errors.notSupported("pub/sub inside MULTI"));
      return;
    }
    int keySlot = keySlot(spec, command);
    Buffer refusal = null;
    if (keySlot == CROSS_SLOT) {
      counters.crossSlot();
      refusal = Errors.CROSSSLOT;
    } else if (keySlot != NO_KEY) {
      refusal = transactions.slotRefusal(keySlot, state.table(), pinned);
      if (refusal == null) {
        pinned.queuedSlot(keySlot);
      }
    }
    if (refusal != null) {
      transactions.refuse(client, command, pinned, refusal);
    } else {
      transactions.track(pinned, spec);
      forwarder.add(client, pinned.backend(), command);
      if (spec.name().equals("publish") && !state.table().peers().isEmpty()) {
        pinned.queuedPublish(command);
      }
    }
  }

  /**
   * A PUBLISH inside MULTI reaches the other proxies' subscribers too, as a node's reaches the
   * whole cluster, but only once EXEC has run it: not after DISCARD, an aborted EXEC (a WATCHed
   * key changed) or EXECABORT.
   */
  private void relayPublishesIfRun(Client client, Command end, CommandSpec spec, List<Command> publishes,
      List<String> peers) {
    if (!spec.name().equals("exec") || publishes.isEmpty() || peers.isEmpty()) {
      return;
    }
    end.sink(new RewritingSink(client, end, reply -> {
      boolean ran = reply.length() > 1 && reply.getByte(0) == '*' && reply.getByte(1) != '-';
      if (ran) {
        // Replies arrive in tasks of their own, never while a batch is being routed, so the
        // forwarder holds nothing but these relays here.
        publishes.forEach(publish -> peerPublish.relay(publish, peers));
        forwarder.send(client);
      }
      return reply;
    }));
  }

  /**
   * The Redis a command goes to, or null after answering it (MOVED, CROSSSLOT, ...). A pinned
   * client's keyless commands go to its own connection's Redis.
   */
  private String backendFor(Client client, Command command, CommandSpec spec, SlotTable table) {
    int keySlot = keySlot(spec, command);
    if (keySlot == CROSS_SLOT) {
      counters.crossSlot();
      client.complete(command, Errors.CROSSSLOT);
      return null;
    }
    if (keySlot == NO_KEY) {
      // Keyless commands run on the local Redis, as they would on a cluster node.
      String redis = client.pinned() != null ? client.pinned().backend() : table.defaultRedis();
      if (redis == null) {
        counters.clusterDown();
        client.complete(command, Errors.SLOT_NOT_SERVED);
      }
      return redis;
    }
    SlotOwner owner = table.owner(keySlot);
    if (owner == null) {
      counters.clusterDown();
      client.complete(command, Errors.SLOT_NOT_SERVED);
      return null;
    }
    if (!owner.isLocal()) {
      counters.moved();
      client.complete(command, Errors.moved(keySlot, owner.address()));
      return null;
    }
    return owner.address();
  }

  /** The slot of the command's keys (of its channels, for sharded pub/sub), NO_KEY or CROSS_SLOT. */
  private int keySlot(CommandSpec spec, Command command) {
    visiting = command;
    slot = NO_KEY;
    String name = spec.name();
    if (name.equals("ssubscribe") || name.equals("sunsubscribe") || name.equals("spublish")) {
      spec.forEachShardChannel(command, this);
    } else {
      spec.forEachKey(command, this);
    }
    visiting = null;
    return slot;
  }

  @Override
  public void key(int argIndex) {
    if (slot == CROSS_SLOT) {
      return;
    }
    int s = visiting.array() != null
        ? SlotHash.slot(visiting.array(), visiting.arrayIndex(argIndex), visiting.argLength(argIndex))
        : SlotHash.slot(visiting.frame(), visiting.argOffset(argIndex), visiting.argLength(argIndex));
    slot = slot == NO_KEY || slot == s ? s : CROSS_SLOT;
  }
}
