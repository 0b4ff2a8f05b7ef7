package io.crescent;

import io.crescent.config.ConfigException;
import io.crescent.config.ProxyConfig;
import io.vertx.core.Deployable;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplicationHooks;

import java.util.function.Supplier;

/** Sizes the event-loop pool from our configuration, and reports a bad one in one line. */
final class LauncherHooks implements VertxApplicationHooks {

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return CrescentVerticle::new;
  }

  private ProxyConfig config;

  /** Validates the configuration before anything starts, so a mistake is one clear line. */
  @Override
  public JsonObject afterConfigParsed(JsonObject json) {
    try {
      config = ProxyConfig.from(json == null ? new JsonObject() : json, System.getenv());
    } catch (ConfigException e) {
      System.err.println("crescent: invalid configuration: " + e.getMessage());
      System.exit(2);
    }
    return json;
  }

  /** Several instances would be several proxies on one port, each with its own slot table. */
  @Override
  public void beforeDeployingVerticle(HookContext context) {
    if (context.deploymentOptions().getInstances() != 1) {
      System.err.println("crescent: -instances is not supported: Crescent already runs one set of "
          + "verticles per event loop; set event_loops instead");
      System.exit(2);
    }
  }

  @Override
  public void beforeStartingVertx(HookContext context) {
    context.vertxOptions().setEventLoopPoolSize(config.eventLoops());
  }
}
