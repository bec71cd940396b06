package dev.trawl.error;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.HttpClosedException;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** How the failure of a try becomes a SPEC error kind and a message a person understands. */
class ErrorKindsTest {

  /** What Vert.x's HTTP client fails a request with when {@code idleTimeout} passes. */
  private static final String VERTX_IDLE_TIMEOUT =
    "The timeout period of 1000ms has been exceeded while executing GET /slow for server 127.0.0.1:8080";

  private static Arguments row(String name, Throwable error, Object expected) {
    return Arguments.of(Named.of(name, error), expected);
  }

  /** What Netty itself throws on a response whose status line is not HTTP. */
  private static Throwable thrownByNetty(Runnable parse) {
    try {
      parse.run();
    } catch (RuntimeException thrown) {
      return thrown;
    }
    throw new AssertionError("Netty accepted it");
  }

  static Stream<Arguments> kinds() {
    return Stream.of(
      row("UnknownHostException", new UnknownHostException("nowhere.invalid"), ErrorKind.DNS),
      row("ConnectException", new ConnectException("Connection refused"), ErrorKind.CONNECT),
      row("NoRouteToHostException", new NoRouteToHostException("No route to host"), ErrorKind.CONNECT),
      row("Vert.x HttpClosedException", new HttpClosedException("Connection was closed"), ErrorKind.CONNECT),
      row("ClosedChannelException", new ClosedChannelException(), ErrorKind.CONNECT),
      row("any other IOException", new IOException("Broken pipe"), ErrorKind.CONNECT),
      row("SSLException", new SSLException("Received fatal alert: handshake_failure"), ErrorKind.TLS),
      row("SSLHandshakeException", new SSLHandshakeException("PKIX path building failed"), ErrorKind.TLS),
      row("TimeoutException", new TimeoutException("timed out"), ErrorKind.TIMEOUT),
      row("Vert.x idle timeout", new TimeoutException(VERTX_IDLE_TIMEOUT), ErrorKind.TIMEOUT),
      row("netty ConnectTimeoutException (a ConnectException)",
        new ConnectTimeoutException("connection timed out after 1000 ms: /10.255.255.1:80"), ErrorKind.TIMEOUT),
      row("TrawlFailure too_large", new TrawlFailure(ErrorKind.TOO_LARGE, "body over 1048576 bytes"),
        ErrorKind.TOO_LARGE),
      row("TrawlFailure parse", new TrawlFailure(ErrorKind.PARSE, "not JSON: Unexpected character"), ErrorKind.PARSE),
      row("TrawlFailure blocked", new TrawlFailure(ErrorKind.BLOCKED, "10.0.0.1 is a private address"),
        ErrorKind.BLOCKED),
      row("a wrapped UnknownHostException",
        new RuntimeException("lookup failed", new UnknownHostException("x.invalid")), ErrorKind.DNS),
      row("a wrapped SSLException", new CompletionException(new SSLException("bad certificate")), ErrorKind.TLS),
      row("a wrapped TrawlFailure", new RuntimeException(new TrawlFailure(ErrorKind.TOO_MANY_REDIRECTS, "6 redirects")),
        ErrorKind.TOO_MANY_REDIRECTS),
      row("netty DecoderException", new DecoderException("invalid version format: GARBAGE"), ErrorKind.CONNECT),
      row("TLS failing after the handshake, wrapped by netty", new DecoderException(new SSLException("bad record MAC")),
        ErrorKind.TLS),
      row("netty HttpVersion rejecting a status line", thrownByNetty(() -> HttpVersion.valueOf("GARBAGE/x")),
        ErrorKind.CONNECT),
      row("netty HttpResponseStatus rejecting a status line",
        thrownByNetty(() -> HttpResponseStatus.parseLine("abc")), ErrorKind.CONNECT),
      row("a message saying timed out", new IllegalStateException("read timed out"), ErrorKind.TIMEOUT),
      row("a message saying connection", new IllegalStateException("Connection reset by peer"), ErrorKind.CONNECT),
      row("an unknown RuntimeException", new RuntimeException("boom"), ErrorKind.INTERNAL),
      row("an IllegalArgumentException of our own", new IllegalArgumentException("bad index"), ErrorKind.INTERNAL),
      row("a NullPointerException", new NullPointerException(), ErrorKind.INTERNAL));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("kinds")
  void aFailureIsClassifiedAsItsKind(Throwable error, ErrorKind kind) {
    assertSame(kind, ErrorKinds.kindOf(error));
  }

  static Stream<Arguments> messages() {
    return Stream.of(
      row("UnknownHostException", new UnknownHostException("nowhere.invalid"), "cannot resolve host nowhere.invalid"),
      row("netty DecoderException", new DecoderException("invalid version format: GARBAGE"),
        "the server's answer is not valid HTTP: invalid version format: GARBAGE"),
      row("netty HttpVersion rejecting a status line", thrownByNetty(() -> HttpVersion.valueOf("GARBAGE/x")),
        "the server's answer is not valid HTTP: invalid version format: GARBAGE/X"),
      row("Vert.x idle timeout", new TimeoutException(VERTX_IDLE_TIMEOUT),
        "nothing received for 1000 ms (timeouts.idleMs)"),
      row("Vert.x closed connection", new HttpClosedException("Connection was closed"),
        "the server closed the connection before the response was complete"),
      row("ConnectException", new ConnectException("Connection refused"), "Connection refused"),
      row("SSLException", new SSLException("Received fatal alert: handshake_failure"),
        "Received fatal alert: handshake_failure"),
      row("TrawlFailure", new TrawlFailure(ErrorKind.TOO_LARGE, "body over 1048576 bytes"), "body over 1048576 bytes"),
      row("a wrapper keeps its own words", new RuntimeException("lookup failed", new UnknownHostException("x.invalid")),
        "lookup failed"),
      row("no message", new ClosedChannelException(), "ClosedChannelException"),
      row("a blank message", new RuntimeException("  "), "RuntimeException"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("messages")
  void aFailureIsDescribedInTheWordsOfAResult(Throwable error, String message) {
    assertEquals(message, ErrorKinds.messageOf(error));
  }
}
