package io.crescent.resp;

import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Input that breaks RESP; the client gets the error reply and is disconnected, as on Redis. */
public final class ProtocolException extends Exception {

  private final byte[] detail;

  public ProtocolException(String message) {
    this(message.getBytes(StandardCharsets.US_ASCII));
  }

  private ProtocolException(byte[] detail) {
    super(new String(detail, StandardCharsets.ISO_8859_1), null, false, false);
    this.detail = detail;
  }

  /** Redis echoes the offending byte as it is, even when it is not ASCII. */
  static ProtocolException expectedDollar(byte got) {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    text.writeBytes("expected '$', got '".getBytes(StandardCharsets.US_ASCII));
    text.write(got);
    text.write('\'');
    return new ProtocolException(text.toByteArray());
  }

  /** The reply Redis sends before closing the connection. */
  public Buffer errorReply() {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    text.writeBytes("ERR Protocol error: ".getBytes(StandardCharsets.US_ASCII));
    text.writeBytes(detail);
    return Resp.error(text.toByteArray());
  }
}
