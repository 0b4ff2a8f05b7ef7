package io.crescent.resp;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReplyReaderTest {

  private static final String[] REPLIES = {
      "+OK\r\n",
      "-ERR wrong\r\n",
      ":42\r\n",
      "$5\r\nhello\r\n",
      "$-1\r\n",
      "$0\r\n\r\n",
      "*-1\r\n",
      "*0\r\n",
      "*3\r\n$1\r\na\r\n*2\r\n:1\r\n*1\r\n+x\r\n$-1\r\n",
      "%2\r\n+a\r\n:1\r\n+b\r\n*2\r\n:1\r\n:2\r\n",
      "|1\r\n+ttl\r\n:3\r\n$2\r\nhi\r\n",
      "_\r\n",
      ",3.14\r\n",
      "#t\r\n",
      "(12345678901234567890\r\n",
      "=15\r\ntxt:Some string\r\n",
      "~2\r\n+a\r\n+b\r\n",
      ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n",
  };

  private static List<String> read(List<Buffer> chunks) throws ProtocolException {
    ReplyReader reader = new ReplyReader();
    List<String> out = new ArrayList<>();
    for (Buffer chunk : chunks) {
      reader.feed(chunk, reply -> out.add(reply.toString()));
    }
    assertEquals(0, reader.buffered());
    return out;
  }

  @Test
  void cutsEveryReplyTypeWhole() throws Exception {
    assertEquals(List.of(REPLIES), read(List.of(Buffer.buffer(String.join("", REPLIES)))));
  }

  @Test
  void cutsRepliesSplitAtEveryByte() throws Exception {
    String all = String.join("", REPLIES);
    List<Buffer> bytes = new ArrayList<>();
    for (int i = 0; i < all.length(); i++) {
      bytes.add(Buffer.buffer(all.substring(i, i + 1)));
    }
    assertEquals(List.of(REPLIES), read(bytes));
  }

  @Test
  void largeArrayArrivingInPieces() throws Exception {
    StringBuilder sb = new StringBuilder("*100000\r\n");
    for (int i = 0; i < 100_000; i++) {
      sb.append('$').append(Integer.toString(i).length()).append("\r\n").append(i).append("\r\n");
    }
    String reply = sb.toString();
    List<Buffer> chunks = new ArrayList<>();
    for (int i = 0; i < reply.length(); i += 1000) {
      chunks.add(Buffer.buffer(reply.substring(i, Math.min(reply.length(), i + 1000))));
    }
    assertEquals(List.of(reply), read(chunks));
  }

  @Test
  void rejectsWhatIsNotResp() {
    ReplyReader reader = new ReplyReader();
    assertThrows(ProtocolException.class, () -> reader.feed(Buffer.buffer("hello\r\n"), reply -> { }));
  }
}
