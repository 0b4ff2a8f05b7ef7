package io.crescent.route;

import io.crescent.resp.Command;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A client that holds a backend connection of its own, because it has state on it (a
 * transaction, watched keys, subscriptions) or may block it (BLPOP, WAIT). Everything the client forwards goes
 * over that connection, in order, until the connection is idle and clean again.
 */
public final class Pinned {

  static final int NO_SLOT = -1;

  private final String backend;
  private boolean inMulti;
  private boolean watching;
  /** Slot of the keys queued in the transaction so far, or NO_SLOT. */
  private int multiSlot = NO_SLOT;
  /** The transaction touched keys of two slots: EXEC must fail with CROSSSLOT. */
  private boolean multiCrossSlot;
  private final Subscriptions subscriptions = new Subscriptions();
  private boolean tracking;
  /** MONITOR: the connection streams Redis's command log until RESET or close. */
  private boolean monitoring;
  /** RESET changed the connection's protocol or state in ways the pool cannot know: close it. */
  private boolean spoiled;
  /** Commands the proxy sent on the connection itself, not answered yet: it is not idle. */
  private int ownCommands;
  /**
   * Commands sent that may block (BLPOP, WAIT), oldest first, until answered: Redis blocks on the
   * first, and runs the next once it is answered.
   */
  private final ArrayDeque<Blocking> blocking = new ArrayDeque<>(1);

  /** A command that may block, the slot of its keys (or NO_SLOT), and whether it is being woken. */
  static final class Blocking {

    final Command command;
    final int slot;
    boolean waking;

    Blocking(Command command, int slot) {
      this.command = command;
      this.slot = slot;
    }
  }
  /**
   * PUBLISHes queued in the transaction, copied out of the client's read buffers (which they
   * would otherwise keep alive): relayed to the peers once EXEC has run them.
   */
  private List<Command> publishes = new ArrayList<>();

  Pinned(String backend) {
    this.backend = backend;
  }

  String backend() {
    return backend;
  }

  boolean inMulti() {
    return inMulti;
  }

  void beginMulti() {
    publishes.clear();
    inMulti = true;
    multiSlot = NO_SLOT;
    multiCrossSlot = false;
  }

  /** EXEC or DISCARD: the transaction is over and, as in Redis, every key is unwatched. */
  void endMulti() {
    inMulti = false;
    watching = false;
  }

  void watching(boolean watching) {
    this.watching = watching;
  }

  void queuedPublish(Command publish) {
    publishes.add(Command.of(new byte[][] {publish.argBytes(0), publish.argBytes(1), publish.argBytes(2)}));
  }

  /** The PUBLISHes queued since MULTI, taken out: the transaction ends. */
  List<Command> takePublishes() {
    List<Command> taken = publishes;
    publishes = new ArrayList<>();
    return taken;
  }

  void queuedSlot(int slot) {
    if (multiSlot == NO_SLOT) {
      multiSlot = slot;
    } else if (multiSlot != slot) {
      multiCrossSlot = true;
    }
  }

  boolean multiCrossSlot() {
    return multiCrossSlot;
  }

  /** Slot of the keys queued in the transaction, or NO_SLOT if none was queued. */
  int multiSlot() {
    return multiSlot;
  }

  Subscriptions subscriptions() {
    return subscriptions;
  }

  /** In subscribed mode, where Redis accepts only pub/sub commands, PING, QUIT and RESET. */
  boolean subscribed() {
    return subscriptions.active();
  }

  void tracking(boolean on) {
    tracking = on;
  }

  boolean tracking() {
    return tracking;
  }

  void monitoring(boolean on) {
    monitoring = on;
  }

  /** After RESET: Redis forgot everything, and so do we; the connection is not reused. */
  void reset() {
    publishes.clear();
    inMulti = false;
    watching = false;
    tracking = false;
    monitoring = false;
    subscriptions.clear();
    spoiled = true;
  }

  /** The connection's protocol changed: it cannot go back to the pool it came from. */
  void spoil() {
    spoiled = true;
  }

  public boolean spoiled() {
    return spoiled;
  }

  void blocking(Command command, int slot) {
    blocked();
    blocking.add(new Blocking(command, slot));
  }

  /** The commands that may block and are not answered yet, oldest first. */
  ArrayDeque<Blocking> blocked() {
    // Replies come in order on the connection: the answered ones are the oldest.
    while (!blocking.isEmpty() && blocking.peek().command.answered()) {
      blocking.poll();
    }
    return blocking;
  }

  void ownCommandSent() {
    ownCommands++;
  }

  void ownCommandAnswered() {
    ownCommands--;
  }

  /** Nothing on the connection outlives the commands already answered. */
  public boolean clean() {
    return !inMulti && !watching && !tracking && !monitoring && !subscriptions.active() && ownCommands == 0;
  }
}
