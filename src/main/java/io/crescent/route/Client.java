package io.crescent.route;

import io.crescent.resp.Command;
import io.crescent.resp.ReplySink;

import java.util.List;

/** What the router may know and change of a client connection. */
public interface Client extends ReplySink {

  String name();

  void name(String name);

  /** True once the client has sent a valid AUTH (never needed when no password is set). */
  boolean authenticated();

  /** True once the client has authenticated as the administrator. */
  boolean admin();

  void authenticated(boolean asAdmin);

  /** The client's own backend connection state, or null while it shares connections. */
  Pinned pinned();

  void pinned(Pinned pinned);

  /** True when an earlier command of this client has no reply yet. */
  boolean waitingBefore(Command command);

  /**
   * Holds {@code command} and everything after it until every earlier command is answered, then
   * routes them again: switching to a connection of its own must not overtake commands still in
   * flight on a shared one.
   */
  void park(Command command);

  boolean parking();

  /**
   * The parked commands, taken out, once every command before them is answered; otherwise none.
   * The router routes them before anything it has not routed yet.
   */
  List<Command> unpark();

  /**
   * Which shared backend connection carries this client's commands: handed out round-robin by
   * the accepting loop, so every connection of a pool is used; fixed for the client's life, so
   * its commands stay in order.
   */
  int lane();

  /**
   * The connection is closed, or closes before answering anything more: what it sent and was not
   * yet routed is dropped.
   */
  boolean closed();

  /** The client sent its end of stream: it is answered what it sent, then closed. */
  boolean inputEnded();

  /** The RESP version the client chose with HELLO: 2 (the default) or 3. */
  int protocol();

  void protocol(int version);

  /** CLIENT REPLY: ON, OFF (no replies) or SKIP (none for the next command). */
  enum ReplyMode { ON, OFF, SKIP }

  void replyMode(ReplyMode mode);

  /** Whether the reply of the command being routed is to be dropped; consumes a SKIP. */
  boolean dropsNextReply();

  /** RESET: protocol 2, no name, not authenticated, replies on. */
  void reset();

  /** The command being routed, for CLIENT INFO's cmd field. */
  void lastCommand(String name);

  String lastCommand();

  /** Remote and local addresses, as host:port. */
  String address();

  String localAddress();

  /** Milliseconds since the connection was accepted, and since its last command. */
  long ageMillis();

  long idleMillis();

  /** Closes the connection; safe from any thread (CLIENT KILL). */
  void kill();

  /**
   * Closes the connection once {@code command} is answered, reading and routing nothing more
   * (CLIENT KILL of itself).
   */
  void closeAfter(Command command);

  /**
   * Closes the connection once every command before {@code command} is answered; it and what
   * follows get no reply (a client whose stream ended, reaching a command that may block).
   */
  void closeBefore(Command command);
}
