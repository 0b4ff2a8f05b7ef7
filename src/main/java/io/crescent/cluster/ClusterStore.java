package io.crescent.cluster;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The current cluster state of this proxy, shared by every event loop. Readers take the immutable
 * snapshot; a new configuration replaces it in one atomic swap, or not at all.
 */
public final class ClusterStore {

  private final AtomicReference<ClusterState> current = new AtomicReference<>(ClusterState.EMPTY);

  public ClusterState current() {
    return current.get();
  }

  /** Applies a configuration under the epoch rule; on error the running state is untouched. */
  public ClusterState apply(ClusterConfig config) {
    return current.updateAndGet(state -> state.apply(config));
  }
}
