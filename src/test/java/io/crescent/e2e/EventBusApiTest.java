package io.crescent.e2e;

import io.crescent.api.EventBusApi;
import io.crescent.examples.CounterVerticle;
import io.crescent.testing.Reference;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Co-deployed verticles use the cluster over the event bus, without a Redis client. */
class EventBusApiTest {

  private static Reference ref;

  @BeforeAll
  static void start() {
    ref = Reference.start(new JsonObject(), "0-15000");
  }

  @AfterAll
  static void stop() {
    ref.close();
  }

  private static Vertx vertx() {
    return ref.proxy().vertx();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Object command(String... args) throws Exception {
    return await(vertx().eventBus().request(EventBusApi.COMMAND, new JsonArray(List.of((Object[]) args)))).body();
  }

  private static String failure(String address, String... args) {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> await(vertx().eventBus().request(address, new JsonArray(List.of((Object[]) args)))));
    assertTrue(e.getCause() instanceof ReplyException, String.valueOf(e.getCause()));
    return e.getCause().getMessage();
  }

  @Test
  void commandsAreRoutedBySlotAndAnsweredAsJson() throws Exception {
    assertEquals("OK", command("SET", "{c}k", "v"));
    assertEquals("v", command("GET", "{c}k"));
    assertEquals("v", ref.backend().command("GET", "{c}k"));
    assertEquals(2L, command("RPUSH", "{c}l", "a", "b"));
    assertEquals(new JsonArray().add("a").add("b"), command("LRANGE", "{c}l", "0", "-1"));
    assertEquals(null, command("GET", "{c}none"));
    assertEquals("MOVED 15495 127.0.0.1:7000", failure(EventBusApi.COMMAND, "GET", "a"));
    assertEquals("CROSSSLOT Keys in request don't hash to the same slot", failure(EventBusApi.COMMAND, "MGET", "{c}a", "{u}b"));
    assertTrue(failure(EventBusApi.COMMAND, "INCR", "{c}k").startsWith("ERR value is not an integer"));
    assertTrue(failure(EventBusApi.COMMAND, "BLPOP", "{c}l", "1").contains("connection of its own"));
    assertTrue(failure(EventBusApi.COMMAND, "MULTI").contains("connection of its own"));
  }

  @Test
  void adminAndEvents() throws Exception {
    assertEquals(1L, await(vertx().eventBus().request(EventBusApi.ADMIN, new JsonArray().add("GETEPOCH"))).body());
    assertEquals("ERR OLD_EPOCH", failure(EventBusApi.ADMIN, "SETCLUSTER", "1", "NOFLAGS", "test",
        ref.backend().address(), "1", "0-16383"));
    CompletableFuture<JsonObject> event = new CompletableFuture<>();
    vertx().eventBus().<JsonObject>consumer(EventBusApi.EVENTS, m -> event.complete(m.body()));
    assertEquals("OK", await(vertx().eventBus().request(EventBusApi.ADMIN, new JsonArray(List.of("SETCLUSTER", "2",
        "NOFLAGS", "test", ref.backend().address(), "1", "0-15000", "PEER", "test", "127.0.0.1:7000", "1",
        "15001-16383")))).body());
    JsonObject change = event.get(10, TimeUnit.SECONDS);
    assertEquals(2L, change.getLong("epoch"));
    assertEquals(15001, change.getInteger("local_slots"));
  }

  @Test
  void theExampleVerticleCountsThroughTheCluster() throws Exception {
    await(vertx().deployVerticle(new CounterVerticle()));
    assertEquals(1L, await(vertx().eventBus().request(CounterVerticle.ADDRESS, "visits")).body());
    assertEquals(2L, await(vertx().eventBus().request(CounterVerticle.ADDRESS, "visits")).body());
  }
}
