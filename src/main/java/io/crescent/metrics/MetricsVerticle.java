package io.crescent.metrics;

import io.crescent.cluster.HostPort;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.micrometer.PrometheusRequestHandler;

/**
 * The operations endpoint on {@code metrics_address}: {@code GET /metrics} (Prometheus text),
 * {@code GET /health} (200 while the process runs) and {@code GET /ready} (200 when
 * {@link Readiness} says so, 503 with the reason otherwise). One instance; it is off the proxy's
 * data path.
 */
public final class MetricsVerticle extends VerticleBase {

  private final HostPort address;
  private final PrometheusMeterRegistry registry;
  private final Readiness readiness;
  private HttpServer server;

  public MetricsVerticle(HostPort address, PrometheusMeterRegistry registry, Readiness readiness) {
    this.address = address;
    this.registry = registry;
    this.readiness = readiness;
  }

  @Override
  public Future<?> start() {
    Handler<HttpServerRequest> scrape = PrometheusRequestHandler.create(registry, "/metrics");
    server = vertx.createHttpServer().requestHandler(request -> {
      if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
        request.response().setStatusCode(405).putHeader("Allow", "GET").end();
        return;
      }
      switch (request.path()) {
        case "/metrics" -> scrape.handle(request);
        case "/health" -> text(request, 200, "ok\n");
        case "/ready" -> readiness.check().onComplete(
            ok -> text(request, 200, "ready\n"),
            failure -> text(request, 503, failure.getMessage() + "\n"));
        default -> text(request, 404, "not found; try /metrics, /health or /ready\n");
      }
    });
    return server.listen(address.port(), address.host());
  }

  private static void text(HttpServerRequest request, int status, String body) {
    request.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(body);
  }
}
