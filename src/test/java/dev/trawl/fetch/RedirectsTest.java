package dev.trawl.fetch;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RedirectsTest {

  @ParameterizedTest
  @CsvSource({
    "http://a.example/x/y, ../z, http://a.example/z",
    "http://a.example/x/y, /abs, http://a.example/abs",
    "http://a.example/x/y, https://b.example/, https://b.example/",
    "http://a.example/x/y, //c.example/p, http://c.example/p",
    "http://a.example/x/y, file:///etc/passwd, ",
    "http://a.example/x/y, javascript:alert(1), "})
  void locationsResolveAgainstTheCurrentUrlAndOnlyHttpIsFollowed(String base, String location, String expected) {
    URI next = Redirects.resolve(URI.create(base), location);
    assertEquals(expected, next == null ? null : next.toString());
  }

  @ParameterizedTest
  @CsvSource({"303, PUT, true", "302, POST, true", "301, POST, true", "307, POST, false", "308, POST, false", "302, GET, true"})
  void seeOtherAndPostRedirectsBecomeGet(int status, String method, boolean get) {
    assertEquals(get, Redirects.becomesGet(status, method) || method.equals("GET"));
  }
}
