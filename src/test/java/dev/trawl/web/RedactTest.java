package dev.trawl.web;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** URLs in logs carry no user-info. */
class RedactTest {

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', value = {
    "http://user:pass@host/                  | http://host/",
    "https://user:p%40ss@host:8443/a?b=c#d   | https://host:8443/a?b=c#d",
    "http://token@host                       | http://host",
    "http://a@b@host/x                       | http://host/x",
    "http://host/path@not-user-info          | http://host/path@not-user-info",
    "http://host/?next=http://u:p@other/     | http://host/?next=http://u:p@other/",
    "//user:pass@host/                       | //host/",
    "not a url                               | not a url",
    "http://[::1]:8080/                      | http://[::1]:8080/",
  })
  void userInfoIsRemoved(String url, String logged) {
    assertEquals(logged, Redact.url(url));
  }
}
