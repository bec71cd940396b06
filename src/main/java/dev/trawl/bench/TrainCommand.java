package dev.trawl.bench;

import dev.trawl.TrawlVerticle;
import dev.trawl.cli.DemoSite;
import dev.trawl.cli.RunCommand;
import dev.trawl.config.ConfigLoader;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * {@code trawl train}: the training run {@code bin/trawl --cache} records the JVM's class-data
 * archive or AOT cache from. It does, on loopback, the work real jobs do: a list of product pages
 * read for first matches (from a requests file), pages parsed whole (arrays, attributes, links), JSON
 * documents read with pointers, a crawl of a shop from its front page, and a job submitted to the
 * HTTP API of a service whose results are streamed back. Its output is not kept.
 */
public final class TrainCommand {

  private static final int PRODUCTS = 2_000;

  private TrainCommand() {
  }

  public static int main(String[] args) {
    Vertx siteVertx = Vertx.vertx();
    Path work = null;
    try {
      work = Files.createTempDirectory("trawl-train");
      String base = "http://127.0.0.1:" + DemoSite.shop(PRODUCTS, 20_000).listen(siteVertx, 0, 0).await().actualPort();
      PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
      JsonObject config = nodeConfig(work);
      int failures = 0;
      for (JsonObject job : oneShotJobs(base, work)) {
        failures += RunCommand.runJob(job, config, quiet) == 0 ? 0 : 1;
      }
      failures += service(config, base) ? 0 : 1;
      System.err.println("trawl train: done" + (failures == 0 ? "" : ", " + failures + " of 5 runs failed"));
      return failures == 0 ? 0 : RunCommand.JOB_FAILED;
    } catch (IOException e) {
      System.err.println("trawl train: " + e.getMessage());
      return RunCommand.USAGE;
    } finally {
      siteVertx.close().await();
      if (work != null) {
        KitCommand.delete(work);
      }
    }
  }

  /** A node as a loopback benchmark needs it: the site is private, and one host takes it all. */
  private static JsonObject nodeConfig(Path work) {
    JsonObject config = ConfigLoader.effectiveWithoutApi(new JsonObject(), System.getenv()).json();
    config.getJsonObject("http").put("enabled", false);
    config.getJsonObject("fetch").put("blockPrivateNetworks", false);
    config.getJsonObject("politeness").put("perHost", 64).put("adaptive", false);
    config.getJsonObject("jobs").put("durable", true);
    config.getJsonObject("sink").put("dir", work.resolve("data").toString());
    return config;
  }

  private static List<JsonObject> oneShotJobs(String base, Path work) throws IOException {
    Path pages = urls(work.resolve("pages.txt"), n -> base + "/p/" + n);
    Path documents = urls(work.resolve("documents.txt"), n -> base + "/api/products/" + n + ".json");
    JsonObject firstMatches = new JsonObject().put("fields", new JsonObject().put("title", "h1").put("price", ".price"));
    JsonObject whole = new JsonObject().put("links", true).put("fields", new JsonObject()
      .put("title", "h1").put("cover", "img.cover@src").put("tags", new JsonArray().add("ul.tags li")));
    JsonObject pointers = new JsonObject().put("as", "json")
      .put("json", new JsonObject().put("title", "/name").put("price", "/price"));
    JsonObject crawl = new JsonObject().put("maxDepth", 100).put("maxPages", PRODUCTS)
      .put("include", new JsonArray().add("/p/\\d+$").add("/c/\\d+$"));
    return List.of(
      job("pages", 64).put("requestsFile", pages.toString()).put("parse", firstMatches),
      job("whole", 64).put("requestsFile", pages.toString()).put("parse", whole),
      job("json", 64).put("requestsFile", documents.toString()).put("parse", pointers),
      job("crawl", 64).put("requests", new JsonArray().add(base + "/")).put("follow", crawl).put("parse", firstMatches));
  }

  private static JsonObject job(String name, int concurrency) {
    return new JsonObject().put("name", "train-" + name).put("robots", "ignore")
      .put("limits", new JsonObject().put("concurrency", concurrency));
  }

  private static Path urls(Path file, IntFunction<String> url) throws IOException {
    List<String> lines = new ArrayList<>(PRODUCTS);
    for (int n = 1; n <= PRODUCTS; n++) {
      lines.add(url.apply(n));
    }
    return Files.write(file, lines);
  }

  /** A service with its HTTP API: one job submitted, waited for, its results streamed back. */
  private static boolean service(JsonObject oneShot, String base) throws IOException {
    int port = freePort();
    JsonObject config = oneShot.copy();
    config.getJsonObject("http").put("enabled", true).put("port", port).put("host", "127.0.0.1");
    Vertx vertx = Vertx.vertx();
    try {
      vertx.deployVerticle(TrawlVerticle::new, new DeploymentOptions().setConfig(config)).await();
      WebClient client = WebClient.create(vertx);
      JsonArray requests = new JsonArray();
      for (int n = 1; n <= PRODUCTS / 2; n++) {
        requests.add(base + "/p/" + n);
      }
      JsonObject job = job("service", 64).put("requests", requests)
        .put("parse", new JsonObject().put("fields", new JsonObject().put("title", "h1").put("price", ".price")));
      JsonObject summary = client.post(port, "127.0.0.1", "/jobs?wait=true").sendJsonObject(job).await().bodyAsJsonObject();
      String id = summary.getString("id");
      int status = client.get(port, "127.0.0.1", "/jobs/" + id + "/results").send().await().statusCode();
      client.get(port, "127.0.0.1", "/metrics").send().await();
      return status == 200 && "succeeded".equals(summary.getString("state"));
    } catch (RuntimeException e) {
      System.err.println("trawl train: the service run failed: " + e.getMessage());
      return false;
    } finally {
      vertx.close().await();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
