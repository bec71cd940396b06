package dev.trawl.cli;

import dev.trawl.config.ConfigException;
import dev.trawl.config.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code trawl demo [-conf conf/demo.json]}: serves {@link DemoSite} on loopback, scrapes it with
 * an ordinary job (product pages, JSON documents, one missing page), prints a few results and
 * where they all are, and exits. No network needed.
 */
public final class DemoCommand {

  private DemoCommand() {
  }

  public static int main(String[] args) {
    JsonObject config;
    try {
      JsonObject given = args.length == 2 && args[0].endsWith("conf") ? ConfigLoader.readArgument(args[1]) : new JsonObject();
      config = ConfigLoader.effectiveWithoutApi(given, System.getenv()).json();
    } catch (ConfigException e) {
      System.err.println("trawl: " + e.getMessage());
      return RunCommand.USAGE;
    }
    config.getJsonObject("http").put("enabled", false);
    config.getJsonObject("fetch").put("blockPrivateNetworks", false); // the demo site is on loopback
    // The demo writes under the service's sink.dir (data/): it must neither resume a stopped
    // service's jobs nor clear them away, so its own job is not durable.
    config.getJsonObject("jobs").put("durable", false);
    Vertx site = Vertx.vertx();
    try {
      int port = DemoSite.start(site).await().actualPort();
      String base = "http://127.0.0.1:" + port;
      System.err.println("trawl demo: a shop is being served at " + base + "/");
      int code = RunCommand.runJob(job(base), config, System.err);
      printSome(config.getJsonObject("sink").getString("dir"));
      return code;
    } finally {
      site.close().await();
    }
  }

  private static JsonObject job(String base) {
    JsonArray requests = new JsonArray();
    for (int n = 1; n <= DemoSite.PRODUCTS; n++) {
      requests.add(base + "/p/" + n);
    }
    requests.add(base + "/p/999");
    return new JsonObject()
      .put("name", "demo")
      .put("requests", requests)
      .put("retry", new JsonObject().put("attempts", 1))
      .put("parse", new JsonObject().put("fields", new JsonObject()
        .put("title", "h1").put("price", ".price").put("cover", "img.cover@src").put("tags", new JsonArray().add("ul.tags li"))));
  }

  private static void printSome(String dir) {
    try (var files = Files.list(Path.of(dir, "demo"))) {
      Path newest = files.filter(p -> p.toString().endsWith(".jsonl"))
        .max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified())).orElse(null);
      if (newest == null) {
        return;
      }
      List<String> lines = Files.readAllLines(newest);
      System.out.println("First results of " + lines.size() + " in " + newest + ":");
      lines.stream().limit(3).forEach(System.out::println);
      System.out.println("Summary: " + Files.readString(Path.of(newest.toString().replace(".jsonl", ".summary.json"))).trim());
    } catch (IOException e) {
      System.err.println("trawl demo: cannot show the results: " + e.getMessage());
    }
  }
}
