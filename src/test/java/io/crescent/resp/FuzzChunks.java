package io.crescent.resp;

import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a fuzzer's raw input into a stream payload and the reads it arrives in.
 *
 * <p>Layout: one header byte, then two bytes per cut point, then the payload. Header bits 0-2:
 * number of cuts (0-7); bit 3: also feed the payload one byte at a time; bit 4: use a small bulk
 * limit. Seed files are therefore a header byte (usually {@code 0x00}) followed by plain RESP.
 */
record FuzzChunks(byte[] payload, int[] cuts, boolean byteAtATime, boolean smallLimit) {

  static FuzzChunks of(byte[] input) {
    if (input.length == 0) {
      return new FuzzChunks(input, new int[0], false, false);
    }
    int header = input[0] & 0xff;
    int cutCount = Math.min(header & 7, (input.length - 1) / 2);
    int payloadStart = 1 + 2 * cutCount;
    byte[] payload = Arrays.copyOfRange(input, payloadStart, input.length);
    int[] cuts = new int[cutCount];
    for (int i = 0; i < cutCount; i++) {
      int raw = ((input[1 + 2 * i] & 0xff) << 8) | (input[2 + 2 * i] & 0xff);
      cuts[i] = raw % (payload.length + 1);
    }
    Arrays.sort(cuts);
    return new FuzzChunks(payload, cuts, (header & 8) != 0, (header & 16) != 0);
  }

  /** The payload in one read. */
  List<Buffer> whole() {
    return List.of(Buffer.buffer(payload.clone()));
  }

  /** The payload cut at the fuzzer's points; each read is a fresh buffer, as from a socket. */
  List<Buffer> chunked() {
    List<Buffer> reads = new ArrayList<>();
    int from = 0;
    for (int cut : cuts) {
      reads.add(Buffer.buffer(Arrays.copyOfRange(payload, from, cut)));
      from = cut;
    }
    reads.add(Buffer.buffer(Arrays.copyOfRange(payload, from, payload.length)));
    return reads;
  }

  /** The payload one byte per read. */
  List<Buffer> bytes() {
    List<Buffer> reads = new ArrayList<>(payload.length);
    for (byte b : payload) {
      reads.add(Buffer.buffer(new byte[] {b}));
    }
    return reads;
  }
}
