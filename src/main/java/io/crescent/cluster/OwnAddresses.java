package io.crescent.cluster;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The addresses by which a topology could name this proxy. A topology that names it as a Redis
 * makes it forward to itself without end, and as a peer, redirect clients to itself; an operator
 * who swaps the Redis and proxy ports may well spell the address differently from the proxy's own
 * setting ({@code localhost} for {@code 127.0.0.1}, {@code 05299}, or an interface address while
 * the proxy listens on {@code 0.0.0.0}), so spellings are compared by what they reach. Host names
 * other than {@code localhost} are compared as written: resolving them here would block.
 */
public final class OwnAddresses {

  public static final OwnAddresses NONE = new OwnAddresses(null, null, Set.of());

  private final HostPort listen;
  private final HostPort announce;
  /** Hosts that reach this machine when the proxy listens on every interface. */
  private final Set<String> interfaceHosts;

  private OwnAddresses(HostPort listen, HostPort announce, Set<String> interfaceHosts) {
    this.listen = listen;
    this.announce = announce;
    this.interfaceHosts = interfaceHosts;
  }

  /** The proxy listening on {@code listen} and announcing {@code announce}. */
  public static OwnAddresses of(HostPort listen, HostPort announce) {
    return of(listen, announce, HostPort.isWildcard(host(listen)) ? interfaceHosts() : Set.of());
  }

  static OwnAddresses of(HostPort listen, HostPort announce, Set<String> interfaceHosts) {
    return new OwnAddresses(listen, announce, Set.copyOf(interfaceHosts));
  }

  /** True when {@code address}, as a topology writes it, reaches this proxy. */
  public boolean names(String address) {
    if (listen == null) {
      return false;
    }
    HostPort target;
    try {
      target = HostPort.parse(address);
    } catch (ClusterConfigException notAnAddress) {
      return false;
    }
    String host = host(target);
    if (target.port() == announce.port() && host.equals(host(announce))) {
      return true;
    }
    if (target.port() != listen.port()) {
      return false;
    }
    String listening = host(listen);
    if (host.equals(listening)) {
      return true;
    }
    if (HostPort.isWildcard(listening)) {
      return HostPort.isWildcard(host) || isLoopback(host) || interfaceHosts.contains(host);
    }
    return isLoopback(listening) && isLoopback(host);
  }

  /** The host in one spelling: lower case, IPv6 without brackets. */
  private static String host(HostPort address) {
    String host = address.host().toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return host;
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1")
        || host.equals("0:0:0:0:0:0:0:1");
  }

  /** Every address of this machine's interfaces, in the spelling {@link #host} gives. */
  private static Set<String> interfaceHosts() {
    Set<String> hosts = new HashSet<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          String text = address.getHostAddress().toLowerCase(Locale.ROOT);
          int zone = text.indexOf('%');
          hosts.add(zone < 0 ? text : text.substring(0, zone));
        }
      }
    } catch (SocketException unreadable) {
      // Without the list, loopback and the configured spellings are still recognised.
    }
    return hosts;
  }
}
