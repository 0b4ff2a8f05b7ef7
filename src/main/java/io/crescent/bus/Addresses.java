package io.crescent.bus;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Event-bus addresses of one Crescent deployment. Each router and backend verticle listens on an
 * address of its own event loop as well as on a shared one, so that a client session can talk to
 * the verticles on its own thread (no thread hop, no locking); the shared address is the fallback
 * for a loop that has none.
 */
public final class Addresses {

  private final String prefix;
  private final Set<String> routerLoops = ConcurrentHashMap.newKeySet();
  private final Set<String> backendLoops = ConcurrentHashMap.newKeySet();

  public Addresses(String deploymentId) {
    this.prefix = "crescent." + deploymentId + ".";
  }

  /** Registers the calling verticle's event loop as having a router; returns its own address. */
  public String registerRouter() {
    String loop = Thread.currentThread().getName();
    routerLoops.add(loop);
    return prefix + "router." + loop;
  }

  public String registerBackend() {
    String loop = Thread.currentThread().getName();
    backendLoops.add(loop);
    return prefix + "backend." + loop;
  }

  public String sharedRouter() {
    return prefix + "router";
  }

  public String sharedBackend() {
    return prefix + "backend";
  }

  /** The router address for a caller on the current thread. */
  public String routerForCurrentLoop() {
    String loop = Thread.currentThread().getName();
    return routerLoops.contains(loop) ? prefix + "router." + loop : sharedRouter();
  }

  public String backendForCurrentLoop() {
    String loop = Thread.currentThread().getName();
    return backendLoops.contains(loop) ? prefix + "backend." + loop : sharedBackend();
  }
}
