package io.crescent.cluster;

/**
 * Slots {@code start} to {@code end}, both included. Written {@code start-end} in configurations,
 * the only form undermoon accepts (a single slot is {@code 5-5}).
 */
public record SlotRange(int start, int end) {

  public SlotRange {
    if (start < 0 || end >= SlotHash.SLOTS || start > end) {
      throw new ClusterConfigException("invalid slot range '" + start + "-" + end + "'");
    }
  }

  public static SlotRange parse(String text) {
    int dash = text.indexOf('-');
    if (dash <= 0 || !isSlotNumber(text, 0, dash) || !isSlotNumber(text, dash + 1, text.length())) {
      throw new ClusterConfigException("invalid slot range '" + text + "'");
    }
    int start = Integer.parseInt(text, 0, dash, 10);
    int end = Integer.parseInt(text, dash + 1, text.length(), 10);
    if (start >= SlotHash.SLOTS || end >= SlotHash.SLOTS || start > end) {
      throw new ClusterConfigException("invalid slot range '" + text + "'");
    }
    return new SlotRange(start, end);
  }

  /** Digits only and at most five of them, so parsing cannot overflow and signs are refused. */
  private static boolean isSlotNumber(String text, int from, int to) {
    if (to - from < 1 || to - from > 5) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  public int size() {
    return end - start + 1;
  }

  /** As CLUSTER NODES prints it: a lone slot is just its number. */
  @Override
  public String toString() {
    return start == end ? Integer.toString(start) : start + "-" + end;
  }
}
