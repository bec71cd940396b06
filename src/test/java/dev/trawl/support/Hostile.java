package dev.trawl.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/**
 * Routes for a web that fights back, one per behaviour: servers that hang, drip, never stop,
 * bomb, lie about encodings, throttle, fail twice, or cut the connection.
 */
public final class Hostile {

  /** Decompressed size of {@code /gzip-bomb}. */
  public static final long BOMB_BYTES = 512L << 20;
  private static volatile byte[] bomb;
  private static final Map<String, Integer> ATTEMPTS = new ConcurrentHashMap<>();

  private Hostile() {
  }

  static void routes(Vertx vertx, Router router) {
    router.get("/drip/:everyMs/:bytes").handler(ctx -> drip(vertx, ctx));
    router.get("/endless").handler(ctx -> endless(vertx, ctx));
    router.get("/huge/:mib").handler(ctx -> huge(vertx, ctx, true));
    router.get("/huge-chunked/:mib").handler(ctx -> huge(vertx, ctx, false));
    router.get("/gzip-bomb").handler(ctx -> ctx.response().putHeader("Content-Encoding", "gzip")
      .putHeader("Content-Type", "text/html").end(Buffer.buffer(bomb())));
    router.get("/gzip-gzip").handler(ctx -> ctx.response().putHeader("Content-Encoding", "gzip, gzip")
      .putHeader("Content-Type", "text/html").end(Buffer.buffer(gzip(gzip("<h1>twice</h1>".getBytes())))));
    router.get("/br").handler(ctx -> ctx.response().putHeader("Content-Encoding", "br")
      .putHeader("Content-Type", "text/html").end(Buffer.buffer(new byte[] {0x1b, 0x03, 0x00, (byte) 0xf8, 0x25})));
    router.get("/cp1252").handler(ctx -> ctx.response().putHeader("Content-Type", "text/html")
      .end(Buffer.buffer(("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">"
        + "</head><body><h1>Caf\u00e9 \u2013 \u20ac5 \u201cfine\u201d</h1></body></html>").getBytes(Charset.forName("windows-1252")))));
    router.get("/sjis").handler(ctx -> ctx.response().putHeader("Content-Type", "text/html")
      .end(Buffer.buffer(("<html><head><meta charset=\"Shift_JIS\"></head><body><h1>\u7dd1\u8336\u3068\u5bff\u53f8</h1></body></html>")
        .getBytes(Charset.forName("Shift_JIS")))));
    router.get("/no-meta").handler(ctx -> ctx.response().putHeader("Content-Type", "text/html")
      .end(Buffer.buffer("<h1>na\u00efve</h1>".getBytes(Charset.forName("windows-1252")))));
    router.get("/throttle/:key/:retryAfter").handler(Hostile::throttle);
    router.get("/flaky/:key").handler(Hostile::flaky);
    router.get("/attempts/:key").handler(ctx -> ctx.response().end(String.valueOf(ATTEMPTS.getOrDefault(ctx.pathParam("key"), 0))));
    router.get("/reset-mid-body").handler(ctx -> {
      ctx.response().putHeader("Content-Length", "100000").write(Buffer.buffer(new byte[1000]));
      vertx.setTimer(50, id -> ctx.request().connection().close());
    });
    router.get("/short-body").handler(ctx -> {
      HttpServerResponse response = ctx.response().putHeader("Content-Length", "1000");
      response.write("only ten b").onComplete(v -> ctx.request().connection().close());
    });
    router.get("/close-at-once").handler(ctx -> ctx.request().connection().close());
    router.get("/no-content").handler(ctx -> ctx.response().setStatusCode(204).end());
    router.get("/auth-echo").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
      .end(new io.vertx.core.json.JsonObject().put("method", ctx.request().method().name())
        .put("authorization", ctx.request().getHeader("Authorization")).encode()));
    router.route("/see-other/:host/:port").handler(ctx -> ctx.response().setStatusCode(303)
      .putHeader("Location", "http://" + ctx.pathParam("host") + ":" + ctx.pathParam("port") + "/auth-echo").end());
    router.get("/redirect-to/:host/:port").handler(ctx -> ctx.response().setStatusCode(302)
      .putHeader("Location", "http://" + ctx.pathParam("host") + ":" + ctx.pathParam("port") + "/page/1").end());
  }

  /** A raw TCP server that answers every connection with bytes that are not HTTP. */
  public static Future<NetServer> garbageServer(Vertx vertx) {
    return vertx.createNetServer().connectHandler(socket -> socket.handler(request ->
        socket.write(Buffer.buffer("\u0000\u0001 this is no HTTP \u00ff\u00fe\r\n\r\n")).onComplete(v -> socket.close())))
      .listen(0, "127.0.0.1");
  }

  private static void drip(Vertx vertx, RoutingContext ctx) {
    long every = Long.parseLong(ctx.pathParam("everyMs"));
    int bytes = Integer.parseInt(ctx.pathParam("bytes"));
    HttpServerResponse response = ctx.response().setChunked(true).putHeader("Content-Type", "text/plain");
    int[] sent = {0};
    vertx.setPeriodic(every, id -> {
      if (response.closed() || sent[0] >= bytes) {
        vertx.cancelTimer(id);
        if (!response.closed()) {
          response.end();
        }
        return;
      }
      sent[0]++;
      response.write("x");
    });
  }

  private static void endless(Vertx vertx, RoutingContext ctx) {
    HttpServerResponse response = ctx.response().setChunked(true).putHeader("Content-Type", "text/plain");
    Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
    writeForever(vertx, response, chunk);
  }

  private static void writeForever(Vertx vertx, HttpServerResponse response, Buffer chunk) {
    while (!response.closed() && !response.writeQueueFull()) {
      response.write(chunk);
    }
    if (!response.closed()) {
      response.drainHandler(v -> writeForever(vertx, response, chunk));
    }
  }

  private static void huge(Vertx vertx, RoutingContext ctx, boolean withLength) {
    long total = Long.parseLong(ctx.pathParam("mib")) << 20;
    HttpServerResponse response = ctx.response().putHeader("Content-Type", "text/plain");
    if (withLength) {
      response.putHeader("Content-Length", String.valueOf(total));
    } else {
      response.setChunked(true);
    }
    writeUpTo(response, Buffer.buffer(new byte[64 * 1024]), new long[] {total});
  }

  private static void writeUpTo(HttpServerResponse response, Buffer chunk, long[] left) {
    while (left[0] > 0 && !response.closed() && !response.writeQueueFull()) {
      left[0] -= chunk.length();
      response.write(chunk);
    }
    if (response.closed()) {
      return;
    }
    if (left[0] <= 0) {
      response.end();
    } else {
      response.drainHandler(v -> writeUpTo(response, chunk, left));
    }
  }

  private static void throttle(RoutingContext ctx) {
    int attempt = ATTEMPTS.merge(ctx.pathParam("key"), 1, Integer::sum);
    if (attempt == 1) {
      ctx.response().setStatusCode(429).putHeader("Retry-After", ctx.pathParam("retryAfter")).end();
    } else {
      ctx.response().putHeader("Content-Type", "text/html").end("<h1>let in</h1>");
    }
  }

  private static void flaky(RoutingContext ctx) {
    int attempt = ATTEMPTS.merge(ctx.pathParam("key"), 1, Integer::sum);
    if (attempt <= 2) {
      ctx.response().setStatusCode(503).end();
    } else {
      ctx.response().putHeader("Content-Type", "text/html").end("<h1>third time</h1>");
    }
  }

  /**
   * The bomb, made on first use. Compressing 512 MiB takes a second or two, so tests call this
   * from their set-up, on the JUnit thread, never from an event loop.
   */
  public static byte[] bomb() {
    if (bomb == null) {
      bomb = gzipOfZeros(BOMB_BYTES);
    }
    return bomb;
  }

  private static byte[] gzipOfZeros(long bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16) {
      {
        def.setLevel(java.util.zip.Deflater.BEST_SPEED);
      }
    }) {
      byte[] zeros = new byte[1 << 20];
      for (long written = 0; written < bytes; written += zeros.length) {
        gzip.write(zeros);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Routes whose body falls silent after the head, on a router of the test's own: a byte at once
   * and then one every {@code everyMs}; 100 of 1,000 declared bytes and then nothing, the connection
   * held; and small pages sent gzip, zlib-deflate and raw-deflate encoded.
   */
  public static void silentBodies(Vertx vertx, Router router) {
    router.get("/drip-after-head/:everyMs").handler(ctx -> {
      HttpServerResponse response = ctx.response().setChunked(true).putHeader("Content-Type", "text/plain");
      response.write("x");
      long timer = vertx.setPeriodic(Long.parseLong(ctx.pathParam("everyMs")), id -> response.write("x"));
      ctx.request().connection().closeHandler(v -> vertx.cancelTimer(timer));
    });
    router.get("/short-body-held").handler(ctx -> ctx.response().putHeader("Content-Length", "1000")
      .putHeader("Content-Type", "text/plain").write(Buffer.buffer(new byte[100])));
    byte[] page = "<html><head><title>Encoded</title></head><body><h1>tea</h1></body></html>".getBytes();
    router.get("/encoded/gzip").handler(ctx -> encoded(ctx, "gzip", gzip(page)));
    router.get("/encoded/deflate").handler(ctx -> encoded(ctx, "deflate", deflate(page, false)));
    router.get("/encoded/raw-deflate").handler(ctx -> encoded(ctx, "deflate", deflate(page, true)));
  }

  /** Serves {@link #bomb(long)} of {@code mib} MiB, gzip encoded, at {@code /gzip-bomb-mib/:mib}. */
  public static void sizedBomb(Router router) {
    router.get("/gzip-bomb-mib/:mib").handler(ctx -> encoded(ctx, "gzip", bomb(Long.parseLong(ctx.pathParam("mib")) << 20)));
  }

  private static final Map<Long, byte[]> BOMBS = new ConcurrentHashMap<>();

  /** A gzip body inflating to {@code bytes} zeros, made once per size; call it first off the event loop. */
  public static byte[] bomb(long bytes) {
    return BOMBS.computeIfAbsent(bytes, Hostile::gzipOfZeros);
  }

  private static void encoded(RoutingContext ctx, String coding, byte[] body) {
    ctx.response().putHeader("Content-Encoding", coding).putHeader("Content-Type", "text/html").end(Buffer.buffer(body));
  }

  private static byte[] deflate(byte[] data, boolean raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (java.util.zip.DeflaterOutputStream deflate = new java.util.zip.DeflaterOutputStream(out,
      new java.util.zip.Deflater(java.util.zip.Deflater.DEFAULT_COMPRESSION, raw))) {
      deflate.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
