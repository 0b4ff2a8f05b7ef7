package io.crescent.backend;

import io.crescent.config.Passwords;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ProtocolVersion;

import java.util.concurrent.TimeUnit;

/**
 * One-off requests to a Redis off the data path (its COMMAND table, a readiness PING) through
 * vertx-redis-client: a connection of their own, authenticated as the proxy's backend connections
 * are, bounded in time from connecting to reply, and closed afterwards.
 */
public final class ControlClient {

  private ControlClient() {
  }

  public static Future<Response> send(Vertx vertx, String redisAddress, Passwords passwords, long timeoutMs,
      Request request) {
    RedisOptions options = new RedisOptions()
        .setConnectionString("redis://" + redisAddress)
        .setProtocolNegotiation(false)
        .setPreferredProtocolVersion(ProtocolVersion.RESP2);
    if (passwords.backendAuth()) {
      options.setPassword(passwords.backendPassword());
      if (!passwords.backendUser().isEmpty()) {
        options.setUser(passwords.backendUser());
      }
    }
    options.getNetClientOptions().setConnectTimeout((int) Math.min(timeoutMs, Integer.MAX_VALUE));
    Redis redis = Redis.createClient(vertx, options);
    return redis.send(request)
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .eventually(redis::close);
  }
}
