package io.crescent.bench;

import io.crescent.resp.ProtocolException;
import io.crescent.resp.ReplyReader;
import io.vertx.core.buffer.Buffer;

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
 * One backend read holding {@value #REPLIES} replies as Redis answers redis-benchmark's SET/GET
 * ({@code +OK} and {@code $3 xxx}), with a nil and an array of two bulks mixed in, cut into
 * replies to relay. Scores are per reply.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReplyReaderBenchmark {

  static final int REPLIES = 100;

  private Buffer read;
  private final ReplyReader reader = new ReplyReader();
  private Blackhole blackhole;
  private int count;
  private final ReplyReader.Handler handler = reply -> {
    count++;
    blackhole.consume(reply);
  };

  @Setup
  public void setUp() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < REPLIES; i++) {
      switch (i % 10) {
        case 9 -> sb.append("$-1\r\n");
        case 8 -> sb.append("*2\r\n$3\r\nabc\r\n$5\r\nhello\r\n");
        default -> sb.append(i % 2 == 0 ? "+OK\r\n" : "$3\r\nxxx\r\n");
      }
    }
    read = Buffer.buffer(sb.toString());
  }

  @Benchmark
  @OperationsPerInvocation(REPLIES)
  public int relay(Blackhole bh) throws ProtocolException {
    blackhole = bh;
    count = 0;
    reader.feed(read, handler);
    if (count != REPLIES) {
      throw new IllegalStateException("read " + count + " replies");
    }
    return count;
  }
}
