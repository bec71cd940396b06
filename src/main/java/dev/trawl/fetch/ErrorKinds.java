package dev.trawl.fetch;

import dev.trawl.parse.ParseException;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/** Maps a failure of a try to a SPEC error kind and a message a person understands. */
public final class ErrorKinds {

  private ErrorKinds() {
  }

  /** Netty's HTTP decoder rejected the response: garbage, a bad status line, oversized headers. */
  private static boolean notHttp(Throwable error) {
    if (error instanceof io.netty.handler.codec.DecoderException) {
      return true;
    }
    StackTraceElement[] stack = error.getStackTrace();
    return stack.length > 0 && (stack[0].getClassName().startsWith("io.netty.handler.codec.http")
      || stack.length > 2 && stack[2].getClassName().startsWith("io.netty.handler.codec.http"));
  }

  public static String kindOf(Throwable error) {
    if (error instanceof FetchException e) {
      return e.kind();
    }
    if (error instanceof ParseException e) {
      return e.kind();
    }
    if (error instanceof UnknownHostException) {
      return "dns";
    }
    if (notHttp(error)) {
      return "connect";
    }
    if (error instanceof SSLException) {
      return "tls";
    }
    if (error instanceof TimeoutException || error instanceof ConnectTimeoutException) {
      return "timeout";
    }
    if (error instanceof ConnectException || error instanceof NoRouteToHostException
      || error instanceof HttpClosedException || error instanceof StreamResetException
      || error instanceof ClosedChannelException || error instanceof java.io.IOException) {
      return "connect";
    }
    if (error.getCause() != null && error.getCause() != error) {
      return kindOf(error.getCause());
    }
    String message = String.valueOf(error.getMessage()).toLowerCase(java.util.Locale.ROOT);
    if (message.contains("timeout") || message.contains("timed out")) {
      return "timeout";
    }
    if (message.contains("connection") || message.contains("closed")) {
      return "connect";
    }
    return "internal";
  }

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
