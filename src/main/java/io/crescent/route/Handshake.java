package io.crescent.route;

import io.crescent.config.Passwords;
import io.crescent.resp.Command;
import io.crescent.resp.Numbers;
import io.crescent.resp.Resp;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Supplier;

/**
 * AUTH and HELLO, answered as Redis 7.0 answers them with {@code requirepass}: the default user
 * has the proxy's {@code password} (with none, any password is accepted for "default", as with
 * nopass), and the user "admin" has {@code admin_password}, which also opens UMCTL.
 */
final class Handshake {

  /** What HELLO reports: the Redis version whose commands the proxy knows. */
  static final String VERSION = "7.0.15";

  private static final Buffer NO_PASSWORD = Resp.error("ERR AUTH <password> called without any password "
      + "configured for the default user. Are you sure your configuration is correct?");
  private static final Buffer WRONG_PASS =
      Resp.error("WRONGPASS invalid username-password pair or user is disabled.");
  private static final Buffer SYNTAX = Resp.error("ERR syntax error");
  private static final Buffer BAD_VERSION = Resp.error("ERR Protocol version is not an integer or out of range");
  private static final Buffer NOPROTO = Resp.error("NOPROTO unsupported protocol version");
  private static final Buffer HELLO_NOAUTH = Resp.error("NOAUTH HELLO must be called with the client already "
      + "authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the "
      + "client and select the RESP protocol version at the same time");

  /** Read at each check: a reload of the passwords applies to the next AUTH (as CONFIG SET requirepass). */
  private final Supplier<Passwords> passwords;

  Handshake(Supplier<Passwords> passwords) {
    this.passwords = passwords;
  }

  boolean mustAuthenticate(Client client) {
    return !client.authenticated() && passwords.get().clientRequired();
  }

  Buffer auth(Client client, Command command) {
    if (command.argc() > 3) {
      return SYNTAX;
    }
    return command.argc() == 3 ? login(client, command, 1, 2) : login(client, command, -1, 1);
  }

  /** Checks a user (at argument {@code user}, or -1 for "default") and password; OK or an error. */
  private Buffer login(Client client, Command command, int user, int password) {
    byte[] secret = command.argBytes(password);
    Passwords passwords = this.passwords.get();
    if (user >= 0 && command.argIs(user, "admin") && passwords.adminRequired()) {
      return accept(client, matches(secret, passwords.admin()), true);
    }
    if (user >= 0 && !command.argIs(user, "default")) {
      return WRONG_PASS;
    }
    if (!passwords.clientRequired()) {
      return user >= 0 ? accept(client, true, false) : NO_PASSWORD;
    }
    return accept(client, matches(secret, passwords.client()), false);
  }

  /** HELLO [protover [AUTH user pass] [SETNAME name]]: checks in Redis's order, then switches. */
  Buffer hello(Client client, Command command) {
    int protocol = client.protocol();
    if (command.argc() >= 2) {
      long version = Numbers.parseLong(command, 1);
      if (version == Numbers.INVALID) {
        return BAD_VERSION;
      }
      if (version < 2 || version > 3) {
        return NOPROTO;
      }
      protocol = (int) version;
    }
    int user = -1;
    int name = -1;
    for (int j = 2; j < command.argc(); j++) {
      int more = command.argc() - 1 - j;
      if (command.argIs(j, "auth") && more >= 2) {
        user = j + 1;
        j += 2;
      } else if (command.argIs(j, "setname") && more >= 1) {
        name = ++j;
      } else {
        return Resp.error("ERR Syntax error in HELLO option '" + command.argString(j) + "'");
      }
    }
    if (user >= 0) {
      Buffer login = login(client, command, user, user + 1);
      if (login != Resp.OK) {
        return login;
      }
    }
    if (mustAuthenticate(client)) {
      return HELLO_NOAUTH;
    }
    if (name >= 0) {
      Buffer refused = ClientCommands.setName(client, command.argString(name));
      if (refused != Resp.OK) {
        return refused;
      }
    }
    client.protocol(protocol);
    return helloReply(client, protocol);
  }

  private static Buffer helloReply(Client client, int protocol) {
    Buffer out = Resp.appendMapHeader(Buffer.buffer(128), 7, protocol);
    Resp.appendBulk(out, "server");
    Resp.appendBulk(out, "redis");
    Resp.appendBulk(out, "version");
    Resp.appendBulk(out, VERSION);
    Resp.appendBulk(out, "proto");
    Resp.appendInteger(out, protocol);
    Resp.appendBulk(out, "id");
    Resp.appendInteger(out, client.id());
    Resp.appendBulk(out, "mode");
    Resp.appendBulk(out, "cluster");
    Resp.appendBulk(out, "role");
    Resp.appendBulk(out, "master");
    Resp.appendBulk(out, "modules");
    return Resp.appendArrayHeader(out, 0);
  }

  private static Buffer accept(Client client, boolean ok, boolean asAdmin) {
    if (!ok) {
      return WRONG_PASS;
    }
    client.authenticated(asAdmin);
    return Resp.OK;
  }

  /** Compares in constant time, so response timing does not reveal the password. */
  private static boolean matches(byte[] given, String expected) {
    return MessageDigest.isEqual(given, expected.getBytes(StandardCharsets.UTF_8));
  }
}
