package io.crescent.resp;

import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an inline command line into arguments exactly as Redis's sdssplitargs does: blanks
 * separate, "double quotes" take C escapes (\n \r \t \b \a \\ \" \xHH), 'single quotes' take \',
 * a closing quote must be followed by a blank, and a NUL byte ends the line.
 */
final class InlineSplitter {

  private static final byte[][] NONE = new byte[0][];

  private InlineSplitter() {
  }

  /** The arguments of bytes [from, to), or null when quotes are unbalanced. */
  static byte[][] split(Buffer buf, int from, int to) {
    List<byte[]> argv = null;
    ByteArrayOutputStream current = new ByteArrayOutputStream();
    int p = from;
    while (true) {
      while (p < to && at(buf, p, to) != 0 && Ascii.isSpace(at(buf, p, to))) {
        p++;
      }
      if (p >= to || at(buf, p, to) == 0) {
        return argv == null ? NONE : argv.toArray(NONE);
      }
      boolean inDouble = false;
      boolean inSingle = false;
      boolean done = false;
      current.reset();
      while (!done) {
        byte c = at(buf, p, to);
        if (inDouble) {
          if (c == '\\' && at(buf, p + 1, to) == 'x'
              && Ascii.hexValue(at(buf, p + 2, to)) >= 0 && Ascii.hexValue(at(buf, p + 3, to)) >= 0) {
            current.write(Ascii.hexValue(at(buf, p + 2, to)) * 16 + Ascii.hexValue(at(buf, p + 3, to)));
            p += 3;
          } else if (c == '\\' && at(buf, p + 1, to) != 0) {
            p++;
            current.write(unescape(at(buf, p, to)));
          } else if (c == '"') {
            if (at(buf, p + 1, to) != 0 && !Ascii.isSpace(at(buf, p + 1, to))) {
              return null;
            }
            done = true;
          } else if (c == 0) {
            return null;
          } else {
            current.write(c);
          }
        } else if (inSingle) {
          if (c == '\\' && at(buf, p + 1, to) == '\'') {
            p++;
            current.write('\'');
          } else if (c == '\'') {
            if (at(buf, p + 1, to) != 0 && !Ascii.isSpace(at(buf, p + 1, to))) {
              return null;
            }
            done = true;
          } else if (c == 0) {
            return null;
          } else {
            current.write(c);
          }
        } else {
          switch (c) {
            case ' ', '\n', '\r', '\t', 0 -> done = true;
            case '"' -> inDouble = true;
            case '\'' -> inSingle = true;
            default -> current.write(c);
          }
        }
        if (at(buf, p, to) != 0) {
          p++;
        }
      }
      if (argv == null) {
        argv = new ArrayList<>(4);
      }
      argv.add(current.toByteArray());
    }
  }

  /** The byte at {@code i}, or 0 past the end: the line behaves as a C string, as in Redis. */
  private static byte at(Buffer buf, int i, int to) {
    return i < to ? buf.getByte(i) : 0;
  }

  private static int unescape(byte c) {
    return switch (c) {
      case 'n' -> '\n';
      case 'r' -> '\r';
      case 't' -> '\t';
      case 'b' -> '\b';
      case 'a' -> 7;
      default -> c;
    };
  }
}
