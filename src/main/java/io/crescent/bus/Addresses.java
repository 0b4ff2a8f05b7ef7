package io.crescent.bus;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Event-bus addresses of one Crescent deployment, one per event loop and role. A client session
 * talks to the router of its own loop, and the router to the backend verticle of the same loop,
 * so a command never changes thread and the three share no locks: each may call the others'
 * objects directly, which is what keeps replies in order cheaply.
 */
public final class Addresses {

  private final String prefix;
  private final Set<String> routerLoops = ConcurrentHashMap.newKeySet();
  private final Set<String> backendLoops = ConcurrentHashMap.newKeySet();

  public Addresses(String deploymentId) {
    this.prefix = "crescent." + deploymentId + ".";
  }

  /** Registers the calling verticle's event loop as having a router; returns its address. */
  public String registerRouter() {
    routerLoops.add(loop());
    return prefix + "router." + loop();
  }

  public String registerBackend() {
    backendLoops.add(loop());
    return prefix + "backend." + loop();
  }

  /** The router of the calling thread's event loop. */
  public String router() {
    return require(routerLoops, "router");
  }

  /** The backend verticle of the calling thread's event loop. */
  public String backend() {
    return require(backendLoops, "backend");
  }

  private String require(Set<String> loops, String role) {
    if (!loops.contains(loop())) {
      throw new IllegalStateException("no " + role + " verticle on " + loop()
          + ": each role must be deployed once per event loop");
    }
    return prefix + role + "." + loop();
  }

  private static String loop() {
    return Thread.currentThread().getName();
  }
}
