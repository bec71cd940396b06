package dev.trawl;

import dev.trawl.support.CrawlSite;
import dev.trawl.support.Jobs;
import dev.trawl.support.NodeIT;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A host whose robots.txt cannot be reached gives its requests the transport failure's kind, at
 * once; one whose robots.txt answers 5xx is completely disallowed ({@code blocked}, RFC 9309).
 */
class RobotsTransportIT extends NodeIT {

  /** A loopback port nothing listens on: bound by the system, then released. */
  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> kindsAndMessages(List<JsonObject> results) {
    return results.stream().map(r -> r.getJsonObject("error").getString("kind") + " | "
      + r.getJsonObject("error").getString("message")).sorted().toList();
  }

  @Test
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void aRefusedConnectionEndsAsConnectWithinFiveSeconds(VertxTestContext ctx) {
    int port = closedPort();
    String origin = "http://127.0.0.1:" + port;
    JsonObject job = Jobs.job("refused", origin + "/a", origin + "/b").put("robots", "obey");
    node.submitAndWait(job).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      List<JsonObject> results = Jobs.readResults(summary.getString("output"));
      List<String> seen = kindsAndMessages(results).stream()
        .map(line -> line.substring(0, line.indexOf(" (connect: ") + " (connect: ".length())).toList();
      String expected = "connect | robots.txt of " + origin + " could not be fetched (connect: ";
      assertEquals(List.of(expected, expected), seen, kindsAndMessages(results).toString());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aRobotsTxtAnswering5xxIsACompleteDisallow(VertxTestContext ctx) {
    CrawlSite site = new CrawlSite(vertx, 1, 1).start().await();
    site.robots(503, "");
    JsonObject job = Jobs.job("robots-503", site.url("/")).put("robots", "obey");
    node.submitAndWait(job).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      List<JsonObject> results = Jobs.readResults(summary.getString("output"));
      assertEquals(List.of("blocked | robots.txt of http://127.0.0.1:" + site.port()
          + " answered HTTP 503 4 times; the host is deferred"), kindsAndMessages(results));
      assertEquals(List.of(4, 0), List.of(site.hits("/robots.txt"), site.hits("/")));
      ctx.completeNow();
    })));
  }
}
