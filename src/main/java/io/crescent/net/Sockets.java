package io.crescent.net;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.VertxConnection;

/** Writing to sockets without waiting on each write, and closing those whose peer stopped reading. */
public final class Sockets {

  private Sockets() {
  }

  /**
   * Writes {@code data} as {@link NetSocket#write} does, without a future to complete: the proxy
   * never waits on one write (it watches {@link NetSocket#writeQueueFull} and the drain handler),
   * and for each write Vert.x would make a promise and Netty a channel promise with a listener,
   * about a sixth of the event loop's own time in a profile of 50 clients at {@code -P 1}. For
   * the same reason this reaches into Vert.x's connection class; any other socket is written as
   * usual.
   */
  public static void send(NetSocket socket, Buffer data) {
    if (socket instanceof VertxConnection connection) {
      connection.writeToChannel(((BufferInternal) data).getByteBuf());
    } else {
      socket.write(data);
    }
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
