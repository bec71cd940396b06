package dev.trawl.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HostNamesTest {

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, 127.0.0.1", "127.1, 127.0.0.1", "2130706433, 127.0.0.1", "0x7f000001, 127.0.0.1",
    "0177.0.0.1, 127.0.0.1", "127.000.000.001, 127.0.0.1", "0x7f.1, 127.0.0.1", "10.1, 10.0.0.1",
    "169.254.43518, 169.254.169.254", "0, 0.0.0.0", "1.2.3.4., 1.2.3.4"})
  void ipv4SpellingsAreTheAddressTheyName(String host, String address) {
    assertEquals(address, HostNames.literalAddress(host).getHostAddress());
  }

  @ParameterizedTest
  @ValueSource(strings = {"256.1.1.1", "1.2.3.4.5", "0x1.0x2.0x3.0x100", "4294967296", "1.2.65536"})
  void numbersThatAreNoAddressAreRejected(String host) {
    assertThrows(IllegalArgumentException.class, () -> HostNames.literalAddress(host));
  }

  @ParameterizedTest
  @ValueSource(strings = {"example.com", "1.example", "x1", "localhost"})
  void namesNeedDns(String host) {
    assertNull(HostNames.literalAddress(host));
  }

  @Test
  void ipv6LiteralsAndHostsJavaCannotParse() {
    assertEquals("0:0:0:0:0:0:0:1", HostNames.literalAddress("::1").getHostAddress());
    assertEquals("127.1", HostNames.hostOf(URI.create("http://127.1:8080/x")));
    assertEquals(8080, HostNames.portOf(URI.create("http://127.1:8080/x")));
    assertEquals("::ffff:127.0.0.1", HostNames.hostOf(URI.create("http://[::ffff:127.0.0.1]/")));
    assertEquals(443, HostNames.portOf(URI.create("https://a.example/")));
    assertEquals("a.example", HostNames.hostOf(URI.create("http://user@A.Example:81/")));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
    ::                            | 0:0:0:0:0:0:0:0
    1::                           | 1:0:0:0:0:0:0:0
    1:2:3:4:5:6:7:8               | 1:2:3:4:5:6:7:8
    FE80::0001                    | fe80:0:0:0:0:0:0:1
    1:2:3:4:5:6:7::               | 1:2:3:4:5:6:7:0
    ::ffff:127.0.0.1              | 127.0.0.1
    64:ff9b::192.0.2.1            | 64:ff9b:0:0:0:0:c000:201
    ::1.2.3.4                     | 0:0:0:0:0:0:102:304
    """)
  void ipv6LiteralsAreReadByHand(String host, String address) {
    assertEquals(address, HostNames.literalAddress(host).getHostAddress());
  }

  @ParameterizedTest
  @ValueSource(strings = {"zq:x", "a:b", "localhost:80", "fe80::1%eth0", "fe80::1%25lo", "1:2:3:4:5:6:7:8:9",
    "1:::2", "1::2::3", "12345::", "::1.2.3", "::1.2.3.256", "1.2.3.4::", "g::", ":1", "1:", "::0x7f.1",
    "1:2:3:4:5:6:7:1.2.3.4", "::\u0010"})
  void hostsWithAColonThatAreNoIpv6LiteralAreRejected(String host) {
    assertThrows(IllegalArgumentException.class, () -> HostNames.literalAddress(host));
  }

  /** The JDK's name lookups block on the system resolver; these methods run on event loops. */
  @Test
  void theSystemResolverIsNeverNamed() throws IOException {
    String classFile;
    try (InputStream in = HostNames.class.getResourceAsStream("HostNames.class")) {
      classFile = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
    List<String> named = Stream.of("getByName", "getAllByName", "getHostName", "getCanonicalHostName", "getLocalHost")
      .filter(classFile::contains).toList();
    assertEquals(List.of(), named);
  }
}
