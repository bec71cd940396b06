package dev.trawl.fetch;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrivateAddressesTest {

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
    "100.64.0.1", "100.127.255.254", "169.254.169.254", "0.0.0.0", "::1", "::", "fc00::1", "fd12:3456::1",
    "fe80::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "224.0.0.1", "::127.0.0.1", "64:ff9b::10.0.0.1", "2002:7f00:1::1"})
  void privateLoopbackLinkLocalAndMappedFormsAreBlocked(String literal) throws Exception {
    assertTrue(PrivateAddresses.isBlocked(InetAddress.getByName(literal)), literal);
  }

  /** The addresses issue 12 found getting through, one row each. */
  @ParameterizedTest
  @ValueSource(strings = {"198.18.0.1", "192.0.0.192", "168.63.129.16", "240.0.0.1", "255.255.255.255",
    "::ffff:0:7f00:1", "64:ff9b:1::a00:1"})
  void theAddressesThatGotThroughAreBlocked(String literal) throws Exception {
    assertTrue(PrivateAddresses.isBlocked(InetAddress.getByName(literal)), literal);
  }

  /** The rest of the IANA special-purpose blocks marked "Globally Reachable: False", and metadata addresses. */
  @ParameterizedTest
  @ValueSource(strings = {"0.1.2.3", "192.0.0.8", "192.0.0.170", "192.0.2.1", "192.88.99.1", "198.19.255.255",
    "198.51.100.7", "203.0.113.9", "239.255.255.250", "100.100.100.200", "fd00:ec2::254", "100::1",
    "100:0:0:1::1", "2001:2::1", "2001:10::1", "2001:db8::1", "3fff::1", "5f00::1", "fec0::1", "ff02::1",
    "64:ff9b:1:ffff::1", "4000::1"})
  void everyBlockThatIsNotGloballyReachableIsBlocked(String literal) throws Exception {
    assertTrue(PrivateAddresses.isBlocked(InetAddress.getByName(literal)), literal);
  }

  /** IPv6 forms that carry a private IPv4 address are judged by it. */
  @ParameterizedTest
  @ValueSource(strings = {"::ffff:0:a00:1", "::ffff:0:c0a8:101", "::a9fe:a9fe", "64:ff9b::a9fe:a9fe",
    "64:ff9b::c612:1", "2002:a00:1::1", "2002:c0a8:101::1", "2002:a83f:8110::1",
    "2001:0:4136:e378:8000:63bf:80ff:fffe", "2001:0:a00:1:8000:63bf:3fff:fdd2"})
  void embeddedPrivateIpv4IsBlocked(String literal) throws Exception {
    assertTrue(PrivateAddresses.isBlocked(InetAddress.getByName(literal)), literal);
  }

  @ParameterizedTest
  @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8",
    "192.0.1.1", "198.20.0.1", "192.31.196.1", "192.175.48.1", "223.255.255.255", "168.63.129.17",
    "64:ff9b::808:808", "2002:808:808::1", "2001:0:4136:e378:8000:63bf:f7f7:f7f7", "2001:1::1", "2001:3::1",
    "2001:4:112::1", "2001:20::1", "2620:4f:8000::1", "2a00:1450:4001::200e"})
  void globallyReachableAddressesAreAllowed(String literal) throws Exception {
    assertFalse(PrivateAddresses.isBlocked(InetAddress.getByName(literal)), literal);
  }
}
