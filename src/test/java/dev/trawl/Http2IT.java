package dev.trawl;

import dev.trawl.support.Jobs;
import dev.trawl.support.TestNode;
import dev.trawl.support.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP/2 over TLS by ALPN, HTTP/1.1 otherwise (issue 17), against real TLS servers with a
 * self-signed certificate trusted through {@code fetch.trustStore}; results say {@code httpVersion}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Http2IT {

  @TempDir
  Path data;
  private TestVertx testVertx;
  private Vertx vertx;
  private SelfSignedCertificate cert;
  private int h2Port;
  private int h1TlsPort;
  private int plainPort;

  @BeforeEach
  void up() {
    testVertx = new TestVertx();
    vertx = testVertx.vertx();
    cert = SelfSignedCertificate.create("localhost");
    h2Port = serve(new HttpServerOptions().setSsl(true).setUseAlpn(true).setKeyCertOptions(cert.keyCertOptions()));
    h1TlsPort = serve(new HttpServerOptions().setSsl(true).setUseAlpn(false).setKeyCertOptions(cert.keyCertOptions()));
    plainPort = serve(new HttpServerOptions());
  }

  @AfterEach
  void down() {
    List<String> blocked = testVertx.blockedWarnings();
    testVertx.close();
    assertEquals(List.of(), blocked, "an event loop was blocked");
  }

  private int serve(HttpServerOptions options) {
    return vertx.createHttpServer(options)
      .requestHandler(req -> req.response().putHeader("Content-Type", "text/html")
        .end("<html><body><h1>" + req.version() + "</h1></body></html>"))
      .listen(0, "127.0.0.1").await().actualPort();
  }

  private List<JsonObject> fetchAll(JsonObject fetch) {
    TestNode node = new TestNode(vertx, data, new JsonObject().put("fetch", fetch)).start().await();
    JsonObject job = Jobs.job("versions", "https://localhost:" + h2Port + "/", "https://localhost:" + h1TlsPort + "/",
        "http://localhost:" + plainPort + "/")
      .put("parse", new JsonObject().put("fields", new JsonObject().put("seen", "h1")));
    return Jobs.readResults(node.submitAndWait(job).await().getString("output"));
  }

  @Test
  void http2WhereTlsOffersItHttp11Elsewhere() {
    List<JsonObject> results = fetchAll(new JsonObject().put("trustStore", cert.certificatePath()));
    assertEquals("HTTP/2", Jobs.result(results, 0).getString("httpVersion"), results.toString());
    assertEquals("HTTP_2", Jobs.result(results, 0).getJsonObject("data").getString("seen"));
    assertEquals("HTTP/1.1", Jobs.result(results, 1).getString("httpVersion"), results.toString());
    assertEquals("HTTP/1.1", Jobs.result(results, 2).getString("httpVersion"), results.toString());
    assertEquals("HTTP_1_1", Jobs.result(results, 2).getJsonObject("data").getString("seen"), "plain http is never h2c");
  }

  @Test
  void withHttp2OffEveryAnswerIsHttp11() {
    List<JsonObject> results = fetchAll(new JsonObject().put("trustStore", cert.certificatePath()).put("http2", false));
    for (JsonObject r : results) {
      assertTrue(r.getBoolean("ok"), r.encode());
      assertEquals("HTTP/1.1", r.getString("httpVersion"), r.encode());
    }
  }

  @Test
  void aCertificateOfNoTrustedCaEndsAsTlsUnlessTestsSayInsecure() {
    List<JsonObject> untrusted = fetchAll(new JsonObject());
    assertEquals("tls", Jobs.kind(untrusted, 0), untrusted.toString());
    assertEquals("tls", Jobs.kind(untrusted, 1), untrusted.toString());
    assertEquals("ok", Jobs.kind(untrusted, 2));
  }

  @Test
  void insecureTlsTrustsAnyCertificate() {
    List<JsonObject> results = fetchAll(new JsonObject().put("insecureTls", true));
    assertEquals("HTTP/2", Jobs.result(results, 0).getString("httpVersion"), results.toString());
    assertEquals("ok", Jobs.kind(results, 1), results.toString());
  }
}
