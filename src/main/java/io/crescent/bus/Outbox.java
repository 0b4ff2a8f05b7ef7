package io.crescent.bus;

import io.vertx.core.Context;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;

import java.util.ArrayList;
import java.util.List;

/**
 * Gathers what a verticle sends to one address while its event loop is busy, and sends it as one
 * {@link Bundle} once the loop gets to it. Vert.x spends the same objects on every message (a
 * duplicated context, two delivery contexts, a promise, options) whatever it carries: with many
 * clients on a loop, one message per turn instead of one per client read halves what the
 * routing path allocates. Order is kept: items leave in the order they were added.
 *
 * <p>Used only on its verticle's event loop.
 */
public final class Outbox<T> {

  private final EventBus bus;
  private final String address;
  private final Context context;
  /** Read-only to the event bus; {@code send(address, message)} would make new ones each time. */
  private final DeliveryOptions options = new DeliveryOptions().setLocalOnly(true);
  private List<T> items = new ArrayList<>();
  private boolean scheduled;

  public Outbox(EventBus bus, String address, Context context) {
    this.bus = bus;
    this.address = address;
    this.context = context;
  }

  public void add(T item) {
    items.add(item);
    if (!scheduled) {
      scheduled = true;
      context.runOnContext(v -> send());
    }
  }

  private void send() {
    scheduled = false;
    List<T> sending = items;
    items = new ArrayList<>(sending.size());
    bus.send(address, new Bundle<>(sending), options);
  }
}
