package io.crescent.bench;

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

/**
 * One client read holding {@value #COMMANDS} pipelined commands, half {@code SET key:N xxx} and
 * half {@code GET key:N} (what redis-benchmark sends), cut into commands. Scores are per command.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RequestParserBenchmark {

  static final int COMMANDS = 100;

  private Buffer read;
  private final RequestParser parser = new RequestParser();
  private final List<Command> out = new ArrayList<>(COMMANDS);

  @Setup
  public void setUp() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < COMMANDS; i++) {
      String key = String.format("key:%012d", i * 7919 % 100_000);
      if (i % 2 == 0) {
        sb.append("*3\r\n$3\r\nSET\r\n$").append(key.length()).append("\r\n").append(key)
            .append("\r\n$3\r\nxxx\r\n");
      } else {
        sb.append("*2\r\n$3\r\nGET\r\n$").append(key.length()).append("\r\n").append(key).append("\r\n");
      }
    }
    read = Buffer.buffer(sb.toString());
  }

  @Benchmark
  @OperationsPerInvocation(COMMANDS)
  public List<Command> parsePipelinedSetGet() throws ProtocolException {
    out.clear();
    parser.feed(read, out);
    if (out.size() != COMMANDS) {
      throw new IllegalStateException("parsed " + out.size() + " commands");
    }
    return out;
  }
}
