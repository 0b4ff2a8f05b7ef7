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

  // Printable entries only: Jazzer 0.24 writes them to the libFuzzer dictionary unescaped
  // except for backslashes, so CR, LF and quotes break it. Comparisons with them are traced anyway.
  @FuzzTest(maxDuration = "60s")
  @DictionaryEntries({"+OK", "-ERR x", ":1", "$3", "$-1", "*-1", "*2", "%1", "~1", ">3", "|1", ",1.5", "#t",
      "(123", "!3", "=7", "txt:", "2147483647", "2147483648"})
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
