package io.crescent.resp;

/** Input that breaks RESP; the client gets the message as an error and is disconnected. */
public final class ProtocolException extends Exception {

  public ProtocolException(String message) {
    super(message, null, false, false);
  }

  /** The reply Redis sends before closing the connection. */
  public String errorReply() {
    return "ERR Protocol error: " + getMessage();
  }
}
