package io.crescent.bench;

import io.crescent.cluster.SlotHash;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
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
 * The slot of typical keys (redis-benchmark's, a hash-tagged one, a longer session key), read in
 * place from a heap array (the router's usual path) and through a Buffer. Scores are per key.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SlotHashBenchmark {

  private static final String[] KEYS = {
    "key:000000001234", "user:{42}:profile", "session:7f3a9c2e-1b44-4d1e-9f0a-2c6d8e5b7a10",
    "counter", "{tag}", "orders:2024:11:25:eu-west"
  };

  private final byte[][] keys = new byte[KEYS.length][];
  private final Buffer[] buffers = new Buffer[KEYS.length];

  @Setup
  public void setUp() {
    for (int i = 0; i < KEYS.length; i++) {
      keys[i] = KEYS[i].getBytes(StandardCharsets.US_ASCII);
      buffers[i] = Buffer.buffer(keys[i]);
    }
  }

  @Benchmark
  @OperationsPerInvocation(6)
  public int slotFromArray() {
    int sum = 0;
    for (byte[] key : keys) {
      sum += SlotHash.slot(key, 0, key.length);
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(6)
  public int slotFromBuffer() {
    int sum = 0;
    for (Buffer key : buffers) {
      sum += SlotHash.slot(key, 0, key.length());
    }
    return sum;
  }
}
