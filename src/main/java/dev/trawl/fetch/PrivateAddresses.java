package dev.trawl.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Which resolved addresses {@code fetch.blockPrivateNetworks} refuses: loopback, private,
 * carrier-grade NAT, link-local (the cloud metadata address among them), unspecified, and the
 * IPv6 equivalents, IPv4-mapped forms included. Pure: it looks at the bytes only.
 */
public final class PrivateAddresses {

  private PrivateAddresses() {
  }

  public static boolean isBlocked(InetAddress address) {
    if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
      || address.isSiteLocalAddress() || address.isMulticastAddress()) {
      return true;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return blockedV4(b);
    }
    if (address instanceof Inet6Address) {
      return blockedV6(b);
    }
    return false;
  }

  private static boolean blockedV4(byte[] b) {
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    return first == 0 || first == 10 || first == 127
      || (first == 100 && second >= 64 && second <= 127)
      || (first == 169 && second == 254)
      || (first == 172 && second >= 16 && second <= 31)
      || (first == 192 && second == 168);
  }

  private static boolean blockedV6(byte[] b) {
    if ((b[0] & 0xfe) == 0xfc) {
      return true; // unique local fc00::/7
    }
    boolean mapped = true;
    for (int i = 0; i < 10; i++) {
      mapped &= b[i] == 0;
    }
    if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      return blockedV4(new byte[] {b[12], b[13], b[14], b[15]});
    }
    return false;
  }
}
