package io.crescent.testing;

import io.crescent.CrescentVerticle;
import io.crescent.config.ProxyConfig;
import io.crescent.net.Transports;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A Crescent proxy deployed in-process on a free port, the way an embedding application would. */
public final class Proxy implements AutoCloseable {

  private final Vertx vertx;
  private final int port;
  private final CrescentVerticle verticle;
  private final JsonObject config;

  private Proxy(Vertx vertx, int port, CrescentVerticle verticle, JsonObject config) {
    this.config = config;
    this.vertx = vertx;
    this.port = port;
    this.verticle = verticle;
  }

  public static Proxy start() {
    return start(new JsonObject());
  }

  /** Starts a proxy; {@code config} may set anything but the listening address. */
  public static Proxy start(JsonObject config) {
    return start(withAddress(config), null);
  }

  /**
   * Starts a proxy as {@code java -jar crescent.jar -conf file} does: {@code config}, given a
   * listening address, is written to {@code file}, which the proxy then watches for edits.
   * {@link #config()} is what was written.
   */
  public static Proxy startWatching(Path file, JsonObject config) {
    JsonObject full = withAddress(config);
    try {
      Files.writeString(file, full.encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return start(full, file.toString());
  }

  private static JsonObject withAddress(JsonObject config) {
    JsonObject full = config.copy().put("address", "127.0.0.1:" + FreePorts.next());
    if (!full.containsKey("event_loops")) {
      full.put("event_loops", 2);
    }
    return full;
  }

  private static Proxy start(JsonObject full, String configFile) {
    int port = Integer.parseInt(full.getString("address").substring("127.0.0.1:".length()));
    // As the launcher does: the transport is chosen by whoever builds Vert.x.
    Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(full.getInteger("event_loops")))
        .withTransport(Transports.choose(ProxyConfig.from(full, Map.of()).transport())).build();
    CrescentVerticle verticle = new CrescentVerticle(configFile);
    try {
      vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(full))
          .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("proxy did not start", e);
    }
    return new Proxy(vertx, port, verticle, full);
  }

  /** The configuration the proxy was started with. */
  public JsonObject config() {
    return config.copy();
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
