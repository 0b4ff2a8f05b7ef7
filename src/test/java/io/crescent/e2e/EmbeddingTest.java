package io.crescent.e2e;

import io.crescent.CrescentVerticle;
import io.crescent.testing.FreePorts;
import io.crescent.testing.Info;
import io.crescent.testing.RedisServer;
import io.crescent.testing.RespConnection;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crescent deployed as the README shows, into a Vert.x with default options (twice as many
 * event loops as cores, whatever event_loops says): commands still run in the order sent, and
 * every backend connection is used.
 */
class EmbeddingTest {

  @Test
  void defaultVertxKeepsOrderAndUsesEveryConnection() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (RedisServer redis = RedisServer.start()) {
      int port = FreePorts.next();
      JsonObject config = new JsonObject()
          .put("address", "127.0.0.1:" + port)
          .put("backend_connections", 2)
          .put("cluster", new JsonObject().put("epoch", 1).put("name", "embedded")
              .put("local", new JsonObject().put(redis.address(), List.of("0-16383"))));
      vertx.deployVerticle(new CrescentVerticle(), new DeploymentOptions().setConfig(config))
          .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);

      List<RespConnection> clients = new ArrayList<>();
      try {
        clients.add(new RespConnection(port));
        assertEquals("nio", Info.field(clients.get(0).call("INFO", "proxy"), "transport"),
            "the transport of the Vert.x it was deployed in, whatever its own setting says");
        clients.remove(0).close();
        for (int c = 0; c < 64; c++) {
          clients.add(new RespConnection(port));
        }
        for (int i = 0; i < 200; i++) {
          for (int c = 0; c < clients.size(); c++) {
            clients.get(c).send("RPUSH", "{list}" + c, Integer.toString(i));
          }
        }
        for (int c = 0; c < clients.size(); c++) {
          for (int i = 0; i < 200; i++) {
            assertEquals((long) i + 1, clients.get(c).read());
          }
          List<?> values = (List<?>) clients.get(c).call("LRANGE", "{list}" + c, "0", "-1");
          for (int i = 0; i < 200; i++) {
            assertEquals(Integer.toString(i), values.get(i), "client " + c + " element " + i);
          }
        }
      } finally {
        clients.forEach(RespConnection::close);
      }
      // Each loop hands its clients the connections of a pool in turn.
      int loops = 2 * Runtime.getRuntime().availableProcessors();
      String clientList = redis.command("CLIENT", "LIST");
      long backendConnections = clientList.lines().count() - 1;
      assertTrue(backendConnections >= loops * 2L,
          "expected " + loops + " loops x 2 connections, Redis sees " + backendConnections + ":\n" + clientList);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }
}
