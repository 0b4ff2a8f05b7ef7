package io.crescent.resp;

import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Input that cannot be read: it breaks RESP, or a frame is too large for the memory the proxy has
 * left for large frames. The client gets the error reply and is disconnected, as on Redis.
 */
public final class ProtocolException extends Exception {

  private static final byte[] PROTOCOL_ERROR = "ERR Protocol error: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OUR_OWN = "ERR Crescent: ".getBytes(StandardCharsets.US_ASCII);

  private final byte[] prefix;
  private final byte[] detail;

  public ProtocolException(String message) {
    this(PROTOCOL_ERROR, message.getBytes(StandardCharsets.US_ASCII));
  }

  private ProtocolException(byte[] prefix, byte[] detail) {
    super(new String(detail, StandardCharsets.ISO_8859_1), null, false, false);
    this.prefix = prefix;
    this.detail = detail;
  }

  /** A frame of {@code bytes} does not fit in what {@code memory} has left. */
  static ProtocolException noRoomFor(long bytes, FrameMemory memory) {
    return new ProtocolException(OUR_OWN, ("not enough memory now for a frame of " + bytes
        + " bytes (frame_memory_limit " + memory.limit() + " bytes, " + memory.used() + " in use)")
        .getBytes(StandardCharsets.US_ASCII));
  }

  /** True when the input was sound but too large to hold now. */
  public boolean tooLarge() {
    return prefix == OUR_OWN;
  }

  /** Redis echoes the offending byte as it is, even when it is not ASCII. */
  static ProtocolException expectedDollar(byte got) {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    text.writeBytes("expected '$', got '".getBytes(StandardCharsets.US_ASCII));
    text.write(got);
    text.write('\'');
    return new ProtocolException(PROTOCOL_ERROR, text.toByteArray());
  }

  /** The reply Redis sends before closing the connection. */
  public Buffer errorReply() {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    text.writeBytes(prefix);
    text.writeBytes(detail);
    return Resp.error(text.toByteArray());
  }
}
