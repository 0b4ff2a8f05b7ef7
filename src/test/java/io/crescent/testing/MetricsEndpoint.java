package io.crescent.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A proxy's HTTP operations endpoint ({@code metrics_address}) as a scraper sees it. */
public final class MetricsEndpoint {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public record Reply(int status, String body) {
  }

  private final String base;

  public MetricsEndpoint(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  public Reply get(String path) {
    String url = base + path;
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
          .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new AssertionError("GET " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  public String metrics() {
    return get("/metrics").body();
  }

  /** Waits for a series to reach {@code expected}: meters are read without a fence at scrape time. */
  public void awaitValue(String series, double expected) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    double seen;
    String text;
    do {
      text = metrics();
      seen = value(text, series);
      if (seen == expected) {
        return;
      }
      pause();
    } while (System.nanoTime() < deadline);
    throw new AssertionError(series + " is " + seen + ", expected " + expected + "\n" + text);
  }

  /** The value of a series in Prometheus text, NaN when absent. */
  public static double value(String text, String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return Double.NaN;
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
