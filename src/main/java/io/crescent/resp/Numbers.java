package io.crescent.resp;

import io.vertx.core.buffer.Buffer;

/** Redis's string2ll: the only integer syntax Redis accepts, in lengths, counts and arguments. */
public final class Numbers {

  /** Returned for text that is not a canonical integer. */
  public static final long INVALID = Long.MIN_VALUE;
  /** Redis's LONG_STR_SIZE: text this long or longer is never a valid integer. */
  private static final int LONG_STR_SIZE = 21;

  private Numbers() {
  }

  /**
   * Parses bytes [from, to): an optional '-', then digits with no leading zero (a lone "0" is
   * fine, "-0" is not), no '+', no spaces, no overflow.
   */
  public static long parseLong(Buffer buf, int from, int to) {
    return parseLong(buf::getByte, from, to);
  }

  /** Bytes by index, so one parser serves buffers and the parsers' own byte access. */
  @FunctionalInterface
  public interface Bytes {
    byte get(int index);
  }

  public static long parseLong(Bytes buf, int from, int to) {
    int len = to - from;
    if (len <= 0 || len >= LONG_STR_SIZE) {
      return INVALID;
    }
    if (len == 1 && buf.get(from) == '0') {
      return 0;
    }
    boolean negative = buf.get(from) == '-';
    int i = negative ? from + 1 : from;
    if (i == to || buf.get(i) < '1' || buf.get(i) > '9') {
      return INVALID;
    }
    long value = 0;
    for (; i < to; i++) {
      byte b = buf.get(i);
      if (b < '0' || b > '9') {
        return INVALID;
      }
      int digit = b - '0';
      if (value > (Long.MAX_VALUE - digit) / 10) {
        return INVALID;
      }
      value = value * 10 + digit;
    }
    return negative ? -value : value;
  }

  /** Parses argument {@code i} of a command. */
  public static long parseLong(Command command, int i) {
    return parseLong(command.frame(), command.argOffset(i), command.argOffset(i) + command.argLength(i));
  }
}
