package dev.trawl.bench;

import dev.trawl.cli.RunCommand;
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
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code trawl load --urls FILE --concurrency C --seconds S [--warmup W]}: the limit a benchmark
 * compares with. C keep-alive connections request the URLs round and round, reading each body and
 * doing nothing else, for W seconds not counted (the JIT of this JVM and of the server warm up),
 * then S seconds counted; prints {@code {"requests", "seconds", "rate", "errors"}}. A JVM stand-in
 * for wrk, so that {@code make bench} needs nothing outside Maven.
 */
public final class LoadCommand {

  private LoadCommand() {
  }

  public static int main(String[] args) throws IOException {
    Flags flags;
    try {
      flags = Flags.parse(args, Set.of("--urls", "--concurrency", "--seconds", "--warmup"));
    } catch (IllegalArgumentException e) {
      System.err.println("trawl: usage: trawl load --urls FILE --concurrency C --seconds S [--warmup W]");
      return RunCommand.USAGE;
    }
    String urlsFile = flags.text("--urls", null);
    int concurrency = flags.integer("--concurrency", 64);
    int seconds = flags.integer("--seconds", 5);
    int warmup = flags.integer("--warmup", 0);
    List<String> urls = Files.readAllLines(Path.of(urlsFile)).stream().filter(u -> !u.isBlank()).toList();
    Vertx vertx = Vertx.vertx();
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
      new PoolOptions().setHttp1MaxSize(concurrency));
    AtomicLong done = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long end = System.nanoTime() + (warmup + seconds) * 1_000_000_000L;
    for (int c = 0; c < concurrency; c++) {
      int first = c;
      int step = concurrency;
      vertx.runOnContext(v -> loop(client, urls, first, step, end, done, errors));
    }
    if (warmup > 0) {
      vertx.timer(warmup * 1000L).await();
    }
    long counted = done.get();
    long erred = errors.get();
    long started = System.nanoTime();
    vertx.timer(seconds * 1000L).await();
    double elapsed = (System.nanoTime() - started) / 1e9;
    long requests = done.get() - counted;
    System.out.println(new JsonObject().put("requests", requests).put("seconds", elapsed)
      .put("rate", requests / elapsed).put("errors", errors.get() - erred).encode());
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
