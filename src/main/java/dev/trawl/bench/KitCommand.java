package dev.trawl.bench;

import dev.trawl.cli.RunCommand;
import dev.trawl.config.ConfigLoader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code trawl kit --mode html|json|crawl --urls FILE --out FILE --concurrency C [--start URL]}:
 * Trawl in the benchmark kit's peer slot ({@code ../shared/bench/peers/trawl.sh}). It turns the
 * kit's arguments into an ordinary job run by {@link RunCommand}, then writes the kit's record
 * for each page, {@code {"url", "title", "price"}}, to the output file. Like the kit's peers it
 * ignores robots.txt, does not retry, and in crawl mode follows category and product pages of the
 * start host, recording the product pages.
 */
public final class KitCommand {

  private static final Pattern PRODUCT = Pattern.compile("/products/\\d+\\.html$");

  private KitCommand() {
  }

  record Args(String mode, String urls, String out, int concurrency, String start) {
    static Args parse(String[] args) {
      Flags flags = Flags.parse(args, Set.of("--mode", "--urls", "--out", "--concurrency", "--start"));
      String mode = flags.text("--mode", "html");
      String urls = flags.text("--urls", null);
      String out = flags.text("--out", null);
      int concurrency = flags.integer("--concurrency", 64);
      String start = flags.text("--start", null);
      if (out == null || (urls == null && start == null) || !mode.matches("html|json|crawl")) {
        throw new IllegalArgumentException("usage: trawl kit --mode html|json|crawl --urls FILE --out FILE "
          + "--concurrency C [--start URL]");
      }
      return new Args(mode, urls, out, concurrency, start);
    }
  }

  public static int main(String[] argv) {
    Args args;
    try {
      args = Args.parse(argv);
    } catch (IllegalArgumentException e) {
      System.err.println("trawl: " + e.getMessage());
      return RunCommand.USAGE;
    }
    Path work;
    try {
      work = Files.createTempDirectory("trawl-kit");
    } catch (IOException e) {
      System.err.println("trawl: cannot make a work folder: " + e.getMessage());
      return RunCommand.USAGE;
    }
    JsonObject config = nodeConfig(args, work);
    int code = RunCommand.runJob(job(args), config, System.err);
    try {
      writeRecords(args, work.resolve("kit"), config.getJsonObject("fetch").getBoolean("blockPrivateNetworks"));
    } catch (IOException e) {
      System.err.println("trawl: cannot write " + args.out() + ": " + e.getMessage());
      return RunCommand.JOB_FAILED;
    } finally {
      delete(work);
    }
    return code;
  }

  /** The work folder, once the kit's records are out of it. */
  static void delete(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      System.err.println("trawl: cannot remove " + dir + ": " + e.getMessage());
    }
  }

  private static JsonObject nodeConfig(Args args, Path work) {
    JsonObject config = ConfigLoader.effectiveWithoutApi(new JsonObject(), System.getenv()).json();
    config.getJsonObject("http").put("enabled", false);
    // The pool holds the connections the kit's concurrency asks for. What a loopback benchmark
    // needs beyond that (private addresses allowed, the host limit raised) is the operator's to
    // set, in the command: see make kit-cmd.
    config.getJsonObject("fetch")
      .put("maxInFlight", Math.max(config.getJsonObject("fetch").getInteger("maxInFlight"), args.concurrency() * 2))
      .put("perHostPool", Math.max(args.concurrency(), 1));
    config.getJsonObject("sink").put("dir", work.toString());
    return config;
  }

  static JsonObject job(Args args) {
    JsonObject job = new JsonObject().put("name", "kit").put("robots", "ignore")
      .put("limits", new JsonObject().put("concurrency", args.concurrency()))
      .put("retry", new JsonObject().put("attempts", 1));
    if (args.mode().equals("json")) {
      job.put("parse", new JsonObject().put("as", "json")
        .put("json", new JsonObject().put("title", "/name").put("price", "/price")));
    } else {
      job.put("parse", new JsonObject().put("fields", new JsonObject().put("title", "h1").put("price", ".price")));
    }
    if (args.mode().equals("crawl")) {
      return job.put("requests", new JsonArray().add(args.start()))
        .put("follow", new JsonObject().put("maxDepth", 1000).put("maxPages", 10_000_000)
          .put("include", new JsonArray().add("/products/\\d+\\.html$").add("/category/[^?#]+\\.html$")));
    }
    return job.put("requestsFile", Path.of(args.urls()).toAbsolutePath().toString());
  }

  /** One {@code {"url", "title", "price"}} line per page fetched (crawl: per product page). */
  private static void writeRecords(Args args, Path resultsDir, boolean guarded) throws IOException {
    Path results;
    try (var files = Files.list(resultsDir)) {
      results = files.filter(p -> p.toString().endsWith(".jsonl")).findFirst().orElseThrow(
        () -> new IOException("no results in " + resultsDir));
    }
    try (BufferedReader in = Files.newBufferedReader(results, StandardCharsets.UTF_8);
         BufferedWriter out = Files.newBufferedWriter(Path.of(args.out()), StandardCharsets.UTF_8)) {
      long lines = 0;
      long blocked = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonObject result = new JsonObject(line);
        JsonObject data = result.getJsonObject("data");
        String url = result.getString("url");
        lines++;
        JsonObject error = result.getJsonObject("error");
        blocked += error != null && "blocked".equals(error.getString("kind")) ? 1 : 0;
        if (!result.getBoolean("ok") || data == null || (args.mode().equals("crawl") && !PRODUCT.matcher(url).find())) {
          continue;
        }
        out.write(new JsonObject().put("url", url).put("title", data.getValue("title"))
          .put("price", data.getValue("price")).encode());
        out.newLine();
      }
      if (guarded && lines > 0 && blocked == lines) {
        System.err.println("trawl: every request was blocked: the kit's servers are on 127.0.0.1, a private address; "
          + "run with TRAWL_FETCH_BLOCK_PRIVATE_NETWORKS=false (make kit-cmd prints the command)");
      }
    }
  }
}
