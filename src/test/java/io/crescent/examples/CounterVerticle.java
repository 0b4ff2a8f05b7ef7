package io.crescent.examples;

import io.crescent.api.EventBusApi;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;

/**
 * An example of a verticle deployed beside Crescent that uses the cluster over the event bus:
 * on each message to {@code example.count} it increments a counter and answers its new value.
 */
public final class CounterVerticle extends VerticleBase {

  public static final String ADDRESS = "example.count";

  @Override
  public Future<?> start() {
    vertx.eventBus().<String>localConsumer(ADDRESS, message ->
        vertx.eventBus().<Long>request(EventBusApi.COMMAND, new JsonArray().add("INCR").add("{counter}" + message.body()))
            .onSuccess(reply -> message.reply(reply.body()))
            .onFailure(error -> message.fail(0, error.getMessage())));
    return Future.succeededFuture();
  }
}
