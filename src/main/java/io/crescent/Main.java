package io.crescent;

import io.crescent.config.ConfigException;
import io.crescent.config.ProxyConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;

/**
 * {@code java -jar crescent.jar -conf conf/crescent.json}: the Vert.x launcher, with as many event
 * loops as the configuration asks for, and a configuration error reported in one line.
 */
public final class Main implements VertxApplicationHooks {

  private Main() {
  }

  public static void main(String[] args) {
    int code = new VertxApplication(args, new Main()).launch();
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public void beforeStartingVertx(HookContext context) {
    JsonObject json = context.deploymentOptions().getConfig();
    try {
      ProxyConfig config = ProxyConfig.from(json == null ? new JsonObject() : json, System.getenv());
      context.vertxOptions().setEventLoopPoolSize(config.eventLoops());
    } catch (ConfigException e) {
      System.err.println("crescent: invalid configuration: " + e.getMessage());
      System.exit(2);
    }
  }
}
