package io.crescent.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The current cluster state of this proxy, shared by every event loop. Readers take the immutable
 * snapshot; a new configuration replaces it in one atomic swap, or not at all.
 */
public final class ClusterStore {

  private static final Logger log = LoggerFactory.getLogger(ClusterStore.class);

  private final AtomicReference<ClusterState> current = new AtomicReference<>(ClusterState.EMPTY);
  private final List<Consumer<ClusterState>> listeners = new CopyOnWriteArrayList<>();
  /** This proxy's own addresses: never a Redis or a peer of its topology. */
  private volatile OwnAddresses own = OwnAddresses.NONE;

  public ClusterState current() {
    return current.get();
  }

  /**
   * Applies a configuration under the epoch rule; on error the running state is untouched. Every
   * source of configuration (UMCTL SETCLUSTER, the event-bus admin address, the configuration file)
   * comes through here, and {@code source} says which in the log.
   */
  public ClusterState apply(ClusterConfig config, String source) {
    refuseOwnAddresses(config, own);
    ClusterState next = current.updateAndGet(state -> state.apply(config));
    log.info("cluster configuration epoch {} applied from {}: cluster '{}', {} local slots, {} assigned",
        next.epoch(), source, next.table().clusterName(), next.table().localSlots(), next.table().assignedSlots());
    listeners.forEach(listener -> listener.accept(next));
    return next;
  }

  /** The addresses this proxy listens on and announces, which no topology may name. */
  public void ownAddresses(OwnAddresses addresses) {
    own = addresses;
  }

  /**
   * A topology naming this proxy as one of its Redis servers (say, the Redis and proxy ports
   * swapped) would make it forward to itself without end; as a peer, redirect clients to itself.
   */
  public static void refuseOwnAddresses(ClusterConfig config, OwnAddresses own) {
    for (ClusterSpec spec : config.clusters()) {
      for (Map<String, ?> owners : List.of(spec.local(), spec.peers())) {
        for (String address : owners.keySet()) {
          if (own.names(address)) {
            throw new ClusterConfigException(address + " is this proxy's own address, not a Redis or a peer of it");
          }
        }
      }
    }
  }

  /** Calls {@code listener} with every state applied from now on, on the applying thread. */
  public void onApply(Consumer<ClusterState> listener) {
    listeners.add(listener);
  }
}
