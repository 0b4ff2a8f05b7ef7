package io.crescent.testing;

import io.crescent.CrescentVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.TimeUnit;

/** A Crescent proxy deployed in-process on a free port, the way an embedding application would. */
public final class Proxy implements AutoCloseable {

  private final Vertx vertx;
  private final int port;
  private final CrescentVerticle verticle;

  private Proxy(Vertx vertx, int port, CrescentVerticle verticle) {
    this.vertx = vertx;
    this.port = port;
    this.verticle = verticle;
  }

  public static Proxy start() {
    return start(new JsonObject());
  }

  /** Starts a proxy; {@code config} may set anything but the listening address. */
  public static Proxy start(JsonObject config) {
    int port = FreePorts.next();
    JsonObject full = config.copy().put("address", "127.0.0.1:" + port);
    if (!full.containsKey("event_loops")) {
      full.put("event_loops", 2);
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(full.getInteger("event_loops")));
    CrescentVerticle verticle = new CrescentVerticle();
    try {
      vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(full))
          .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("proxy did not start", e);
    }
    return new Proxy(vertx, port, verticle);
  }

  public int port() {
    return port;
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  public CrescentVerticle verticle() {
    return verticle;
  }

  public Vertx vertx() {
    return vertx;
  }

  public RespConnection connect() {
    return new RespConnection(port);
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("proxy did not stop", e);
    }
  }
}
