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

  /**
   * As {@link #parseLong(Buffer, int, int)}. Redis accepts -9223372036854775808 too, which this
   * returns as {@link #INVALID}: where that matters, use {@link #parseLength}.
   */
  public static long parseLong(Bytes buf, int from, int to) {
    return parse(buf, from, to, false);
  }

  /**
   * A length or count line: any valid negative number, -9223372036854775808 included, is -1, so
   * that {@link #INVALID} means only text Redis refuses.
   */
  public static long parseLength(Bytes buf, int from, int to) {
    return parse(buf, from, to, true);
  }

  private static long parse(Bytes buf, int from, int to, boolean negativeAsMinusOne) {
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
    // Accumulated as a negative number, whose range reaches one further than the positive one.
    long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
    long value = 0;
    for (; i < to; i++) {
      byte b = buf.get(i);
      if (b < '0' || b > '9') {
        return INVALID;
      }
      int digit = b - '0';
      if (value < limit / 10 || value * 10 < limit + digit) {
        return INVALID;
      }
      value = value * 10 - digit;
    }
    if (negative) {
      return negativeAsMinusOne ? -1 : value;
    }
    return -value;
  }

  /** Parses argument {@code i} of a command. */
  public static long parseLong(Command command, int i) {
    return parseLong(command.frame(), command.argOffset(i), command.argOffset(i) + command.argLength(i));
  }
}
