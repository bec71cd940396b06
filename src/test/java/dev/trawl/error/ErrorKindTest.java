package dev.trawl.error;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The SPEC error kinds ("Results": {@code error.kind}) and their wire names. */
class ErrorKindTest {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "INVALID_REQUEST,    invalid_request",
    "BLOCKED,            blocked",
    "DNS,                dns",
    "CONNECT,            connect",
    "TLS,                tls",
    "TIMEOUT,            timeout",
    "HTTP_STATUS,        http_status",
    "TOO_LARGE,          too_large",
    "TOO_MANY_REDIRECTS, too_many_redirects",
    "CONTENT_TYPE,       content_type",
    "PARSE,              parse",
    "PROXY,              proxy",
    "CANCELLED,          cancelled",
    "INTERNAL,           internal",
  })
  void aKindsWireNameIsItsSpecName(ErrorKind kind, String wire) {
    assertEquals(wire, kind.wire());
  }

  @ParameterizedTest(name = "{1} is {0}")
  @CsvSource({
    "INVALID_REQUEST,    invalid_request",
    "BLOCKED,            blocked",
    "DNS,                dns",
    "CONNECT,            connect",
    "TLS,                tls",
    "TIMEOUT,            timeout",
    "HTTP_STATUS,        http_status",
    "TOO_LARGE,          too_large",
    "TOO_MANY_REDIRECTS, too_many_redirects",
    "CONTENT_TYPE,       content_type",
    "PARSE,              parse",
    "PROXY,              proxy",
    "CANCELLED,          cancelled",
    "INTERNAL,           internal",
  })
  void aSpecNameReadsBackAsItsKind(ErrorKind kind, String wire) {
    assertSame(kind, ErrorKind.ofWire(wire));
  }

  @ParameterizedTest(name = "{0} prints as {1}")
  @CsvSource({
    "DNS,                dns",
    "TOO_MANY_REDIRECTS, too_many_redirects",
  })
  void aKindPrintsAsItsWireName(ErrorKind kind, String wire) {
    assertEquals(wire, kind.toString());
  }

  @Test
  void theSpecHasFourteenKinds() {
    assertEquals(14, ErrorKind.values().length);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"rate_limited", "DNS", "Timeout", " dns", "http-status"})
  void aNameThatIsNoKindReadsAsInternal(String wire) {
    assertSame(ErrorKind.INTERNAL, ErrorKind.ofWire(wire));
  }
}
