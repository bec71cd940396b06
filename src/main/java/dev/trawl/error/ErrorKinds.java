package dev.trawl.error;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Maps a failure of a try to a SPEC error kind and a message a person understands. */
public final class ErrorKinds {

  private ErrorKinds() {
  }

  /**
   * Netty's HTTP decoder rejected the response: garbage, a bad status line, oversized headers.
   * A bad status line surfaces as a plain {@code IllegalArgumentException} thrown by Netty's
   * {@code HttpVersion} or {@code HttpResponseStatus}; only the frame that threw it tells it
   * apart from any other, hence the look at the stack.
   */
  private static boolean notHttp(Throwable error) {
    if (error instanceof io.netty.handler.codec.DecoderException) {
      return !(error.getCause() instanceof SSLException); // TLS failing after the handshake is still TLS
    }
    StackTraceElement[] stack = error.getStackTrace();
    return stack.length > 0 && (stack[0].getClassName().startsWith("io.netty.handler.codec.http")
      || stack.length > 2 && stack[2].getClassName().startsWith("io.netty.handler.codec.http"));
  }

  /** The SPEC error kind of a try's failure. */
  public static ErrorKind kindOf(Throwable error) {
    if (error instanceof TrawlFailure e) {
      return e.kind();
    }
    if (error instanceof io.netty.handler.proxy.ProxyConnectException) {
      return ErrorKind.PROXY; // a ConnectException too: it must come first
    }
    if (error instanceof UnknownHostException) {
      return ErrorKind.DNS;
    }
    if (notHttp(error)) {
      return ErrorKind.CONNECT;
    }
    if (error instanceof SSLException) {
      return ErrorKind.TLS;
    }
    if (error instanceof TimeoutException || error instanceof ConnectTimeoutException) {
      return ErrorKind.TIMEOUT;
    }
    if (error instanceof ConnectException || error instanceof NoRouteToHostException
      || error instanceof HttpClosedException || error instanceof StreamResetException
      || error instanceof ClosedChannelException || error instanceof java.io.IOException) {
      return ErrorKind.CONNECT;
    }
    if (error.getCause() != null && error.getCause() != error) {
      return kindOf(error.getCause());
    }
    String message = String.valueOf(error.getMessage()).toLowerCase(java.util.Locale.ROOT);
    if (message.contains("timeout") || message.contains("timed out")) {
      return ErrorKind.TIMEOUT;
    }
    if (message.contains("connection") || message.contains("closed")) {
      return ErrorKind.CONNECT;
    }
    return ErrorKind.INTERNAL;
  }

  /** A message a person understands: what the JDK or Netty said, in the words of a result. */
  public static String messageOf(Throwable error) {
    String message = error.getMessage();
    if (error instanceof UnknownHostException) {
      return "cannot resolve host " + message;
    }
    if (notHttp(error)) {
      return "the server's answer is not valid HTTP: " + message;
    }
    if (message != null && message.startsWith("The timeout period of")) {
      return "nothing received for " + message.replaceAll("The timeout period of (\\d+)ms.*", "$1") + " ms (timeouts.idleMs)";
    }
    if ("Connection was closed".equals(message)) {
      return "the server closed the connection before the response was complete";
    }
    if (message == null || message.isBlank()) {
      return error.getClass().getSimpleName();
    }
    return message;
  }
}
