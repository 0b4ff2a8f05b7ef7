package io.crescent.resp;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of {@link RequestParser}. In a normal build this replays the inputs in
 * {@code RequestParserFuzzTestInputs/parse/}; {@code make fuzz} searches for new ones.
 */
class RequestParserFuzzTest {

  // Printable entries only: Jazzer 0.24 writes them to the libFuzzer dictionary unescaped
  // except for backslashes, so CR, LF and quotes break it. Comparisons with them are traced anyway.
  @FuzzTest(maxDuration = "60s")
  @DictionaryEntries({"*1", "*2", "*-1", "*0", "$0", "$3", "$-1", "PING", "'", " ", "-1", "2147483648",
      "9223372036854775807"})
  void parse(byte[] input) {
    FuzzChunks in = FuzzChunks.of(input);
    // Beyond one line's limit the "too big" errors depend on how the bytes arrive, as on Redis.
    if (in.payload().length >= RequestParser.MAX_LINE) {
      return;
    }
    long maxBulk = in.smallLimit() ? 16 : RequestParser.DEFAULT_MAX_BULK;
    Outcome whole = run(in.whole(), maxBulk);
    assertEquals(whole, run(in.chunked(), maxBulk), "cut at " + Arrays.toString(in.cuts()));
    if (in.byteAtATime()) {
      assertEquals(whole, run(in.bytes(), maxBulk), "one byte per read");
    }
  }

  /** Commands as (frame, arguments), the error text if any, and what is left buffered. */
  record Outcome(List<String> commands, String error, int buffered) {
  }

  private static Outcome run(List<Buffer> reads, long maxBulk) {
    RequestParser parser = new RequestParser(maxBulk, FrameMemory.unlimited());
    List<Command> out = new ArrayList<>();
    List<byte[]> framesWhenReturned = new ArrayList<>();
    String error = null;
    long fed = 0;
    for (Buffer read : reads) {
      fed += read.length();
      try {
        parser.feed(read, out);
      } catch (ProtocolException e) {
        error = e.getMessage();
      }
      for (int i = framesWhenReturned.size(); i < out.size(); i++) {
        framesWhenReturned.add(out.get(i).frame().getBytes());
      }
      assertTrue(parser.buffered() >= 0 && parser.buffered() <= fed,
          "buffered " + parser.buffered() + " after " + fed + " bytes");
      if (error != null) {
        break;
      }
    }
    List<String> commands = new ArrayList<>();
    for (int i = 0; i < out.size(); i++) {
      Command command = out.get(i);
      byte[] frame = command.frame().getBytes();
      // A frame is a slice of the input: later reads must not have changed it.
      assertArrayEquals(framesWhenReturned.get(i), frame, "frame changed after it was returned");
      List<byte[]> args = args(command);
      assertReparses(frame, args);
      StringBuilder text = new StringBuilder(Buffer.buffer(frame).toString("ISO-8859-1")).append(" =>");
      for (byte[] arg : args) {
        text.append(' ').append(Arrays.toString(arg));
      }
      commands.add(text.toString());
    }
    return new Outcome(commands, error, error == null ? parser.buffered() : -1);
  }

  private static List<byte[]> args(Command command) {
    List<byte[]> args = new ArrayList<>();
    for (int i = 0; i < command.argc(); i++) {
      args.add(command.argBytes(i));
    }
    return args;
  }

  /** Every frame handed on (what Redis will receive) parses back, alone, to the same arguments. */
  private static void assertReparses(byte[] frame, List<byte[]> args) {
    RequestParser fresh = new RequestParser();
    List<Command> again = new ArrayList<>();
    try {
      fresh.feed(Buffer.buffer(frame), again);
    } catch (ProtocolException e) {
      throw new AssertionError("frame does not parse again: " + e.getMessage(), e);
    }
    assertEquals(1, again.size(), "one frame, one command");
    assertEquals(0, fresh.buffered(), "frame has trailing bytes");
    List<byte[]> reparsed = args(again.get(0));
    assertEquals(args.size(), reparsed.size(), "argument count");
    for (int i = 0; i < args.size(); i++) {
      assertArrayEquals(args.get(i), reparsed.get(i), "argument " + i);
    }
  }
}
