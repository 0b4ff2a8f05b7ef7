package io.crescent.bench;

import io.crescent.command.CommandSpec;
import io.crescent.command.CommandTable;
import io.crescent.resp.Command;
import io.crescent.resp.ProtocolException;
import io.crescent.resp.RequestParser;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link CommandTable#find} on commands as the request parser hands them out: the name looked up
 * from the command's bytes, ignoring case, a subcommand for container commands. Scores are per
 * lookup.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CommandLookupBenchmark {

  private static final String[][] COMMANDS = {
    {"GET", "key:1"}, {"set", "key:1", "x"}, {"HGETALL", "h"}, {"Mget", "a", "b"},
    {"CLIENT", "LIST"}, {"object", "encoding", "k"}, {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"},
    {"NOSUCHCOMMAND", "x"}
  };

  private final CommandTable table = CommandTable.builtIn();
  private Command[] commands;

  @Setup
  public void setUp() throws ProtocolException {
    StringBuilder sb = new StringBuilder();
    for (String[] argv : COMMANDS) {
      sb.append('*').append(argv.length).append("\r\n");
      for (String arg : argv) {
        sb.append('$').append(arg.length()).append("\r\n").append(arg).append("\r\n");
      }
    }
    List<Command> out = new ArrayList<>();
    new RequestParser().feed(Buffer.buffer(sb.toString()), out);
    commands = out.toArray(new Command[0]);
    if (commands.length != COMMANDS.length || table.find(commands[0]) == null) {
      throw new IllegalStateException("bad setup");
    }
  }

  @Benchmark
  @OperationsPerInvocation(8)
  public void find(Blackhole bh) {
    for (Command command : commands) {
      CommandSpec spec = table.find(command);
      bh.consume(spec);
    }
  }
}
