package dev.trawl.error;

import java.util.Locale;

/**
 * Why a request did not end {@code ok}: the closed set of SPEC error kinds. {@link #wire()} is the
 * name results, metrics and messages carry.
 */
public enum ErrorKind {
  INVALID_REQUEST, BLOCKED, DNS, CONNECT, TLS, TIMEOUT, HTTP_STATUS, TOO_LARGE, TOO_MANY_REDIRECTS,
  CONTENT_TYPE, PARSE, PROXY, CANCELLED, INTERNAL;

  private final String wire = name().toLowerCase(Locale.ROOT);

  /** The SPEC name: {@code invalid_request}, {@code http_status}, … */
  public String wire() {
    return wire;
  }

  /** The kind of a SPEC name; {@link #INTERNAL} for a name that is none (a newer node's). */
  public static ErrorKind ofWire(String wire) {
    for (ErrorKind kind : values()) {
      if (kind.wire.equals(wire)) {
        return kind;
      }
    }
    return INTERNAL;
  }

  @Override
  public String toString() {
    return wire;
  }
}
