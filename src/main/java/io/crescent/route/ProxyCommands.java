package io.crescent.route;

import io.crescent.admin.Umctl;
import io.crescent.cluster.ClusterReplies;
import io.crescent.cluster.ClusterState;
import io.crescent.cluster.SlotHash;
import io.crescent.command.CommandSpec;
import io.crescent.config.Passwords;
import io.crescent.metrics.RouteCounters;
import io.crescent.resp.Command;
import io.crescent.resp.Numbers;
import io.crescent.resp.ReplySink;
import io.crescent.resp.Resp;
import io.vertx.core.buffer.Buffer;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Commands the proxy answers itself, as a Redis Cluster node would: topology, connection
 * commands, and for now a clear error for commands that need a connection of their own.
 */
final class ProxyCommands {

  /** Commands that would turn a Redis connection into something else; not relayed. */
  private static final Set<String> CONNECTION_STATE = Set.of("sync", "psync", "replconf");

  /** CLUSTER subcommands of Redis 7.0 that describe or change gossip state we do not have. */
  private static final Set<String> CLUSTER_SUBCOMMANDS = Set.of(
      "addslots", "addslotsrange", "bumpepoch", "count-failure-reports", "countkeysinslot",
      "delslots", "delslotsrange", "failover", "flushslots", "forget", "getkeysinslot", "links",
      "meet", "replicas", "replicate", "reset", "saveconfig", "set-config-epoch", "setslot",
      "slaves");

  private static final Set<String> ANSWERED = Set.of(
      "ping", "echo", "quit", "select", "readonly", "readwrite", "asking", "auth", "info", "config|get");

  private static final Buffer CONFIG_SET_PROXY = Resp.error("ERR Crescent: proxy.* settings are read-only "
      + "at run time; change them in the configuration file");
  private static final Buffer UMCTL_NOPERM =
      Resp.error("NOPERM this user has no permissions to run the 'umctl' command");

  private final Supplier<Passwords> passwords;
  private final Handshake handshake;
  private final Umctl umctl;
  private final ClientCommands clientCommands;
  private final ConfigGet configGet;
  private final ClusterReplies clusterReplies;
  private final InfoRewriter info;
  private final Forwarder forwarder;
  private final RouteCounters counters;
  private final SlowLogCommands slowLog;

  ProxyCommands(Supplier<Passwords> passwords, Umctl umctl, ClientCommands clientCommands, ConfigGet configGet,
      ClusterReplies clusterReplies, InfoRewriter info, Forwarder forwarder, RouteCounters counters,
      SlowLogCommands slowLog) {
    this.counters = counters;
    this.slowLog = slowLog;
    this.configGet = configGet;
    this.passwords = passwords;
    this.handshake = new Handshake(passwords);
    this.clientCommands = clientCommands;
    this.umctl = umctl;
    this.clusterReplies = clusterReplies;
    this.info = info;
    this.forwarder = forwarder;
  }

  /** Commands Redis 7.0 does not know, or that must not reach its command table. */
  boolean handlesBeforeLookup(Command command) {
    return command.argc() > 0 && (command.argIs(0, "umctl") || command.argIs(0, "hello")
        || command.argIs(0, PeerPublish.COMMAND));
  }

  boolean handles(Client client, CommandSpec spec, Command command) {
    String name = spec.name();
    if (name.equals("config|set")) {
      return setsProxySetting(command);
    }
    if (name.startsWith("client")) {
      return !ClientCommands.startsTracking(client, command);
    }
    return ANSWERED.contains(name) || CONNECTION_STATE.contains(name) || name.startsWith("cluster")
        || SlowLogCommands.answers(name);
  }

  /**
   * Inside MULTI, Redis queues everything, PING included; the proxy still answers QUIT and AUTH
   * (the proxy's password, not Redis's), and refuses what it cannot relay.
   */
  boolean answersInTransaction(CommandSpec spec) {
    String name = spec.name();
    return name.equals("quit") || name.equals("auth") || CONNECTION_STATE.contains(name);
  }

  /**
   * A cluster node's reply to a connection command that Redis must not run (SELECT 1 would move
   * the connection to another database) or answers otherwise (READONLY); null for the others.
   * Inside MULTI, it is what EXEC's reply holds for the command.
   */
  static Buffer connectionReply(CommandSpec spec, Command command) {
    return switch (spec.name()) {
      case "select" -> select(command);
      case "readonly", "readwrite", "asking" -> Resp.OK;
      default -> null;
    };
  }

  /** HELLO's reply, having switched the client if it succeeds; the caller delivers it. */
  Buffer hello(Client client, Command command) {
    return handshake.hello(client, command);
  }

  void answer(Client client, Command command, CommandSpec spec, ClusterState state) {
    if (spec == null) {
      if (command.argIs(0, "umctl")) {
        client.complete(command, mustAuthenticate(client) ? Errors.NOAUTH
            : passwords.get().adminRequired() && !client.admin() ? UMCTL_NOPERM
            : umctl.execute(command));
      } else if (command.argIs(0, PeerPublish.COMMAND)) {
        if (mustAuthenticate(client)) {
          client.complete(command, Errors.NOAUTH);
        } else if (command.argc() != 3) {
          client.complete(command, Errors.wrongArity(PeerPublish.COMMAND));
        } else {
          Command publish = PeerPublish.localPublish(client, command);
          forwardToLocal(client, publish, publish.sink(), state);
        }
      } else {
        client.complete(command, hello(client, command));
      }
      return;
    }
    String name = spec.name();
    Buffer reply = switch (name) {
      case "ping" -> command.argc() == 1 ? Resp.PONG
          : command.argc() == 2 ? Resp.bulk(command.argBytes(1)) : Errors.wrongArity("ping");
      case "echo" -> Resp.bulk(command.argBytes(1));
      // The session stops reading at QUIT and closes after this reply.
      case "quit" -> Resp.OK;
      case "select", "readonly", "readwrite", "asking" -> connectionReply(spec, command);
      case "auth" -> handshake.auth(client, command);
      case "info" -> {
        forwardInfo(client, command, state);
        yield null;
      }
      case "config|set" -> CONFIG_SET_PROXY;
      case "slowlog|get", "slowlog|len", "slowlog|reset" -> slowLog.answer(command, name);
      case "config|get" -> {
        forwardToLocal(client, command, new RewritingSink(client, command, relayed -> configGet.rewrite(command, relayed)),
            state);
        yield null;
      }
      default -> {
        if (name.startsWith("cluster")) {
          yield cluster(client, command, state);
        } else if (name.startsWith("client")) {
          Buffer own = clientCommands.answer(client, command);
          if (own == null) {
            forwardToLocal(client, command, client, state);
          }
          yield own;
        }
        yield Errors.notSupported("'" + name + "' through the proxy");
      }
    };
    if (reply != null) {
      client.complete(command, reply);
    }
  }

  private static Buffer select(Command command) {
    long index = Numbers.parseLong(command, 1);
    if (index == Numbers.INVALID) {
      return Errors.NOT_INTEGER;
    }
    if (index < Integer.MIN_VALUE || index > Integer.MAX_VALUE) {
      return Errors.NOT_INT_RANGE;
    }
    return index == 0 ? Resp.OK : Errors.SELECT_IN_CLUSTER;
  }

  /** CONFIG SET of any proxy.* parameter: Redis does not know them, and they cannot change yet. */
  private static boolean setsProxySetting(Command command) {
    for (int i = 2; i < command.argc(); i += 2) {
      if (command.argLower(i).startsWith("proxy.")) {
        return true;
      }
    }
    return false;
  }

  boolean mustAuthenticate(Client client) {
    return handshake.mustAuthenticate(client);
  }

  private void forwardInfo(Client client, Command command, ClusterState state) {
    if (!state.configured() || state.table().defaultRedis() == null) {
      client.complete(command, info.proxyOnly(command, state, client.protocol()));
    } else {
      forwardToLocal(client, command, info.rewriting(client, command, state), state);
    }
  }

  private void forwardToLocal(Client client, Command command, ReplySink sink, ClusterState state) {
    String redis = state.configured() ? state.table().defaultRedis() : null;
    command.sink(sink);
    if (redis == null) {
      counters.clusterDown();
      sink.complete(command, state.configured() ? Errors.SLOT_NOT_SERVED : Errors.CLUSTER_DOWN);
      return;
    }
    forwarder.add(client, redis, command);
  }

  private Buffer cluster(Client client, Command command, ClusterState state) {
    String sub = command.argc() > 1 ? command.argLower(1) : "";
    int protocol = client.protocol();
    return switch (sub) {
      case "nodes" -> clusterReplies.nodes(state, protocol);
      case "slots" -> clusterReplies.slots(state, protocol);
      case "shards" -> clusterReplies.shards(state, protocol);
      case "info" -> clusterReplies.info(state, protocol);
      case "myid" -> clusterReplies.myId(state);
      case "keyslot" -> Resp.integer(SlotHash.slot(command.argBytes(2)));
      // No cluster bus, so no links to other nodes.
      case "links" -> Resp.EMPTY_ARRAY;
      // Every node is a master with no replicas, and nothing detects failures.
      case "replicas", "slaves" -> clusterReplies.replicas(state, command.argBytes(2));
      case "count-failure-reports" -> clusterReplies.countFailureReports(state, command.argBytes(2));
      // Keys by slot need an index that comes with slot migration.
      case "countkeysinslot", "getkeysinslot" -> Errors.notSupported("CLUSTER " + sub.toUpperCase()
          + " (it needs a key index by slot, which comes with slot migration)");
      case "help" -> Errors.notSupported("CLUSTER HELP");
      default -> command.argc() > 1 && !isKnownClusterSubcommand(sub)
          ? Errors.unknownSubcommand(command, "CLUSTER")
          : Errors.notSupported("CLUSTER " + sub.toUpperCase());
    };
  }

  private static boolean isKnownClusterSubcommand(String sub) {
    return CLUSTER_SUBCOMMANDS.contains(sub);
  }
}
