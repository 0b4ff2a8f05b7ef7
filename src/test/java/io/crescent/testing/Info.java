package io.crescent.testing;

import java.util.concurrent.TimeUnit;

/** Fields of an {@code INFO} reply. */
public final class Info {

  private Info() {
  }

  /** The value of {@code field} in an INFO reply, or null if the reply has no such line. */
  public static String field(Object info, String field) {
    for (String line : String.valueOf(info).split("\r\n")) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1);
      }
    }
    return null;
  }

  /**
   * Waits up to {@code seconds} for {@code section} of INFO on {@code connection} to show
   * {@code expected} in {@code field}; returns the last value seen.
   */
  public static String await(RespConnection connection, String section, String field, String expected, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    String seen = field(connection.call("INFO", section), field);
    while (!expected.equals(seen) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      seen = field(connection.call("INFO", section), field);
    }
    return seen;
  }
}
