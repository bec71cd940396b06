package dev.trawl.bench;

import dev.trawl.cli.DemoSite;
import dev.trawl.cli.RunCommand;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

import java.util.Set;

/**
 * {@code trawl site [--port P] [--products N] [--page-bytes B] [--latency-ms MS]}: serves the demo
 * shop, big, until stopped (for benchmarks and trials). {@code /__stats} tells how many requests it
 * served, how many distinct paths, and how many were asked for again.
 */
public final class SiteCommand {

  /** What {@link #main} returns once the site is up: the process keeps running. */
  public static final int SERVING = -1;

  private SiteCommand() {
  }

  public static int main(String[] args) {
    Flags flags;
    try {
      flags = Flags.parse(args, Set.of("--port", "--products", "--page-bytes", "--latency-ms", "--hosts"));
    } catch (IllegalArgumentException e) {
      System.err.println("trawl: usage: trawl site [--port P] [--products N] [--page-bytes B] [--latency-ms MS] [--hosts H]");
      return RunCommand.USAGE;
    }
    int products = flags.integer("--products", 10_000);
    DemoSite site = DemoSite.shop(products, flags.integer("--page-bytes", 20_000));
    Vertx vertx = Vertx.vertx();
    int port = serve(vertx, site, flags.integer("--port", 18080), flags.number("--latency-ms", 0));
    // More hosts for politeness benchmarks: the same shop on the next ports (a host is host:port).
    int hosts = flags.integer("--hosts", 1);
    for (int i = 1; i < hosts; i++) {
      serve(vertx, site, port + i, flags.number("--latency-ms", 0));
    }
    System.err.println("trawl site: " + products + " products at http://127.0.0.1:" + port + "/"
      + (hosts > 1 ? " and on the next " + (hosts - 1) + " ports" : ""));
    return SERVING;
  }

  /**
   * One server per core on the same port: Vert.x spreads the connections over their event loops,
   * so the site is not what limits a benchmark of the scraper. They share one site, so
   * {@code /__stats} counts every request.
   */
  private static int serve(Vertx vertx, DemoSite site, int port, long latencyMs) {
    HttpServer server = site.listen(vertx, port, latencyMs).await();
    for (int i = 1; i < Runtime.getRuntime().availableProcessors(); i++) {
      site.listen(vertx, server.actualPort(), latencyMs).await();
    }
    return server.actualPort();
  }
}
