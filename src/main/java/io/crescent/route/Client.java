package io.crescent.route;

import io.crescent.resp.Command;
import io.crescent.resp.ReplySink;

/** What the router may know and change of a client connection. */
public interface Client extends ReplySink {

  String name();

  void name(String name);

  /** True once the client has sent a valid AUTH (never needed when no password is set). */
  boolean authenticated();

  /** True once the client has authenticated as the administrator. */
  boolean admin();

  void authenticated(boolean asAdmin);

  /** Closes the connection once the reply to {@code command} has been written (QUIT). */
  void closeAfter(Command command);
}
