package io.crescent.testing;

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
}
