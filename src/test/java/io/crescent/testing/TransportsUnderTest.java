package io.crescent.testing;

import java.util.Arrays;
import java.util.List;

/**
 * The transports the transport-sensitive tests run on: NIO, the default, unless
 * {@code -Dcrescent.test.transports=nio,auto} asks for io_uring too ({@code make test-io-uring}).
 * io_uring is experimental: it once left a new client's first command unanswered under load
 * (MidPipelineDisconnectTest, one run in about ten), which must not make {@code make test} flaky.
 */
public final class TransportsUnderTest {

  private TransportsUnderTest() {
  }

  /** For {@code @MethodSource("io.crescent.testing.TransportsUnderTest#transports")}. */
  public static List<String> transports() {
    return Arrays.stream(System.getProperty("crescent.test.transports", "nio").split(","))
        .map(String::trim).filter(t -> !t.isEmpty()).toList();
  }
}
