package io.crescent.server;

import io.crescent.config.ConfigStore;
import io.crescent.resp.Command;
import io.crescent.resp.RequestParser;
import io.crescent.route.Client;
import io.crescent.route.Pinned;

import java.util.ArrayList;
import java.util.List;

/**
 * What the router reads and sets of a client connection, kept as plain fields: its name, RESP
 * version, reply mode, authentication, own backend connection and the commands parked until it
 * may use it. {@link ClientSession} adds the socket, the reading and the replies.
 */
abstract class ClientState implements Client {

  private final long id;
  private final int lane;
  private final ConfigStore settings;
  /** Applies Redis's limits to a client yet to authenticate. */
  private final RequestParser parser;
  private final long createdMillis = System.currentTimeMillis();
  // Read by CLIENT LIST on other threads: a slightly stale value there is fine, a lock is not.
  private long lastReadMillis = createdMillis;
  private String lastCommand = "NULL";

  private String name = "";
  private int protocol = 2;
  private ReplyMode replyMode = ReplyMode.ON;
  private boolean authenticated;
  private boolean admin;
  private Pinned pinned;
  /** Commands held until every command before the first of them is answered. */
  private List<Command> parked = new ArrayList<>();
  /** An empty batch is on its way to the router to take the parked commands. */
  private boolean unparkRequested;

  ClientState(long id, int lane, ConfigStore settings, RequestParser parser) {
    this.id = id;
    this.lane = lane;
    this.settings = settings;
    this.parser = parser;
    this.authenticated = noPasswordRequired();
    parser.unauthenticated(!authenticated);
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public int lane() {
    return lane;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void name(String name) {
    this.name = name;
  }

  @Override
  public boolean authenticated() {
    return authenticated;
  }

  @Override
  public boolean admin() {
    return admin;
  }

  @Override
  public void authenticated(boolean asAdmin) {
    authenticated = true;
    admin = asAdmin;
    parser.unauthenticated(false);
  }

  @Override
  public Pinned pinned() {
    return pinned;
  }

  @Override
  public void pinned(Pinned pinned) {
    this.pinned = pinned;
  }

  @Override
  public void park(Command command) {
    parked.add(command);
  }

  @Override
  public boolean parking() {
    return !parked.isEmpty();
  }

  @Override
  public List<Command> unpark() {
    if (parked.isEmpty() || waitingBefore(parked.get(0))) {
      return List.of();
    }
    List<Command> ready = parked;
    parked = new ArrayList<>();
    unparkRequested = false;
    return ready;
  }

  /** True, once, when the parked commands may go and no batch to take them was asked for yet. */
  final boolean unparkDue() {
    if (!parked.isEmpty() && !unparkRequested && !waitingBefore(parked.get(0))) {
      unparkRequested = true;
      return true;
    }
    return false;
  }

  /** The parked commands will never be routed: the connection closes before them. */
  final void dropParked() {
    parked.clear();
  }

  @Override
  public int protocol() {
    return protocol;
  }

  @Override
  public void protocol(int version) {
    protocol = version;
  }

  @Override
  public void replyMode(ReplyMode mode) {
    replyMode = mode;
  }

  @Override
  public boolean dropsNextReply() {
    if (replyMode == ReplyMode.SKIP) {
      replyMode = ReplyMode.ON;
      return true;
    }
    return replyMode == ReplyMode.OFF;
  }

  /**
   * As on Redis, a connection made (or RESET) while no password is required counts as
   * authenticated, and stays so when a reload sets a password.
   */
  private boolean noPasswordRequired() {
    return !settings.current().passwords().clientRequired();
  }

  @Override
  public void reset() {
    protocol = 2;
    name = "";
    authenticated = noPasswordRequired();
    parser.unauthenticated(!authenticated);
    admin = false;
    replyMode = ReplyMode.ON;
  }

  final void sentSomething() {
    lastReadMillis = System.currentTimeMillis();
    if (!authenticated && noPasswordRequired()) {
      // As Redis, which asks at every command: a reload removed the password.
      parser.unauthenticated(false);
    }
  }

  @Override
  public void lastCommand(String name) {
    lastCommand = name;
  }

  @Override
  public String lastCommand() {
    return lastCommand;
  }

  @Override
  public long ageMillis() {
    return System.currentTimeMillis() - createdMillis;
  }

  @Override
  public long idleMillis() {
    return System.currentTimeMillis() - lastReadMillis;
  }
}
