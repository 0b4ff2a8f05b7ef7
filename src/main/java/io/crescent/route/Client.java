package io.crescent.route;

import io.crescent.resp.Command;
import io.crescent.resp.ReplySink;

/** What the router may know and change of a client connection. */
public interface Client extends ReplySink {

  String name();

  void name(String name);

  /** Closes the connection once the reply to {@code command} has been written (QUIT). */
  void closeAfter(Command command);
}
