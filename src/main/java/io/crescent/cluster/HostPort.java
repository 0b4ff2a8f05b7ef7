package io.crescent.cluster;

/** A {@code host:port} address as it appears in configurations and cluster replies. */
public record HostPort(String host, int port) {

  public HostPort {
    if (host.isEmpty() || port < 1 || port > 65535) {
      throw new ClusterConfigException("invalid address '" + host + ":" + port + "'");
    }
  }

  /** Splits at the last ':' so that a bare IPv6 host keeps its own colons. */
  public static HostPort parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || !isDigits(text, colon + 1)) {
      throw new ClusterConfigException("invalid address '" + text + "'");
    }
    int port = Integer.parseInt(text.substring(colon + 1));
    if (port < 1 || port > 65535) {
      throw new ClusterConfigException("invalid address '" + text + "'");
    }
    return new HostPort(text.substring(0, colon), port);
  }

  /** Whether the host is the any-address ({@code 0.0.0.0}, {@code ::}): one to listen on, not to reach. */
  public boolean wildcard() {
    return isWildcard(host);
  }

  static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.equals("0:0:0:0:0:0:0:0");
  }

  /** At most five digits, so that parsing the port cannot overflow. */
  private static boolean isDigits(String text, int from) {
    int length = text.length() - from;
    if (length < 1 || length > 5) {
      return false;
    }
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
