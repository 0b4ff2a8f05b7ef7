package io.crescent.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * Tells a client session that its client sent its end of stream, instead of letting Netty close
 * the socket there: the FIN may come in the very read that brought the client's last commands,
 * whose replies Redis would still send. The session learns it twice: at once, and as an empty
 * read after the bytes that came before the FIN, which Vert.x may still hold while the session
 * has paused reading.
 */
final class EndOfInput extends ChannelInboundHandlerAdapter {

  private final Runnable action;

  private EndOfInput(Runnable action) {
    this.action = action;
  }

  /**
   * Runs {@code action} on the socket's event loop when the client's end of stream arrives; an
   * empty buffer then follows the data read before it.
   */
  static void watch(NetSocket socket, Runnable action) {
    if (socket instanceof NetSocketInternal internal) {
      internal.channelHandlerContext().channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
      // First in the pipeline, ahead of Vert.x's handler, which keeps its own events (graceful
      // shutdown among them) only while no event handler is set on the socket.
      internal.channelHandlerContext().pipeline().addFirst(new EndOfInput(action));
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof ChannelInputShutdownEvent) {
      action.run();
      ctx.fireChannelRead(Unpooled.EMPTY_BUFFER);
      ctx.fireChannelReadComplete();
    }
    ctx.fireUserEventTriggered(event);
  }
}
