package io.crescent.net;

import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/** Closing sockets whose peer may have stopped reading. */
public final class Sockets {

  private Sockets() {
  }

  /**
   * Closes at once, dropping whatever is still queued for the peer. {@link NetSocket#close()}
   * closes only once everything queued has been flushed, which never happens while the peer
   * reads nothing (a hung Redis or peer proxy, a client that stopped reading): the socket and all
   * its queued bytes would stay, and so would a Vert.x close waiting for them.
   */
  public static void closeNow(NetSocket socket) {
    if (socket instanceof NetSocketInternal internal) {
      // From Vert.x's own handler onwards: the channel's close() would pass through that handler,
      // which turns it into the waiting close.
      internal.channelHandlerContext().close();
    } else {
      socket.close();
    }
  }
}
