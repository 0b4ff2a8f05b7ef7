package io.crescent.route;

import io.crescent.resp.Command;
import io.crescent.resp.Numbers;
import io.crescent.resp.Resp;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * CLIENT subcommands about the client's own connection, which is a connection to the proxy, not
 * to Redis: answered from the proxy's sessions. Anything else (HELP, PAUSE, unknown
 * subcommands) is for the local Redis, which answers it as a cluster node would; null says so.
 */
final class ClientCommands {

  private static final Buffer BAD_NAME =
      Resp.error("ERR Client names cannot contain spaces, newlines or special characters.");
  private static final Buffer SYNTAX = Resp.error("ERR syntax error");
  private static final Buffer NO_SUCH_CLIENT = Resp.error("ERR No such client");
  private static final Buffer CACHING_WITHOUT_TRACKING = Resp.error("ERR CLIENT CACHING can be called only "
      + "when the client is in tracking mode with OPTIN or OPTOUT mode enabled");
  private static final Buffer MINUS_ONE = Resp.integer(-1);
  private static final Buffer TRACKING_RESP2 = Resp.error("ERR Crescent supports CLIENT TRACKING in RESP3 only "
      + "(HELLO 3): in RESP2 it needs REDIRECT to a connection the proxy does not expose");

  private final ClientRegistry registry;

  ClientCommands(ClientRegistry registry) {
    this.registry = registry;
  }

  /** The reply, or null when the local Redis should answer. */
  Buffer answer(Client client, Command command) {
    String sub = command.argc() > 1 ? command.argLower(1) : "";
    return switch (sub) {
      case "setname" -> setName(client, command.argString(2));
      case "getname" -> client.name().isEmpty() ? Resp.nullBulk(client.protocol()) : Resp.bulk(client.name());
      case "id" -> Resp.integer(client.id());
      // Clients (Jedis, redis-py) announce their library; Redis 7.2 accepts it, so do we.
      case "setinfo" -> command.argc() == 4 ? Resp.OK : Errors.wrongArity("client|setinfo");
      case "info" -> Resp.verbatim(describe(client) + "\n", client.protocol());
      case "list" -> list(client, command);
      case "kill" -> kill(client, command);
      case "no-evict" -> onOff(command) ? Resp.OK : SYNTAX;
      case "reply" -> reply(client, command);
      // With tracking on, the client's own Redis connection holds the tracking state.
      case "getredir", "caching", "trackinginfo", "tracking" -> tracking(client, command, sub);
      case "unblock" -> unblock(command);
      default -> null;
    };
  }

  private static Buffer reply(Client client, Command command) {
    Client.ReplyMode mode = command.argIs(2, "on") ? Client.ReplyMode.ON
        : command.argIs(2, "off") ? Client.ReplyMode.OFF
        : command.argIs(2, "skip") ? Client.ReplyMode.SKIP : null;
    if (command.argc() != 3 || mode == null) {
      return SYNTAX;
    }
    client.replyMode(mode);
    command.silent(mode != Client.ReplyMode.ON);
    return Resp.OK;
  }

  /** Tracking off (the proxy's answers), or on over the client's own connection (null: relay). */
  private static Buffer tracking(Client client, Command command, String sub) {
    Pinned pinned = client.pinned();
    if (pinned != null && pinned.tracking()) {
      if (sub.equals("tracking") && command.argIs(2, "off")) {
        pinned.tracking(false);
      }
      return null;
    }
    return switch (sub) {
      case "getredir" -> MINUS_ONE;
      case "caching" -> CACHING_WITHOUT_TRACKING;
      case "trackinginfo" -> trackingInfo(client.protocol());
      default -> command.argIs(2, "off") ? Resp.OK : TRACKING_RESP2;
    };
  }

  /** Tracking ON in RESP3 goes to Redis over a connection of the client's own (see Dedicated). */
  static boolean startsTracking(Client client, Command command) {
    return client.protocol() == 3 && command.argc() >= 3 && command.argIs(1, "tracking") && command.argIs(2, "on");
  }

  static Buffer setName(Client client, String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '!' || c > '~') {
        return BAD_NAME;
      }
    }
    client.name(name);
    return Resp.OK;
  }

  private static boolean onOff(Command command) {
    return command.argc() == 3 && (command.argIs(2, "on") || command.argIs(2, "off"));
  }

  /** CLIENT LIST [TYPE normal|pubsub|...] [ID id ...]: this proxy's clients. */
  private Buffer list(Client self, Command command) {
    List<Client> clients = registry.all();
    if (command.argc() > 3 && command.argIs(2, "id")) {
      clients = clients.stream().filter(c -> hasIdArg(command, 3, c.id())).toList();
    } else if (command.argc() == 4 && command.argIs(2, "type")) {
      boolean pubsub = command.argIs(3, "pubsub");
      if (!pubsub && !command.argIs(3, "normal")) {
        return clients.isEmpty() || command.argIs(3, "master") || command.argIs(3, "replica")
            || command.argIs(3, "slave") ? Resp.verbatim("", self.protocol()) : SYNTAX;
      }
      clients = clients.stream().filter(c -> subscribed(c) == pubsub).toList();
    } else if (command.argc() != 2) {
      return SYNTAX;
    }
    StringBuilder text = new StringBuilder();
    for (Client c : clients) {
      text.append(describe(c)).append('\n');
    }
    return Resp.verbatim(text.toString(), self.protocol());
  }

  private static boolean hasIdArg(Command command, int from, long id) {
    for (int i = from; i < command.argc(); i++) {
      if (Numbers.parseLong(command, i) == id) {
        return true;
      }
    }
    return false;
  }

  /** CLIENT KILL addr (old form) or with ID/ADDR/LADDR/SKIPME filters: closes proxy clients. */
  private Buffer kill(Client self, Command command) {
    if (command.argc() == 3) {
      String addr = command.argString(2);
      for (Client c : registry.all()) {
        if (c.address().equals(addr)) {
          kill(c, self, command);
          return Resp.OK;
        }
      }
      return NO_SUCH_CLIENT;
    }
    if (command.argc() % 2 != 0) {
      return SYNTAX;
    }
    long killed = 0;
    boolean skipMe = true;
    for (Client c : registry.all()) {
      boolean match = true;
      for (int i = 2; i < command.argc(); i += 2) {
        String value = command.argString(i + 1);
        if (command.argIs(i, "id")) {
          match &= Long.toString(c.id()).equals(value);
        } else if (command.argIs(i, "addr")) {
          match &= c.address().equals(value);
        } else if (command.argIs(i, "laddr")) {
          match &= c.localAddress().equals(value);
        } else if (command.argIs(i, "skipme")) {
          skipMe = !value.equalsIgnoreCase("no");
        } else {
          return SYNTAX;
        }
      }
      if (match && !(skipMe && c == self)) {
        kill(c, self, command);
        killed++;
      }
    }
    return Resp.integer(killed);
  }

  /** As Redis: a client that kills itself gets the reply first. */
  private static void kill(Client c, Client self, Command command) {
    if (c == self) {
      self.closeAfter(command);
    } else {
      c.kill();
    }
  }

  private static Buffer trackingInfo(int protocol) {
    Buffer out = Resp.appendMapHeader(Buffer.buffer(), 3, protocol);
    Resp.appendBulk(out, "flags");
    Resp.appendArrayHeader(out, 1);
    Resp.appendBulk(out, "off");
    Resp.appendBulk(out, "redirect");
    Resp.appendInteger(out, -1);
    Resp.appendBulk(out, "prefixes");
    return Resp.appendArrayHeader(out, 0);
  }

  /** Unblocking a client blocked on its own backend connection is not relayed yet. */
  private Buffer unblock(Command command) {
    Client target = registry.get(Numbers.parseLong(command, 2));
    return target != null && target.pinned() != null ? Errors.notSupported("CLIENT UNBLOCK of a blocked client")
        : Resp.ZERO;
  }

  private static boolean subscribed(Client client) {
    Pinned pinned = client.pinned();
    return pinned != null && pinned.subscribed();
  }

  /** One line in Redis's CLIENT LIST format; figures the proxy does not keep are 0. */
  private static String describe(Client c) {
    Pinned pinned = c.pinned();
    Subscriptions subs = pinned == null ? null : pinned.subscriptions();
    String flags = pinned == null ? "N" : pinned.inMulti() ? "x" : pinned.subscribed() ? "P" : "N";
    return "id=" + c.id() + " addr=" + c.address() + " laddr=" + c.localAddress() + " fd=-1 name=" + c.name()
        + " age=" + c.ageMillis() / 1000 + " idle=" + c.idleMillis() / 1000 + " flags=" + flags
        + " db=0 sub=" + (subs == null ? 0 : subs.channels()) + " psub=" + (subs == null ? 0 : subs.patterns())
        + " ssub=" + (subs == null ? 0 : subs.shardChannels())
        + " multi=" + (pinned != null && pinned.inMulti() ? 0 : -1)
        + " qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r"
        + " cmd=" + c.lastCommand() + " user=" + (c.admin() ? "admin" : "default") + " redir=-1 resp=" + c.protocol();
  }
}
