package io.crescent.config;

/**
 * The secrets of a proxy: what clients must send with AUTH, what the administrator must send to
 * use UMCTL, and how the proxy authenticates to its Redis. Empty means not required. They are
 * never printed: {@link #toString()} says only which are set.
 */
public record Passwords(String client, String admin, String backendUser, String backendPassword) {

  public static final Passwords NONE = new Passwords("", "", "", "");

  public boolean clientRequired() {
    return !client.isEmpty();
  }

  public boolean adminRequired() {
    return !admin.isEmpty();
  }

  public boolean backendAuth() {
    return !backendPassword.isEmpty();
  }

  /**
   * The credentials for another proxy of the cluster: proxies of one cluster share the client
   * password, and a peer is reached as a client of it.
   */
  public Passwords towardsPeers() {
    return new Passwords(client, admin, "", client);
  }

  @Override
  public String toString() {
    return "Passwords[client=" + mask(client) + ", admin=" + mask(admin) + ", backendUser=" + backendUser
        + ", backendPassword=" + mask(backendPassword) + "]";
  }

  private static String mask(String secret) {
    return secret.isEmpty() ? "none" : "set";
  }
}
