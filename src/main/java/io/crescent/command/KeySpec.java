package io.crescent.command;

import io.crescent.resp.Command;
import io.crescent.resp.Numbers;
import io.vertx.core.buffer.Buffer;

import java.util.Set;

/**
 * One Redis 7 key spec: where the search for keys begins and how the keys are found from there.
 * {@link #visit} is Redis 7.0's {@code getKeysUsingKeySpecs} for a single spec, in its
 * "return partial" mode: a spec that cannot be applied to the arguments yields no keys instead of
 * voiding the other specs of the command.
 */
final class KeySpec {

  enum BeginSearch { INDEX, KEYWORD, UNKNOWN }

  enum FindKeys { RANGE, KEYNUM, UNKNOWN }


  private final Set<String> flags;
  private final BeginSearch beginSearch;
  /** The index for INDEX, the start of the search for KEYWORD. */
  private final int position;
  private final String keyword;
  private final FindKeys findKeys;
  /** RANGE: lastkey, keystep, limit. KEYNUM: keynumidx, firstkey, keystep. */
  private final int a;
  private final int b;
  private final int c;

  KeySpec(Set<String> flags, BeginSearch beginSearch, int position, String keyword,
      FindKeys findKeys, int a, int b, int c) {
    this.flags = Set.copyOf(flags);
    this.beginSearch = beginSearch;
    this.position = position;
    this.keyword = keyword;
    this.findKeys = findKeys;
    this.a = a;
    this.b = b;
    this.c = c;
    int step = findKeys == FindKeys.RANGE ? b : c;
    if (findKeys != FindKeys.UNKNOWN && step < 1) {
      throw new IllegalArgumentException("key step must be positive: " + step);
    }
  }

  /** Channels of sharded pub/sub are described by specs flagged not_key; they are not keys. */
  boolean notKey() {
    return flags.contains("not_key");
  }

  /** Redis itself gives up on such a spec and asks the command's own key-finding function. */
  boolean incomplete() {
    return beginSearch == BeginSearch.UNKNOWN || findKeys == FindKeys.UNKNOWN
        || flags.contains("incomplete");
  }

  void visit(Command cmd, KeyVisitor visitor) {
    int argc = cmd.argc();
    int first = begin(cmd, argc);
    if (first == 0) {
      return;
    }
    int last;
    int step;
    switch (findKeys) {
      case RANGE -> {
        step = b;
        if (a >= 0) {
          last = first + a;
        } else if (c == 0) {
          last = argc + a;
        } else {
          last = first + ((argc - first) / c + a);
        }
      }
      case KEYNUM -> {
        step = c;
        int numkeysIndex = first + a;
        if (numkeysIndex >= argc) {
          return;
        }
        long numkeys = parseNonNegative(cmd, numkeysIndex);
        if (numkeys < 0) {
          return;
        }
        first += b;
        // Redis narrows numkeys to an int here, wrap-around included.
        last = first + (int) numkeys - 1;
      }
      default -> {
        return;
      }
    }
    // Redis 7.0.15 treats an out-of-bounds range as a syntax error, not as a partial range.
    if (last >= argc || last < first || first >= argc) {
      return;
    }
    for (int i = first; i <= last; i += step) {
      visitor.key(i);
    }
  }

  /** The index where keys begin, or 0 when there is none (Redis's own "not found" value). */
  private int begin(Command cmd, int argc) {
    switch (beginSearch) {
      case INDEX -> {
        return position;
      }
      case KEYWORD -> {
        // Redis's loop bounds, kept as they are: a forward search never looks at the last
        // argument, a backward one stops before argument 1.
        int start = position > 0 ? position : argc + position;
        int end = position > 0 ? argc - 1 : 1;
        for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
          if (i >= argc || i < 1) {
            break;
          }
          if (cmd.argIs(i, keyword)) {
            return i + 1;
          }
        }
        return 0;
      }
      default -> {
        return 0;
      }
    }
  }

  /** A key count: Redis's string2ll, and not negative; -1 otherwise. */
  static long parseNonNegative(Command cmd, int argIndex) {
    long value = Numbers.parseLong(cmd, argIndex);
    return value < 0 ? -1 : value;
  }
}
