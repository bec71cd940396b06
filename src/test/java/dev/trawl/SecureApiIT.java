package dev.trawl;

import dev.trawl.config.ConfigLoader;
import dev.trawl.support.Jobs;
import dev.trawl.support.NodeIT;
import dev.trawl.support.Processes;
import dev.trawl.support.TestVertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12, point 1, seen from outside: the API is private unless protected. A node from the
 * shipped config answers on loopback only; one on another address without a token does not
 * start; a job body must be JSON; without a token a foreign {@code Host} is refused.
 */
class SecureApiIT extends NodeIT {

  private static final Path JAR = Path.of("target", "trawl.jar");

  /**
   * The first HTTP exchange in a JVM loads the HTTP client and server classes and registers Netty's
   * JFR events, over 300 ms on a busy 2-core machine. When this class runs first in its JVM, that
   * happens here, on a throwaway Vert.x nobody checks, not on the first strict event loop.
   */
  @BeforeAll
  static void loadHttpClasses() {
    io.vertx.core.Vertx warm = io.vertx.core.Vertx.vertx();
    try {
      io.vertx.core.http.HttpServer server = warm.createHttpServer()
        .requestHandler(request -> request.response().end("warm")).listen(0, "127.0.0.1").await();
      WebClient.create(warm).get(server.actualPort(), "127.0.0.1", "/").send().await();
    } finally {
      warm.close().await();
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aNodeFromTheShippedConfigAnswersOnLoopbackOnly() throws IOException {
    JsonObject shipped = ConfigLoader.effective(ConfigLoader.readArgument("conf/config.json"), Map.of()).json();
    assertEquals("127.0.0.1", shipped.getJsonObject("http").getString("host"));
    int port = Processes.freePort();
    shipped.getJsonObject("http").put("port", port);
    shipped.getJsonObject("sink").put("dir", data.resolve("shipped").toString());
    TestVertx other = new TestVertx();
    try {
      other.vertx().deployVerticle(TrawlVerticle::new, new DeploymentOptions().setConfig(shipped)).await();
      // A firewall that drops packets would otherwise hold the probe of the other address for 60 s.
      WebClient client = WebClient.create(other.vertx(), new WebClientOptions().setConnectTimeout(2_000));
      assertEquals(200, client.get(port, "127.0.0.1", "/health").send().await().statusCode());
      Optional<String> lan = nonLoopbackAddress();
      if (lan.isPresent()) {
        Future<Integer> outside = client.get(port, lan.get(), "/health").send().map(response -> response.statusCode());
        assertEquals(-1, outside.otherwise(-1).await(), "the API answered on " + lan.get());
      }
      assertEquals(List.of(), other.blockedWarnings(), "an event loop was blocked");
    } finally {
      other.close();
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aNonLoopbackHostWithoutATokenDoesNotStart() throws Exception {
    String conf = new JsonObject().put("http", new JsonObject().put("host", "0.0.0.0").put("port", Processes.freePort()))
      .put("sink", new JsonObject().put("dir", data.toString())).encode();
    Process process = java("-conf", conf);
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, process.exitValue(), stderr);
    assertEquals(1, stderr.lines().filter(line -> line.startsWith("trawl:") || line.startsWith("\tat ")).count(), stderr);
    assertTrue(stderr.startsWith("trawl: invalid config: http.host is 0.0.0.0, not a loopback address, and http.token is empty"),
      stderr);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aNonLoopbackHostWithoutATokenIsNotDeployed() {
    JsonObject open = new JsonObject().put("http", new JsonObject().put("host", "192.0.2.1").put("port", 0))
      .put("sink", new JsonObject().put("dir", data.toString()));
    Throwable refused = vertx.deployVerticle(TrawlVerticle::new, new DeploymentOptions().setConfig(open))
      .transform(deployed -> Future.succeededFuture(deployed.cause())).await();
    assertNotNull(refused, "the node started");
    assertTrue(refused.getMessage().contains("http.host") && refused.getMessage().contains("http.token"), refused.getMessage());
  }

  @ParameterizedTest
  @CsvSource({
    "text/plain, 415",
    "application/x-www-form-urlencoded, 415",
    "multipart/form-data; boundary=x, 415",
    "none, 415",
    "application/json, 202",
    "application/json; charset=utf-8, 202",
    "Application/JSON, 202"})
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void onlyAJsonBodyIsAJob(String contentType, int status) {
    HttpRequest<Buffer> post = node.api().post(node.apiPort(), "127.0.0.1", "/jobs");
    if (!contentType.equals("none")) {
      post.putHeader("Content-Type", contentType);
    }
    var response = post.sendBuffer(Jobs.job("typed", origin.url("/page/1")).toBuffer()).await();
    assertEquals(status, response.statusCode(), response.bodyAsString());
    if (status == 415) {
      assertTrue(response.bodyAsJsonObject().containsKey("error"), response.bodyAsString());
    }
  }

  @ParameterizedTest
  @CsvSource({
    "/jobs, evil.example, 421",
    "/jobs, evil.example:PORT, 421",
    "/jobs, 127.0.0.1.evil.example:PORT, 421",
    "/jobs, localhost.evil.example, 421",
    "/health, evil.example:PORT, 421",
    "/metrics, evil.example:PORT, 421",
    "/no-such-path, evil.example, 421",
    "/jobs, 127.0.0.1:PORT, 200",
    "/jobs, localhost:PORT, 200",
    "/jobs, LocalHost, 200",
    "/jobs, 127.0.0.2:PORT, 200",
    "/jobs, 127.255.255.254, 200",
    "/jobs, [::1]:PORT, 200",
    "/health, localhost:PORT, 200"})
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void withoutATokenOnlyLoopbackNamesAndTheNodesOwnHostMayCall(String path, String host, int status) {
    assertEquals(status, callWithHost(HttpMethod.GET, path, host.replace("PORT", String.valueOf(node.apiPort()))));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aForeignHostCannotSubmitOrCancelEither() {
    assertEquals(421, callWithHost(HttpMethod.POST, "/jobs", "evil.example"));
    assertEquals(421, callWithHost(HttpMethod.DELETE, "/jobs/x", "evil.example"));
  }

  /** A request to the node over loopback whose {@code Host} header says {@code host}; its status. */
  private int callWithHost(HttpMethod method, String path, String host) {
    HttpClient client = vertx.createHttpClient();
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(node.apiPort())
      .setURI(path).putHeader(HttpHeaders.HOST, host).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    Buffer body = method == HttpMethod.POST ? Jobs.job("foreign", origin.url("/page/1")).toBuffer() : Buffer.buffer();
    return client.request(options).compose(request -> request.send(body))
      .compose(response -> response.body().map(b -> response.statusCode()))
      .eventually(() -> client.close()).await();
  }

  private static Optional<String> nonLoopbackAddress() throws SocketException {
    for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (InetAddress address : nic.inetAddresses().toList()) {
          if (address instanceof Inet4Address) {
            return Optional.of(address.getHostAddress());
          }
        }
      }
    }
    return Optional.empty();
  }

  private static Process java(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Xmx256m", "-jar", JAR.toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }

}
