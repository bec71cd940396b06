package dev.trawl;

import dev.trawl.bus.Addresses;
import dev.trawl.config.Timeouts;
import dev.trawl.error.ErrorKind;
import dev.trawl.fetch.FetchGuard;
import dev.trawl.fetch.FetchOutcome;
import dev.trawl.fetch.FetchRequest;
import dev.trawl.parse.ParseSpec;
import dev.trawl.support.NodeIT;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guard travels with the try: a fetcher applies the {@link FetchGuard} its coordinator put on the
 * request, not its own node's config. The node here is as loose as a node can be (private networks
 * allowed, 10 MiB bodies, 20 redirects); tries are sent straight to its {@code trawl.fetch@fetcher},
 * as a coordinator on another node would send them, with a strict guard.
 */
class FetchGuardIT extends NodeIT {

  private static final FetchGuard STRICT = new FetchGuard(true, Set.of(), 1_024, 1);
  private static final FetchGuard STRICT_BUT_LOOPBACK_ALLOWED = new FetchGuard(true, Set.of("127.0.0.1"), 1_024, 1);

  @Override
  protected JsonObject nodeConfig() {
    return new JsonObject().put("node", new JsonObject().put("id", "fetcher"))
      .put("fetch", new JsonObject().put("blockPrivateNetworks", false).put("allowPrivateHosts", new JsonArray())
        .put("maxBodyBytes", 10_485_760).put("maxRedirects", 20));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void aCoordinatorsPrivateNetworkGuardIsAppliedThoughTheFetchingNodeAllowsPrivateNetworks(VertxTestContext ctx) {
    fetch(origin.url("/page/1"), STRICT).onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
      assertEquals(ErrorKind.BLOCKED, outcome.errorKind(), outcome.toJson().encode());
      assertTrue(outcome.errorMessage().contains("127.0.0.1"), outcome.errorMessage());
      assertEquals(0, origin.hits(), "the origin saw no request");
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void aCoordinatorsBodyLimitIsAppliedThoughTheFetchingNodesIsLarger(VertxTestContext ctx) {
    fetch(origin.url("/big/4096"), STRICT_BUT_LOOPBACK_ALLOWED).onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
      assertEquals(ErrorKind.TOO_LARGE, outcome.errorKind(), outcome.toJson().encode());
      assertTrue(outcome.errorMessage().contains("fetch.maxBodyBytes=1024"), outcome.errorMessage());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void aCoordinatorsRedirectLimitIsAppliedThoughTheFetchingNodesIsHigher(VertxTestContext ctx) {
    fetch(origin.url("/redirect/3"), STRICT_BUT_LOOPBACK_ALLOWED).onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
      assertEquals(ErrorKind.TOO_MANY_REDIRECTS, outcome.errorKind(), outcome.toJson().encode());
      assertEquals(2, origin.hits(), "the first answer and one redirect followed (fetch.maxRedirects=1)");
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void withTheSameGuardLoosenedTheSameTryIsFetched(VertxTestContext ctx) {
    FetchGuard loose = new FetchGuard(false, Set.of(), 10_485_760, 5);
    fetch(origin.url("/redirect/3"), loose).onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
      assertTrue(outcome.ok(), outcome.toJson().encode());
      assertEquals(4, origin.hits());
      ctx.completeNow();
    })));
  }

  private io.vertx.core.Future<FetchOutcome> fetch(String url, FetchGuard guard) {
    FetchRequest request = new FetchRequest("guard-job", 0, 1, url, "GET", Map.of(), null,
      new Timeouts(2_000, 2_000, 5_000), ParseSpec.DEFAULT, false, FetchRequest.Purpose.PAGE, null, guard);
    return vertx.eventBus().<FetchOutcome>request(Addresses.atNode(Addresses.FETCH, "fetcher"), request)
      .map(Message::body);
  }
}
