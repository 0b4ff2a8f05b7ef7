package io.crescent.route;

import io.crescent.metrics.SlowLog;
import io.crescent.resp.Command;
import io.crescent.resp.Numbers;
import io.crescent.resp.Resp;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * SLOWLOG GET, LEN and RESET over the proxy's own slow log, with Redis's replies and errors.
 * SLOWLOG HELP goes to Redis, whose text it is.
 */
final class SlowLogCommands {

  private static final Buffer BAD_COUNT = Resp.error("ERR count should be greater than or equal to -1");

  private final SlowLog slowLog;

  SlowLogCommands(SlowLog slowLog) {
    this.slowLog = slowLog;
  }

  static boolean answers(String name) {
    return name.equals("slowlog|get") || name.equals("slowlog|len") || name.equals("slowlog|reset");
  }

  Buffer answer(Command command, String name) {
    return switch (name) {
      case "slowlog|len" -> Resp.integer(slowLog.length());
      case "slowlog|reset" -> {
        slowLog.reset();
        yield Resp.OK;
      }
      default -> get(command);
    };
  }

  private Buffer get(Command command) {
    if (command.argc() > 3) {
      return Resp.error(("ERR unknown subcommand or wrong number of arguments for '" + command.argString(1)
          + "'. Try SLOWLOG HELP.").getBytes(StandardCharsets.UTF_8));
    }
    long count = 10;
    if (command.argc() == 3) {
      count = Numbers.parseLong(command, 2);
      if (count == Numbers.INVALID || count < -1) {
        return BAD_COUNT;
      }
      if (count == -1) {
        count = Long.MAX_VALUE;
      }
    }
    return slowLog.reply(count);
  }
}
