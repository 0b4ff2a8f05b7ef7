package io.crescent.route;

import io.crescent.cluster.ClusterState;
import io.crescent.metrics.ProxyMeters;
import io.crescent.resp.Command;
import io.crescent.resp.ReplySink;
import io.crescent.resp.Resp;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * INFO relays the local Redis's sections, says {@code cluster_enabled:1} as a cluster node does,
 * and adds a {@code # Proxy} section about Crescent itself.
 */
final class InfoRewriter {

  private final String announceAddress;
  /** The port a client reaches this node on, where Redis reports its own. */
  private final String tcpPort;
  private final String transport;
  private final ClientRegistry clients;
  private final ProxyMeters meters;

  InfoRewriter(String announceAddress, String transport, ClientRegistry clients, ProxyMeters meters) {
    this.announceAddress = announceAddress;
    this.tcpPort = "tcp_port:" + announceAddress.substring(announceAddress.lastIndexOf(':') + 1);
    this.transport = transport;
    this.clients = clients;
    this.meters = meters;
  }

  /** A sink that rewrites Redis's INFO reply to {@code command} before the client gets it. */
  ReplySink rewriting(Client client, Command command, ClusterState state) {
    return new RewritingSink(client, command, reply -> rewrite(command, reply, state));
  }

  /** The reply when there is no Redis to ask: our own section only. */
  Buffer proxyOnly(Command command, ClusterState state, int protocol) {
    return Resp.verbatim(proxySection(command, state), protocol);
  }

  /** Rewrites a bulk string (RESP2) or a verbatim "txt" string (RESP3); anything else passes. */
  private Buffer rewrite(Command command, Buffer reply, ClusterState state) {
    byte type = reply.length() == 0 ? 0 : reply.getByte(0);
    if (type != '$' && type != '=') {
      return reply;
    }
    int headerEnd = indexOfCrlf(reply, 0);
    int length = Integer.parseInt(reply.getString(1, headerEnd));
    if (length < 0) {
      return reply;
    }
    int start = headerEnd + 2 + (type == '=' ? 4 : 0);
    String text = reply.getString(start, headerEnd + 2 + length, "UTF-8")
        .replace("redis_mode:standalone", "redis_mode:cluster")
        .replaceFirst("tcp_port:\\d+", tcpPort)
        .replace("cluster_enabled:0", "cluster_enabled:1");
    if (wantsProxySection(command)) {
      text = text.isEmpty() ? proxySection(command, state) : text + "\r\n" + proxySection(command, state);
    }
    return Resp.verbatim(text, type == '=' ? 3 : 2);
  }

  private static boolean wantsProxySection(Command command) {
    if (command.argc() == 1) {
      return true;
    }
    for (int i = 1; i < command.argc(); i++) {
      if (command.argIs(i, "proxy") || command.argIs(i, "all") || command.argIs(i, "everything")
          || command.argIs(i, "default")) {
        return true;
      }
    }
    return false;
  }

  private String proxySection(Command info, ClusterState state) {
    StringBuilder sb = new StringBuilder("# Proxy\r\n");
    sb.append("crescent_version:").append(Version.TEXT).append("\r\n");
    sb.append("announce_address:").append(announceAddress).append("\r\n");
    sb.append("transport:").append(transport).append("\r\n");
    sb.append("cluster_configured:").append(state.configured() ? 1 : 0).append("\r\n");
    sb.append("cluster_epoch:").append(state.epoch()).append("\r\n");
    if (state.configured()) {
      sb.append("cluster_name:").append(state.table().clusterName()).append("\r\n");
      sb.append("slots_local:").append(state.table().localSlots()).append("\r\n");
      sb.append("slots_assigned:").append(state.table().assignedSlots()).append("\r\n");
    }
    sb.append("connected_clients:").append(clients.size()).append("\r\n");
    sb.append("total_commands_processed:").append(meters.commandsProcessed()).append("\r\n");
    sb.append("slowlog_len:").append(meters.slowLog().length()).append("\r\n");
    sb.append("replies_held:").append(meters.repliesHeld()).append("\r\n");
    sb.append("frame_memory_used:").append(meters.frameMemoryUsed()).append("\r\n");
    // Not counting the INFO asking, unanswered until this reply.
    long asking = info.frameMemory() == 0 ? info.frame().length() : 0;
    sb.append("requests_in_flight:").append(Math.max(0, meters.requestsInFlight() - asking)).append("\r\n");
    return sb.toString();
  }

  private static int indexOfCrlf(Buffer buf, int from) {
    for (int i = from; i < buf.length() - 1; i++) {
      if (buf.getByte(i) == '\r') {
        return i;
      }
    }
    return buf.length();
  }
}
