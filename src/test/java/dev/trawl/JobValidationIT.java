package dev.trawl;

import dev.trawl.bus.Addresses;
import dev.trawl.bus.Rejection;
import dev.trawl.support.Jobs;
import dev.trawl.support.NodeIT;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node with the default config refuses, as 400 with every problem listed, what it could not send
 * or must not read: bad headers and cookies, and any {@code requestsFile}; no problem echoes more
 * than 200 characters of the input.
 */
class JobValidationIT extends NodeIT {

  private static final String NOT_ENABLED = "requestsFile is not enabled on this node: set jobs.requestsFileDir";

  private List<Object> problemsOf(JsonObject job) {
    HttpResponse<Buffer> response = node.submit(job).await();
    assertEquals(400, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getJsonArray("problems").getList();
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aRequestsFileIsRefusedOverTheApiWithoutRequestsFileDir() {
    assertEquals(List.of(NOT_ENABLED),
      problemsOf(new JsonObject().put("name", "env").put("requestsFile", "/proc/self/environ")));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aRequestsFileIsRefusedOverTheEventBusWithoutRequestsFileDir() {
    JsonObject job = new JsonObject().put("name", "passwd").put("requestsFile", "/etc/passwd");
    Throwable failure = assertThrows(ReplyException.class,
      () -> vertx.eventBus().request(Addresses.JOBS_SUBMIT, job).await());
    Rejection rejection = Rejection.of(assertInstanceOf(ReplyException.class, failure));
    assertEquals(400, rejection.code());
    assertEquals(List.of(NOT_ENABLED), rejection.problems());
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void headersAndCookiesThatCannotBeSentAreRefusedEachByName() {
    JsonArray requests = new JsonArray().add(origin.url("/page/1"));
    JsonObject job = new JsonObject().put("name", "headers").put("requests", requests)
      .put("headers", new JsonObject().put("X-Split", "a\r\nInjected: 1").put("Host", "evil.example").put("Bad Name", "1"))
      .put("cookies", new JsonObject().put("session", "abc; admin=1"));
    requests.add(new JsonObject().put("url", origin.url("/page/2"))
      .put("headers", new JsonObject().put("transfer-encoding", "chunked").put("X-Nul", "a\u0000")));
    assertEquals(List.of(
      "headers.X-Split: the value has a control character (CR, LF, NUL, …) at position 1",
      "headers.Host: is a framing or routing header, which the HTTP client sets itself",
      "headers.Bad Name: the name is not an HTTP token (RFC 9110: letters, digits and !#$%&'*+-.^_`|~)",
      "cookies.session: the value has a ;, which would end the cookie",
      "requests[1].headers.transfer-encoding: is a framing or routing header, which the HTTP client sets itself",
      "requests[1].headers.X-Nul: the value has a control character (CR, LF, NUL, …) at position 1"),
      problemsOf(job));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aHundredProblemsAreListedThenACountAndNoneEchoesMoreThanTwoHundredCharacters() {
    String longUrl = "ftp://a.example/" + "x".repeat(1_000);
    JsonArray requests = new JsonArray();
    for (int i = 0; i < 300; i++) {
      requests.add(i % 2 == 0 ? longUrl : new JsonObject().put("url", "http://a.example/")
        .put("headers", new JsonObject().put("Y".repeat(1_000) + " ", "1")));
    }
    List<Object> problems = problemsOf(new JsonObject().put("name", "many").put("requests", requests));
    assertEquals(101, problems.size());
    assertEquals("and 200 more", problems.get(100));
    for (Object problem : problems) {
      assertFalse(((String) problem).contains("x".repeat(201)) || ((String) problem).contains("Y".repeat(201)),
        "echoes more than 200 characters: " + problem);
    }
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void sendableHeadersAreAcceptedAndReachTheOrigin() {
    JsonObject job = Jobs.job("ok", origin.url("/cookie/echo"))
      .put("headers", new JsonObject().put("User-Agent", "trawl-test/1").put("X-Tab", "a\tb"))
      .put("cookies", new JsonObject().put("session", "abc"));
    JsonObject summary = node.submitAndWait(job).await();
    assertEquals(1L, summary.getLong("ok"), summary.encode());
    assertTrue(Jobs.readResults(summary.getString("output")).get(0).getBoolean("ok"));
  }
}
