package io.crescent.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.function.Consumer;

/**
 * Reads the configuration file every {@code config_scan_period_ms} through vertx-config's
 * {@link ConfigRetriever} and hands on every document it reads, changed or not, and every failure
 * to read or parse it.
 *
 * <p>Every read, not only changes: the retriever reports a change against the last document it
 * read, so a file that breaks and is then restored as it was would never be reported again, and
 * the proxy would go on saying the file is refused. Deciding what changed is the reload's job.
 */
public final class ConfigFileWatcher {

  private final ConfigRetriever retriever;

  private ConfigFileWatcher(ConfigRetriever retriever) {
    this.retriever = retriever;
  }

  /** Starts watching; the callbacks run on the calling verticle's context. */
  public static ConfigFileWatcher watch(Vertx vertx, String path, long scanPeriodMs, Consumer<JsonObject> onRead,
      Consumer<Throwable> onFailure) {
    ConfigRetrieverOptions options = new ConfigRetrieverOptions()
        .setIncludeDefaultStores(false)
        .setScanPeriod(scanPeriodMs)
        .addStore(new ConfigStoreOptions().setType("file").setFormat("json")
            .setConfig(new JsonObject().put("path", path)));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    // vertx-config calls the processor on each successful read, before it compares documents.
    retriever.setConfigurationProcessor(document -> {
      onRead.accept(document);
      return document;
    });
    retriever.configStream().exceptionHandler(onFailure::accept);
    return new ConfigFileWatcher(retriever);
  }

  public Future<Void> close() {
    return retriever.close();
  }
}
