package io.crescent.cluster;

import java.nio.charset.StandardCharsets;

/**
 * The 40-character node ids this proxy shows to clients, built as undermoon builds them so that
 * every proxy of a cluster gives the same id to the same address without talking to the others:
 * the cluster name cut or padded with '_' to 20 characters, then the CRC-64 of the
 * {@code host:port} text in hex, padded with '_' to 40.
 *
 * <p>Names longer than 20 characters are cut, as undermoon does: the address hash already makes
 * ids unique within a cluster, and a client only ever sees one cluster. Unlike undermoon, the
 * hash is zero-padded to 16 digits, so that an id is always 40 characters of the same layout.
 */
public final class NodeId {

  public static final int LENGTH = 40;
  private static final int NAME_PART = 20;

  private NodeId() {
  }

  public static String of(String clusterName, String address) {
    StringBuilder id = new StringBuilder(LENGTH);
    id.append(clusterName, 0, Math.min(clusterName.length(), NAME_PART));
    pad(id, NAME_PART);
    String hash = Long.toHexString(Crc64.crc64(address.getBytes(StandardCharsets.UTF_8)));
    pad(id, NAME_PART + 16 - hash.length(), '0');
    id.append(hash);
    pad(id, LENGTH);
    return id.toString();
  }

  private static void pad(StringBuilder sb, int length) {
    pad(sb, length, '_');
  }

  private static void pad(StringBuilder sb, int length, char filler) {
    while (sb.length() < length) {
      sb.append(filler);
    }
  }
}
