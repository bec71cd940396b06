package dev.trawl.bench;

import dev.trawl.cli.RunCommand;
import dev.trawl.config.Problems;
import dev.trawl.parse.Extractor;
import dev.trawl.parse.ParseSpec;
import io.vertx.core.json.JsonObject;
import org.jsoup.Jsoup;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code trawl parse-bench --urls FILE [--threads N] [--rounds R]}: the parse-only ceiling. Fetches
 * the pages once into memory, then parses them R times on N threads, and prints the pages/s of the
 * best round for a full jsoup parse and for Trawl's extraction of h1 and .price (which stops
 * reading a page once both are found). Nothing here runs on an event loop.
 */
public final class ParseBenchCommand {

  private ParseBenchCommand() {
  }

  public static int main(String[] args) throws Exception {
    Flags flags;
    try {
      flags = Flags.parse(args, Set.of("--urls", "--threads", "--rounds"));
    } catch (IllegalArgumentException e) {
      System.err.println("trawl: usage: trawl parse-bench --urls FILE [--threads N] [--rounds R]");
      return RunCommand.USAGE;
    }
    String urlsFile = flags.text("--urls", null);
    int threads = flags.integer("--threads", Runtime.getRuntime().availableProcessors());
    int rounds = flags.integer("--rounds", 3);
    List<String> urls = Files.readAllLines(Path.of(urlsFile)).stream().filter(u -> !u.isBlank()).toList();
    List<byte[]> pages = fetchAll(urls);
    ParseSpec spec = ParseSpec.parse(new JsonObject().put("fields", new JsonObject().put("title", "h1")
      .put("price", ".price")), "parse", new Problems());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    double jsoup = 0;
    double trawl = 0;
    for (int r = 0; r < rounds; r++) {
      jsoup = Math.max(jsoup, round(pool, pages, page -> Jsoup.parse(new String(page, StandardCharsets.UTF_8), "http://x/")));
      trawl = Math.max(trawl, round(pool, pages, page -> Extractor.extract(spec, page, "text/html; charset=utf-8", "http://x/", false)));
    }
    pool.shutdown();
    System.out.println(new JsonObject().put("pages", pages.size()).put("threads", threads)
      .put("jsoupPagesPerSecond", jsoup).put("trawlExtractPagesPerSecond", trawl).encode());
    return 0;
  }

  private static List<byte[]> fetchAll(List<String> urls) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    List<byte[]> pages = new ArrayList<>(urls.size());
    for (String url : urls) {
      pages.add(http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray()).body());
    }
    return pages;
  }

  private static double round(ExecutorService pool, List<byte[]> pages, java.util.function.Consumer<byte[]> parse)
    throws Exception {
    long started = System.nanoTime();
    List<Future<?>> work = new ArrayList<>();
    for (byte[] page : pages) {
      work.add(pool.submit(() -> parse.accept(page)));
    }
    for (Future<?> f : work) {
      f.get();
    }
    return pages.size() / ((System.nanoTime() - started) / 1e9);
  }
}
