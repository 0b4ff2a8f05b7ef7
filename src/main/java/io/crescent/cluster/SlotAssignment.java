package io.crescent.cluster;

import java.util.List;

/**
 * One group of slot ranges given to one owner, as written in a configuration
 * ({@code <n> <range>...}). The group, not the single range, is the unit because undermoon
 * attaches slot migration state (migrating or importing, with its source and destination) to
 * such a group; that state will be a further component of this record.
 */
public record SlotAssignment(List<SlotRange> ranges) {

  public SlotAssignment {
    ranges = List.copyOf(ranges);
  }

  /** The group as configuration text, e.g. {@code 0-8000 9000-9001}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (SlotRange range : ranges) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(range.start()).append('-').append(range.end());
    }
    return sb.toString();
  }
}
