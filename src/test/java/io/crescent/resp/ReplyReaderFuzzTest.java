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
 * Coverage-guided fuzzing of {@link ReplyReader}. In a normal build this replays the inputs in
 * {@code ReplyReaderFuzzTestInputs/read/}; {@code make fuzz} searches for new ones.
 */
class ReplyReaderFuzzTest {

  // Entries are in libFuzzer dictionary syntax: \\xNN for a byte, \\\\ for a backslash, \\" for a quote.
  @FuzzTest(maxDuration = "60s")
  @DictionaryEntries({"\\x0D\\x0A", "+OK\\x0D\\x0A", "-ERR x\\x0D\\x0A", ":1\\x0D\\x0A", "$3\\x0D\\x0Aabc\\x0D\\x0A", "$-1\\x0D\\x0A",
      "*-1\\x0D\\x0A", "*2\\x0D\\x0A", "%1\\x0D\\x0A", "~1\\x0D\\x0A", ">3\\x0D\\x0A", "|1\\x0D\\x0A", "_\\x0D\\x0A", ",1.5\\x0D\\x0A",
      "#t\\x0D\\x0A", "(123\\x0D\\x0A", "!3\\x0D\\x0Aerr\\x0D\\x0A", "=7\\x0D\\x0Atxt:abc\\x0D\\x0A", "2147483647", "2147483648", "-"})
  void read(byte[] input) {
    FuzzChunks in = FuzzChunks.of(input);
    Outcome whole = run(in.whole());
    assertEquals(whole, run(in.chunked()), "cut at " + Arrays.toString(in.cuts()));
    if (in.byteAtATime()) {
      assertEquals(whole, run(in.bytes()), "one byte per read");
    }
  }

  record Outcome(List<String> replies, String error, int buffered) {
  }

  private static Outcome run(List<Buffer> reads) {
    ReplyReader reader = new ReplyReader();
    List<Buffer> replies = new ArrayList<>();
    List<byte[]> whenReturned = new ArrayList<>();
    String error = null;
    long fed = 0;
    for (Buffer read : reads) {
      fed += read.length();
      try {
        reader.feed(read, reply -> {
          replies.add(reply);
          whenReturned.add(reply.getBytes());
        });
      } catch (ProtocolException e) {
        error = e.getMessage();
      }
      assertTrue(reader.buffered() >= 0 && reader.buffered() <= fed,
          "buffered " + reader.buffered() + " after " + fed + " bytes");
      if (error != null) {
        break;
      }
    }
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < replies.size(); i++) {
      byte[] reply = replies.get(i).getBytes();
      assertArrayEquals(whenReturned.get(i), reply, "reply changed after it was returned");
      assertTrue(reply.length > 0, "empty reply");
      assertRereads(reply);
      texts.add(Buffer.buffer(reply).toString("ISO-8859-1"));
    }
    return new Outcome(texts, error, error == null ? reader.buffered() : -1);
  }

  /** A reply relayed to a client is one whole reply on its own. */
  private static void assertRereads(byte[] reply) {
    ReplyReader fresh = new ReplyReader();
    List<byte[]> again = new ArrayList<>();
    try {
      fresh.feed(Buffer.buffer(reply), r -> again.add(r.getBytes()));
    } catch (ProtocolException e) {
      throw new AssertionError("reply does not read again: " + e.getMessage(), e);
    }
    assertEquals(1, again.size(), "one reply, one frame");
    assertArrayEquals(reply, again.get(0));
    assertEquals(0, fresh.buffered());
  }
}
