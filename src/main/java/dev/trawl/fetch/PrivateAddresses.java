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
    boolean zeroPrefix = true;
    for (int i = 0; i < 10; i++) {
      zeroPrefix &= b[i] == 0;
    }
    boolean mapped = zeroPrefix && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff; // ::ffff:a.b.c.d
    boolean compatible = zeroPrefix && b[10] == 0 && b[11] == 0;                      // ::a.b.c.d
    boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
      && allZero(b, 4, 12);                                                             // 64:ff9b::/96
    if (mapped || compatible || nat64) {
      return blockedV4(new byte[] {b[12], b[13], b[14], b[15]});
    }
    if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {                               // 6to4 2002::/16
      return blockedV4(new byte[] {b[2], b[3], b[4], b[5]});
    }
    return false;
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
