package io.crescent.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * Hands a large reply to a client's socket a slice at a time (views, not copies), while less than
 * a megabyte handed over is still unwritten. Vert.x's write queue counts writes, not bytes, and
 * Netty copies each heap buffer to direct memory when it is queued: a 100 MB reply written at once
 * would be copied whole for a client that may never read it.
 */
final class SlicedWriter {

  private static final int SLICE = 256 * 1024;
  /** Bytes handed to the socket and not yet written out beyond which no more are handed over. */
  private static final long UNSENT_HIGH = 1024 * 1024;
  /** Once written out down to this, the owner is told there is room again. */
  private static final long UNSENT_LOW = UNSENT_HIGH / 2;

  private final NetSocket socket;
  private final Runnable onRoom;
  private Buffer sending;
  private int offset;
  private long unsent;
  /** When the client last took bytes: a slow reader that still reads is not a stalled one. */
  private long lastTakenNanos = System.nanoTime();

  SlicedWriter(NetSocket socket, Runnable onRoom) {
    this.socket = socket;
    this.onRoom = onRoom;
  }

  /** Whether a large reply is still being handed over: what follows it must wait. */
  boolean busy() {
    return sending != null;
  }

  /** Whether the socket takes more now: its write queue is not full, nor are the slices. */
  boolean hasRoom() {
    return !socket.writeQueueFull() && unsent < UNSENT_HIGH;
  }

  void start(Buffer reply) {
    sending = reply;
    offset = 0;
  }

  /** Hands over slices while there is room; returns how many bytes it handed. */
  int pump() {
    int handed = 0;
    while (sending != null && hasRoom()) {
      int end = Math.min(sending.length(), offset + SLICE);
      int n = end - offset;
      Buffer slice = sending.slice(offset, end);
      offset = end;
      if (end == sending.length()) {
        sending = null;
      }
      handed += n;
      unsent += n;
      socket.write(slice).onComplete(done -> taken(n));
    }
    return handed;
  }

  /** The client took bytes (a slice was written out, or the socket's queue drained). */
  void tookSome() {
    lastTakenNanos = System.nanoTime();
  }

  long lastTakenNanos() {
    return lastTakenNanos;
  }

  /** Forgets the reply being handed over: the connection is closing. */
  void clear() {
    sending = null;
  }

  private void taken(int n) {
    unsent -= n;
    tookSome();
    if (unsent < UNSENT_LOW && unsent + n >= UNSENT_LOW) {
      onRoom.run();
    }
  }
}
