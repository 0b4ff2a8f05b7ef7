package io.crescent.testing;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Several plain redis-servers, each with a Crescent proxy in front, the proxies told about each
 * other with the seed form of {@code UMCTL SETCLUSTER}: together they look like a Redis Cluster.
 * Everything is stopped on close, also when start-up fails half way.
 */
public final class ProxyCluster implements AutoCloseable {

  /** An inclusive slot range, as it is written in UMCTL SETCLUSTER. */
  public record Range(int first, int last) {
    public boolean contains(int slot) {
      return slot >= first && slot <= last;
    }

    @Override
    public String toString() {
      return first + "-" + last;
    }
  }

  public static final List<Range> THIRDS = List.of(new Range(0, 5460), new Range(5461, 10922), new Range(10923, 16383));

  private final String name;
  private final List<Range> ranges;
  private final List<RedisServer> redises = new ArrayList<>();
  private final List<Proxy> proxies = new ArrayList<>();

  private ProxyCluster(String name, List<Range> ranges) {
    this.name = name;
    this.ranges = List.copyOf(ranges);
  }

  public static ProxyCluster start(String name, List<Range> ranges) {
    ProxyCluster cluster = new ProxyCluster(name, ranges);
    try {
      for (int i = 0; i < ranges.size(); i++) {
        cluster.redises.add(RedisServer.start());
        cluster.proxies.add(Proxy.start(new JsonObject()));
      }
      for (int i = 0; i < ranges.size(); i++) {
        try (RespConnection c = cluster.proxies.get(i).connect()) {
          Object reply = c.call(cluster.setClusterArgs(i));
          if (!"OK".equals(reply)) {
            throw new IllegalStateException("UMCTL SETCLUSTER on proxy " + i + " answered " + reply);
          }
        }
      }
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * {@code UMCTL SETCLUSTER 1 NOFLAGS <name> <redis i> 1 <range i> PEER <name> <proxy j> 1 <range j>...}.
   */
  public String[] setClusterArgs(int i) {
    List<String> args = new ArrayList<>(List.of("UMCTL", "SETCLUSTER", "1", "NOFLAGS",
        name, redises.get(i).address(), "1", ranges.get(i).toString(), "PEER"));
    for (int j = 0; j < ranges.size(); j++) {
      if (j != i) {
        args.addAll(List.of(name, proxies.get(j).address(), "1", ranges.get(j).toString()));
      }
    }
    return args.toArray(String[]::new);
  }

  public int size() {
    return ranges.size();
  }

  public Proxy proxy(int i) {
    return proxies.get(i);
  }

  public RedisServer redis(int i) {
    return redises.get(i);
  }

  public Range range(int i) {
    return ranges.get(i);
  }

  /** Index of the node (proxy and its Redis) owning {@code slot}. */
  public int ownerOf(int slot) {
    for (int i = 0; i < ranges.size(); i++) {
      if (ranges.get(i).contains(slot)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no node owns slot " + slot);
  }

  public void flushAll() {
    redises.forEach(RedisServer::flushAll);
  }

  @Override
  public void close() {
    RuntimeException failure = null;
    for (Proxy proxy : proxies) {
      try {
        proxy.close();
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    redises.forEach(RedisServer::close);
    if (failure != null) {
      throw failure;
    }
  }
}
