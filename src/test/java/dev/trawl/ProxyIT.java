package dev.trawl;

import dev.trawl.support.Jobs;
import dev.trawl.support.Origin;
import dev.trawl.support.Proxies;
import dev.trawl.support.TestNode;
import dev.trawl.support.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proxies (issue 17): real HTTP and SOCKS5 proxies on loopback that count what they forward, a
 * node whose {@code fetch.proxies} lists them, and jobs that go through them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyIT {

  private static final String USER = "scraper";
  private static final String SECRET = "s3cret-pa55";

  @TempDir
  Path data;
  private TestVertx testVertx;
  private Vertx vertx;
  private Origin origin;
  private Origin otherOrigin;
  private Proxies.Running httpProxy;
  private Proxies.Running socksProxy;

  @BeforeEach
  void up() {
    testVertx = new TestVertx();
    vertx = testVertx.vertx();
    origin = new Origin(vertx).start().await();
    otherOrigin = new Origin(vertx).start().await();
    httpProxy = Proxies.http(vertx, USER, SECRET).await();
    socksProxy = Proxies.socks5(vertx, USER, SECRET).await();
  }

  @AfterEach
  void down() {
    List<String> blocked = testVertx.blockedWarnings();
    testVertx.close();
    assertEquals(List.of(), blocked, "an event loop was blocked");
  }

  private String httpUrl() {
    return "http://" + USER + ":" + SECRET + "@127.0.0.1:" + httpProxy.port();
  }

  private String socksUrl() {
    return "socks5://" + USER + ":" + SECRET + "@127.0.0.1:" + socksProxy.port();
  }

  private TestNode node(JsonObject fetch) {
    return new TestNode(vertx, data, new JsonObject().put("fetch", fetch)).start().await();
  }

  private TestNode poolNode() {
    return node(new JsonObject().put("proxies", new JsonArray().add(httpUrl()).add(socksUrl())));
  }

  @Test
  void requestsTakeThePoolInTurnAndResultsNameTheProxyWithoutCredentials() throws Exception {
    TestNode node = poolNode();
    JsonObject summary = node.submitAndWait(Jobs.job("rotate", origin.urls("/page/", 10))).await();
    assertEquals("succeeded", summary.getString("state"), summary.encode());
    assertEquals(5, httpProxy.count(), "the HTTP proxy forwarded " + httpProxy.forwarded());
    assertEquals(5, socksProxy.count(), "the SOCKS5 proxy forwarded " + socksProxy.forwarded());
    List<JsonObject> results = Jobs.readResults(summary.getString("output"));
    Set<String> used = new HashSet<>();
    results.forEach(r -> used.add(r.getString("proxy")));
    assertEquals(Set.of("127.0.0.1:" + httpProxy.port(), "127.0.0.1:" + socksProxy.port()), used);
    assertTrue(results.stream().allMatch(r -> r.getBoolean("ok") && r.getJsonObject("data") != null));
    String everything = Files.readString(Path.of(summary.getString("output"))) + summary.encode();
    assertFalse(everything.contains(SECRET), "a proxy's password reached the results");
  }

  @Test
  void aStickyJobKeepsOneProxyPerHost() {
    TestNode node = poolNode();
    JsonArray requests = new JsonArray();
    for (int i = 0; i < 6; i++) {
      requests.add(origin.url("/page/" + i)).add(otherOrigin.url("/page/" + i));
    }
    JsonObject job = new JsonObject().put("name", "sticky").put("requests", requests).put("proxySticky", "host");
    JsonObject summary = node.submitAndWait(job).await();
    Map<String, Set<String>> proxiesByHost = new HashMap<>();
    for (JsonObject r : Jobs.readResults(summary.getString("output"))) {
      String host = r.getString("url").split("/")[2];
      proxiesByHost.computeIfAbsent(host, h -> new HashSet<>()).add(r.getString("proxy"));
    }
    assertEquals(2, proxiesByHost.size(), proxiesByHost.toString());
    proxiesByHost.values().forEach(proxies -> assertEquals(1, proxies.size(), proxiesByHost.toString()));
    assertEquals(6, httpProxy.count(), httpProxy.forwarded().toString());
    assertEquals(6, socksProxy.count(), socksProxy.forwarded().toString());
  }

  @Test
  void aJobMayGoDirectAndMayNotNameItsOwnProxiesUnlessAllowed() {
    TestNode node = poolNode();
    JsonObject direct = Jobs.job("direct", origin.urls("/page/", 3)).put("proxy", "none");
    JsonObject summary = node.submitAndWait(direct).await();
    assertEquals("succeeded", summary.getString("state"));
    assertEquals(0, httpProxy.count() + socksProxy.count());
    assertTrue(Jobs.readResults(summary.getString("output")).stream().noneMatch(r -> r.containsKey("proxy")));

    JsonObject own = Jobs.job("own", origin.urls("/page/", 2)).put("proxy", new JsonArray().add(socksUrl()));
    var refused = node.submit(own).await();
    assertEquals(400, refused.statusCode());
    assertTrue(refused.bodyAsString().contains("fetch.allowJobProxies"), refused.bodyAsString());
    assertFalse(refused.bodyAsString().contains(SECRET), refused.bodyAsString());
  }

  @Test
  void aJobNamesItsOwnProxiesWhereAllowed() {
    TestNode node = node(new JsonObject().put("allowJobProxies", true));
    JsonObject own = Jobs.job("own", origin.urls("/page/", 2)).put("proxy", new JsonArray().add(socksUrl()));
    JsonObject done = node.submitAndWait(own).await();
    assertEquals("succeeded", done.getString("state"), done.encode());
    assertEquals(2, socksProxy.count());
    assertEquals(0, httpProxy.count());
    var noPool = node.submit(Jobs.job("pool", origin.url("/page/1")).put("proxy", "pool")).await();
    assertEquals(400, noPool.statusCode(), "pool on a node without proxies");
  }

  @Test
  void aProxyThatRefusesEndsAsProxy() {
    String wrongPassword = "socks5://" + USER + ":wrong@127.0.0.1:" + socksProxy.port();
    String wrongHttp = "http://" + USER + ":wrong@127.0.0.1:" + httpProxy.port();
    String noneThere = "http://127.0.0.1:" + closedPort();
    // one request per proxy: the pool is taken in turn
    TestNode node = node(new JsonObject().put("proxies", new JsonArray().add(wrongPassword).add(wrongHttp).add(noneThere)));
    JsonObject summary = node.submitAndWait(Jobs.job("refused", origin.urls("/page/", 3))
      .put("limits", new JsonObject().put("concurrency", 1))).await();
    List<JsonObject> results = Jobs.readResults(summary.getString("output"));
    for (int i = 0; i < 3; i++) {
      assertEquals("proxy", Jobs.kind(results, i), results.toString());
    }
    assertFalse(results.toString().contains("wrong"), results.toString());
    assertEquals(0, origin.hits(), "the page was reached around a refusing proxy");
  }

  @Test
  void aProxyFailureIsRetriedLikeAConnectFailure() {
    TestNode node = node(new JsonObject().put("proxies", new JsonArray()
      .add("http://127.0.0.1:" + closedPort()).add(httpUrl())));
    JsonObject job = Jobs.job("retried", origin.url("/page/1"))
      .put("retry", new JsonObject().put("attempts", 2).put("backoffMs", 10));
    JsonObject summary = node.submitAndWait(job).await();
    JsonObject result = Jobs.readResults(summary.getString("output")).get(0);
    assertTrue(result.getBoolean("ok"), result.encode());
    assertEquals(2, result.getInteger("attempts"), result.encode());
    assertEquals("127.0.0.1:" + httpProxy.port(), result.getString("proxy"));
  }

  @Test
  void aProxyOnAPrivateAddressMustBeAllowedByName() {
    JsonObject guarded = new JsonObject().put("blockPrivateNetworks", true)
      .put("allowPrivateHosts", new JsonArray().add("127.0.0.1"))
      .put("proxies", new JsonArray().add("http://localhost:" + httpProxy.port()));
    TestNode node = node(guarded);
    JsonObject summary = node.submitAndWait(Jobs.job("guarded", origin.url("/page/1"))).await();
    List<JsonObject> results = Jobs.readResults(summary.getString("output"));
    assertEquals("blocked", Jobs.kind(results, 0), results.toString());
    assertTrue(results.get(0).getJsonObject("error").getString("message").contains("proxy"), results.toString());
    assertEquals(0, httpProxy.count());
  }

  @Test
  void anHttpsPageGoesThroughTheTunnelAndStillSpeaksHttp2() {
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    int tlsPort = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setUseAlpn(true)
        .setKeyCertOptions(cert.keyCertOptions()))
      .requestHandler(req -> req.response().putHeader("Content-Type", "text/html")
        .end("<html><head><title>secure</title></head><body><h1>over " + req.version() + "</h1></body></html>"))
      .listen(0, "127.0.0.1").await().actualPort();
    TestNode node = node(new JsonObject().put("proxies", new JsonArray().add(httpUrl()).add(socksUrl()))
      .put("trustStore", cert.certificatePath()));
    JsonObject job = Jobs.job("tunnel", "https://localhost:" + tlsPort + "/a", "https://localhost:" + tlsPort + "/b")
      .put("parse", new JsonObject().put("fields", new JsonObject().put("h1", "h1")));
    JsonObject summary = node.submitAndWait(job).await();
    for (JsonObject r : Jobs.readResults(summary.getString("output"))) {
      assertTrue(r.getBoolean("ok"), r.encode());
      assertEquals("HTTP/2", r.getString("httpVersion"), r.encode());
      assertEquals("over HTTP_2", r.getJsonObject("data").getString("h1"));
    }
    assertEquals(1, httpProxy.count(), "one tunnel through the HTTP proxy: " + httpProxy.forwarded());
    assertEquals(1, socksProxy.count(), "one tunnel through the SOCKS5 proxy: " + socksProxy.forwarded());
  }

  private static int closedPort() {
    return dev.trawl.support.Processes.freePort();
  }
}
