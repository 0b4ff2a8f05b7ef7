package io.crescent.route;

import io.crescent.resp.Command;
import io.crescent.resp.DiscardingSink;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * PUBLISH reaches subscribers on every proxy of the cluster, as Redis Cluster broadcasts it over
 * its bus. Each peer proxy is sent CRESCENT.PUBLISH, which it publishes on its own Redis only,
 * so a message never travels twice. The client's reply counts this proxy's subscribers, as a
 * cluster node counts its own.
 */
final class PeerPublish {

  static final String COMMAND = "crescent.publish";

  private final Forwarder forwarder;

  PeerPublish(Forwarder forwarder) {
    this.forwarder = forwarder;
  }

  void relay(Command publish, List<String> peers) {
    if (peers.isEmpty()) {
      return;
    }
    byte[][] argv = {COMMAND.getBytes(StandardCharsets.US_ASCII), publish.argBytes(1),
        publish.argBytes(2)};
    for (String peer : peers) {
      Command relayed = Command.of(argv);
      // Peers' counts are not the client's to see.
      relayed.sink(DiscardingSink.INSTANCE);
      forwarder.addForPeer(peer, relayed);
    }
  }

  /** What a peer's relay turns into here: a PUBLISH on the local Redis, answered as such. */
  static Command localPublish(Client client, Command relayed) {
    Command publish = Command.of(new byte[][] {"PUBLISH".getBytes(StandardCharsets.US_ASCII),
        relayed.argBytes(1), relayed.argBytes(2)});
    publish.sink(new RewritingSink(client, relayed, reply -> reply));
    return publish;
  }
}
