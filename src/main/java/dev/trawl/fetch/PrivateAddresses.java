package dev.trawl.fetch;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Which resolved addresses {@code fetch.blockPrivateNetworks} refuses: every block the IANA IPv4
 * and IPv6 Special-Purpose Address Registries (RFC 6890, RFC 8190) mark "Globally Reachable:
 * False", multicast, IPv6 outside the global unicast space {@code 2000::/3}, and cloud metadata
 * addresses that are public ones ({@code 168.63.129.16}). An IPv6 address that carries an IPv4 one
 * (mapped, translated, compatible, NAT64 {@code 64:ff9b::/96}, 6to4, Teredo) is judged by the IPv4
 * address it reaches. Pure: it looks at the bytes only.
 */
public final class PrivateAddresses {

  /** IPv4 blocks that are not globally reachable, as {first byte, second byte, ..., prefix length}. */
  private static final int[][] V4_BLOCKS = {
    {0, 8},                 // "this network" (RFC 1122)
    {10, 8},                // private use (RFC 1918)
    {100, 64, 10},          // shared address space, carrier-grade NAT (RFC 6598); Alibaba's metadata 100.100.100.200
    {127, 8},               // loopback
    {169, 254, 16},         // link local (RFC 3927); the metadata address 169.254.169.254 of most clouds
    {172, 16, 12},          // private use
    {192, 0, 0, 24},        // IETF protocol assignments (RFC 6890), 192.0.0.192 among them
    {192, 0, 2, 24},        // TEST-NET-1 (RFC 5737)
    {192, 88, 99, 24},      // deprecated 6to4 relay anycast (RFC 7526)
    {192, 168, 16},         // private use
    {198, 18, 15},          // benchmarking (RFC 2544)
    {198, 51, 100, 24},     // TEST-NET-2
    {203, 0, 113, 24},      // TEST-NET-3
    {224, 4},               // multicast (RFC 5771)
    {240, 4},               // reserved (RFC 1112), 255.255.255.255 limited broadcast among them
    {168, 63, 129, 16, 32}, // Azure's wire server and metadata, a public address
  };

  private PrivateAddresses() {
  }

  public static boolean isBlocked(InetAddress address) {
    byte[] b = address.getAddress();
    return address instanceof Inet4Address ? blockedV4(b, 0) : blockedV6(b);
  }

  private static boolean blockedV4(byte[] b, int at) {
    long value = (b[at] & 0xffL) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    for (int[] block : V4_BLOCKS) {
      if (within(value, block)) {
        return true;
      }
    }
    return false;
  }

  private static boolean within(long value, int[] block) {
    int prefix = block[block.length - 1];
    long start = 0;
    for (int i = 0; i < block.length - 1; i++) {
      start |= (long) block[i] << (24 - 8 * i);
    }
    long mask = (0xffffffffL << (32 - prefix)) & 0xffffffffL;
    return (value & mask) == start;
  }

  private static boolean blockedV6(byte[] b) {
    if (embedsV4(b)) {
      return blockedV4(b, 12);
    }
    if (u16(b, 0) == 0x64 && u16(b, 2) == 0xff9b && zero(b, 4, 12)) {
      return blockedV4(b, 12); // NAT64 well-known prefix 64:ff9b::/96 (RFC 6052), globally reachable itself
    }
    if ((b[0] & 0xe0) != 0x20) {
      return true; // outside global unicast 2000::/3: 64:ff9b:1::/48, 100::/64, 5f00::/16, fc00::/7, fe80::/10, ff00::/8…
    }
    if (u16(b, 0) == 0x2002) {
      return blockedV4(b, 2); // 6to4 (RFC 3056): the IPv4 address it tunnels to
    }
    if (u16(b, 0) == 0x2001 && u16(b, 2) == 0) {
      return blockedV4(b, 4) || blockedTeredoClient(b); // Teredo 2001::/32 (RFC 4380): server, and client obfuscated
    }
    return blockedV6Global(b);
  }

  /**
   * IPv4-compatible {@code ::/96} ({@code ::} and {@code ::1} among them), IPv4-mapped
   * {@code ::ffff:0:0/96} and IPv4-translated {@code ::ffff:0:0:0/96} (RFC 2765).
   */
  private static boolean embedsV4(byte[] b) {
    if (!zero(b, 0, 8)) {
      return false;
    }
    return zero(b, 8, 10) ? zero(b, 10, 12) || ff(b, 10, 12) : ff(b, 8, 10) && zero(b, 10, 12);
  }

  /** Blocks inside {@code 2000::/3} the IPv6 registry marks not globally reachable. */
  private static boolean blockedV6Global(byte[] b) {
    int first = u16(b, 0);
    int second = u16(b, 2);
    if (first == 0x2001 && second < 0x200) {
      return !globalIetfAssignment(b, second);    // 2001::/23 IETF protocol assignments
    }
    return (first == 0x2001 && second == 0xdb8)   // 2001:db8::/32 documentation
      || (first & 0xfff0) == 0x3ff0;              // 3fff::/20 documentation (RFC 9637)
  }

  /**
   * The blocks of {@code 2001::/23} the registry marks globally reachable: PCP, TURN and DNS-SD
   * anycast {@code 2001:1::1-3}, AMT {@code 2001:3::/32}, AS112 {@code 2001:4:112::/48}, ORCHIDv2
   * {@code 2001:20::/28} and drone remote ID {@code 2001:30::/28}. The rest (benchmarking
   * {@code 2001:2::/48}, ORCHID {@code 2001:10::/28}, unassigned) is not.
   */
  private static boolean globalIetfAssignment(byte[] b, int second) {
    boolean anycast = second == 1 && zero(b, 4, 15) && b[15] >= 1 && b[15] <= 3;
    boolean as112 = second == 4 && u16(b, 4) == 0x112;
    return anycast || second == 3 || as112 || (second & 0xfff0) == 0x20 || (second & 0xfff0) == 0x30;
  }

  private static boolean blockedTeredoClient(byte[] b) {
    byte[] client = new byte[4];
    for (int i = 0; i < 4; i++) {
      client[i] = (byte) ~b[12 + i];
    }
    return blockedV4(client, 0);
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
  }

  private static boolean zero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean ff(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != (byte) 0xff) {
        return false;
      }
    }
    return true;
  }
}
