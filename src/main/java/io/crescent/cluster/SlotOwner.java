package io.crescent.cluster;

/**
 * Who serves a slot: a redis server behind this proxy ({@link Kind#LOCAL}, commands go there) or
 * another proxy ({@link Kind#PEER}, the client is sent there with MOVED).
 */
public record SlotOwner(Kind kind, String address) {

  public enum Kind { LOCAL, PEER }

  public boolean isLocal() {
    return kind == Kind.LOCAL;
  }
}
