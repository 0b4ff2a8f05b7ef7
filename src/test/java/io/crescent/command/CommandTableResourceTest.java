package io.crescent.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crescent.testing.RedisServer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Keeps the committed command table identical to what the installed redis-server reports, so
 * it cannot drift. With {@code -Dcrescent.regenerateCommands=true} it rewrites the file instead.
 */
class CommandTableResourceTest {

  private static final Path FILE =
      Path.of("src/main/resources/io/crescent/command", CommandTable.RESOURCE);

  @Test
  void committedTableIsTheLiveServersCommandReply() throws IOException {
    String rendered;
    long count;
    try (RedisServer server = RedisServer.start();
        Jedis jedis = new Jedis("127.0.0.1", server.port())) {
      String version = serverVersion(jedis.info("server"));
      assertTrue(version.startsWith("7.0."), "the table is Redis 7.0's, server is " + version);
      rendered = CommandTableGenerator.render(version,
          (List<?>) jedis.sendCommand(Protocol.Command.COMMAND));
      count = (Long) jedis.sendCommand(Protocol.Command.COMMAND, "COUNT");
    }
    if (Boolean.getBoolean("crescent.regenerateCommands")) {
      Files.writeString(FILE, rendered);
      return;
    }
    assertEquals(rendered, Files.readString(FILE));
    assertEquals(count, CommandTable.builtIn().commands().size());
  }

  private static String serverVersion(String info) {
    for (String line : info.split("\r\n")) {
      if (line.startsWith("redis_version:")) {
        return line.substring("redis_version:".length());
      }
    }
    throw new IllegalStateException("no redis_version in INFO");
  }
}
