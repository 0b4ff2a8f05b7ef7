package io.crescent.route;

import io.crescent.cluster.SlotHash;
import io.crescent.cluster.SlotTable;
import io.crescent.resp.Command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The channels, patterns and shard channels a client is subscribed to, followed command by
 * command in the order Redis runs them. It tells how many frames Redis answers a pub/sub command
 * with, and when the connection leaves subscribed mode.
 */
final class Subscriptions {

  private final Set<String> channels = new HashSet<>();
  private final Set<String> patterns = new HashSet<>();
  private final Set<String> shardChannels = new HashSet<>();

  static boolean isPubSub(String name) {
    return switch (name) {
      case "subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe" -> true;
      default -> false;
    };
  }

  static boolean subscribes(String name) {
    return name.equals("subscribe") || name.equals("psubscribe") || name.equals("ssubscribe");
  }

  int channels() {
    return channels.size();
  }

  int patterns() {
    return patterns.size();
  }

  int shardChannels() {
    return shardChannels.size();
  }

  void clear() {
    channels.clear();
    patterns.clear();
    shardChannels.clear();
  }

  boolean active() {
    return !channels.isEmpty() || !patterns.isEmpty() || !shardChannels.isEmpty();
  }

  /**
   * What one pub/sub command changed, and how many frames Redis answers it with: one per
   * argument, or, for an UNSUBSCRIBE without arguments, one per subscription dropped (at least
   * one). Undone when Redis refuses the whole command (-NOPERM, -BUSY): it then sends one error
   * frame and subscribes or drops nothing, and counting on the change would leave the frames of
   * later pub/sub commands, and every reply after them, out of step.
   */
  record Change(int frames, Set<String> set, List<String> added, List<String> removed) {

    void undo() {
      added.forEach(set::remove);
      set.addAll(removed);
    }
  }

  /** Applies a pub/sub command, as Redis will run it. */
  Change apply(String name, Command command) {
    Set<String> set = switch (name) {
      case "subscribe", "unsubscribe" -> channels;
      case "psubscribe", "punsubscribe" -> patterns;
      default -> shardChannels;
    };
    int args = command.argc() - 1;
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    if (subscribes(name)) {
      for (int i = 1; i <= args; i++) {
        String channel = rawName(command, i);
        if (set.add(channel)) {
          added.add(channel);
        }
      }
      return new Change(args, set, added, removed);
    }
    if (args == 0) {
      removed.addAll(set);
      set.clear();
      return new Change(Math.max(removed.size(), 1), set, added, removed);
    }
    for (int i = 1; i <= args; i++) {
      String channel = rawName(command, i);
      if (set.remove(channel)) {
        removed.add(channel);
      }
    }
    return new Change(args, set, added, removed);
  }

  /** The shard channels whose slot {@code backend} no longer serves in {@code table}, as bytes. */
  List<byte[]> shardChannelsNotServedBy(String backend, SlotTable table) {
    List<byte[]> lost = new ArrayList<>();
    for (String channel : shardChannels) {
      byte[] name = channel.getBytes(StandardCharsets.ISO_8859_1);
      if (!table.servedBy(SlotHash.slot(name), backend)) {
        lost.add(name);
      }
    }
    return lost;
  }

  /** Channel names are bytes; Latin-1 keeps every byte, where UTF-8 would merge invalid ones. */
  private static String rawName(Command command, int i) {
    return new String(command.argBytes(i), StandardCharsets.ISO_8859_1);
  }

  /** Frames for an UNSUBSCRIBE sent while subscribed to nothing: one per argument, or one. */
  static int framesWhenNotSubscribed(Command command) {
    return Math.max(command.argc() - 1, 1);
  }
}
