package dev.trawl.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code trawl load --urls FILE --concurrency C --seconds S}: the limit a benchmark compares with.
 * C keep-alive connections request the URLs round and round, reading each body and doing nothing
 * else, for S seconds; prints {@code {"requests", "seconds", "rate", "errors"}}. A JVM stand-in for
 * wrk, so that {@code make bench} needs nothing outside Maven.
 */
public final class LoadCommand {

  private LoadCommand() {
  }

  public static int main(String[] args) throws IOException {
    String urlsFile = null;
    int concurrency = 64;
    int seconds = 5;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--urls" -> urlsFile = args[i + 1];
        case "--concurrency" -> concurrency = Integer.parseInt(args[i + 1]);
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        default -> {
          System.err.println("trawl: usage: trawl load --urls FILE --concurrency C --seconds S");
          return RunCommand.USAGE;
        }
      }
    }
    List<String> urls = Files.readAllLines(Path.of(urlsFile)).stream().filter(u -> !u.isBlank()).toList();
    Vertx vertx = Vertx.vertx();
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
      new PoolOptions().setHttp1MaxSize(concurrency));
    AtomicLong done = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long started = System.nanoTime();
    long end = started + seconds * 1_000_000_000L;
    for (int c = 0; c < concurrency; c++) {
      int first = c;
      int step = concurrency;
      vertx.runOnContext(v -> loop(client, urls, first, step, end, done, errors));
    }
    vertx.timer(seconds * 1000L).await();
    double elapsed = (System.nanoTime() - started) / 1e9;
    System.out.println(new JsonObject().put("requests", done.get()).put("seconds", elapsed)
      .put("rate", done.get() / elapsed).put("errors", errors.get()).encode());
    vertx.close().await();
    return 0;
  }

  private static void loop(HttpClient client, List<String> urls, int next, int step, long end,
                           AtomicLong done, AtomicLong errors) {
    if (System.nanoTime() >= end) {
      return;
    }
    client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(urls.get(next % urls.size())))
      .compose(request -> request.send())
      .compose(HttpClientResponse::body)
      .onComplete(body -> {
        (body.succeeded() ? done : errors).incrementAndGet();
        loop(client, urls, next + step, step, end, done, errors);
      });
  }
}
