package dev.trawl.fetch;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Proxy URLs as {@code fetch.proxies} and a job's {@code proxy} give them. */
class ProxyTest {

  @Test
  void credentialsAreReadDecodedAndNeverPrinted() {
    Proxy proxy = Proxy.parse("socks5://scr%40per:p%3Ass%2Bw@Proxy.Example:1080");
    assertEquals(new Proxy(Proxy.Kind.SOCKS5, "proxy.example", 1080, "scr@per", "p:ss+w"), proxy);
    assertEquals("proxy.example:1080", proxy.address());
    assertEquals("socks5://proxy.example:1080", proxy.toString());
    assertFalse(proxy.toString().contains("p:ss"));
  }

  @ParameterizedTest
  @CsvSource({
    "http://10.0.0.1:3128, HTTP, 10.0.0.1, 3128",
    "http://[::1]:8080/, HTTP, ::1, 8080",
    "SOCKS5://gate:1080, SOCKS5, gate, 1080",
  })
  void anHttpOrSocks5UrlNamesAProxy(String url, Proxy.Kind kind, String host, int port) {
    Proxy proxy = Proxy.parse(url);
    assertEquals(kind, proxy.kind());
    assertEquals(host, proxy.host());
    assertEquals(port, proxy.port());
    assertNull(proxy.username());
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://proxy:443", "proxy:3128", "http://proxy", "http://user:secret@proxy/path", "socks4://p:1",
    "http://proxy:3128?x=1", "not a url"})
  void anythingElseIsRefusedWithoutEchoingIt(String url) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Proxy.parse(url));
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
  }
}
