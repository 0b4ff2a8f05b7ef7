package io.crescent.route;

import java.util.Locale;

/** Redis's glob-style patterns (stringmatchlen) without case: {@code * ? [a-z] [^x] \x}. */
final class Glob {

  private Glob() {
  }

  static boolean matches(String pattern, String text) {
    return match(pattern.toLowerCase(Locale.ROOT), 0, text.toLowerCase(Locale.ROOT), 0);
  }

  private static boolean match(String p, int pi, String s, int si) {
    while (pi < p.length()) {
      char c = p.charAt(pi);
      switch (c) {
        case '*' -> {
          while (pi + 1 < p.length() && p.charAt(pi + 1) == '*') {
            pi++;
          }
          if (pi + 1 == p.length()) {
            return true;
          }
          for (int k = si; k <= s.length(); k++) {
            if (match(p, pi + 1, s, k)) {
              return true;
            }
          }
          return false;
        }
        case '?' -> {
          if (si == s.length()) {
            return false;
          }
          si++;
        }
        case '[' -> {
          if (si == s.length()) {
            return false;
          }
          int end = p.indexOf(']', pi + 1);
          if (end < 0) {
            return false;
          }
          boolean negate = pi + 1 < end && p.charAt(pi + 1) == '^';
          boolean found = false;
          for (int k = negate ? pi + 2 : pi + 1; k < end; k++) {
            if (k + 2 < end && p.charAt(k + 1) == '-') {
              found |= s.charAt(si) >= p.charAt(k) && s.charAt(si) <= p.charAt(k + 2);
              k += 2;
            } else {
              found |= s.charAt(si) == p.charAt(k);
            }
          }
          if (found == negate) {
            return false;
          }
          si++;
          pi = end;
        }
        default -> {
          if (c == '\\' && pi + 1 < p.length()) {
            c = p.charAt(++pi);
          }
          if (si == s.length() || s.charAt(si) != c) {
            return false;
          }
          si++;
        }
      }
      pi++;
    }
    return si == s.length();
  }
}
