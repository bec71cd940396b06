package dev.trawl.job;

import dev.trawl.config.ConfigLoader;
import dev.trawl.config.JobDefaults;
import dev.trawl.config.Problems;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests and job headers are refused when they cannot be sent as given; a bad line never echoes its content. */
class RequestSpecTest {

  private static final JobDefaults DEFAULTS = JobDefaults.of(ConfigLoader.effective(new JsonObject(), Map.of()));
  private static final RequestSpec.Defaults JOB = new RequestSpec.Defaults(DEFAULTS.timeouts(), Map.of());

  private static List<String> problemsOf(JsonObject job) {
    return JobSpec.parse(job.put("name", "x"), DEFAULTS, 1000).problems().list();
  }

  private static JsonObject withRequest(JsonObject request) {
    return new JsonObject().put("requests", new JsonArray().add(request.put("url", "http://a.example/")));
  }

  // ---- requestsFile lines ------------------------------------------------------------------------

  @Test
  void aLineThatIsNotAUrlNamesItsNumberAndReasonNotItsContent() {
    RequestSpec line = RequestSpec.ofLine(0, "root:x:0:0:root:/root:/bin/bash", JOB);
    assertEquals("line 1: scheme must be http or https", line.problem());
  }

  @Test
  void aBadLinesUrlFieldIsCutAtTwoHundredCharacters() {
    String secret = "AWS_SECRET_ACCESS_KEY=" + "s".repeat(500);
    RequestSpec line = RequestSpec.ofLine(4, secret, JOB);
    assertEquals(secret.substring(0, 200) + "…", line.url());
    assertFalse(line.problem().contains("AWS"), line.problem());
  }

  @Test
  void aJsonLineWithBadHeadersIsInvalidWithoutNamingThem() {
    RequestSpec line = RequestSpec.ofLine(6, "{\"url\": \"http://a.example/\", \"headers\": {\"X-Key secret\": \"1\","
      + " \"X-Ok\": \"a\\r\\nInjected: yes\"}}", JOB);
    assertEquals("line 7.headers.…: the name is not an HTTP token (RFC 9110: letters, digits and !#$%&'*+-.^_`|~); "
      + "line 7.headers.…: the value has a control character (CR, LF, NUL, …) at position 1", line.problem());
    assertEquals("http://a.example/", line.url());
  }

  @Test
  void aJsonLineWithoutAUrlStringReturnsNoContent() {
    RequestSpec line = RequestSpec.ofLine(2, "{\"headers\": {\"Authorization\": \"Bearer s3cret\"}, \"SECRET\": 1}", JOB);
    assertEquals("", line.url());
    assertEquals("line 3.…: unknown key; line 3.url: is required", line.problem());
  }

  @Test
  void aLineWhoseUrlDoesNotParseGivesTheReasonWithoutTheUrl() {
    RequestSpec line = RequestSpec.ofLine(0, "http://a.example/pass word", JOB);
    assertEquals("line 1: invalid URL: Illegal character in path at index 21", line.problem());
  }

  // ---- headers -----------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
    "X Trace       | 1                  | the name is not an HTTP token",
    "X-Trace:      | 1                  | the name is not an HTTP token",
    "''            | 1                  | the name is not an HTTP token",
    "Host          | evil.example       | is a framing or routing header",
    "content-LENGTH| 5                  | is a framing or routing header",
    "Transfer-Encoding | chunked        | is a framing or routing header",
    "connection    | close              | is a framing or routing header",
    "Upgrade       | h2c                | is a framing or routing header",
    "te            | trailers           | is a framing or routing header",
    "Trailer       | X                  | is a framing or routing header",
    "Keep-Alive    | 5                  | is a framing or routing header",
    "Proxy-Connection | close           | is a framing or routing header",
    "X-Split       | a\\r\\nSet: b       | the value has a control character",
    "X-Nul         | a\\u0000b           | the value has a control character",
    "X-Del         | a\\u007fb           | the value has a control character",
    "X-Wide        | \\u2713             | the value has a character outside ISO-8859-1"})
  void headersThatCannotBeSentAreRefused(String name, String escaped, String expected) {
    String value = unescape(escaped);
    List<String> job = problemsOf(new JsonObject().put("requests", new JsonArray().add("http://a.example/"))
      .put("headers", new JsonObject().put(name, value)));
    List<String> request = problemsOf(withRequest(new JsonObject().put("headers", new JsonObject().put(name, value))));
    assertEquals(1, job.size(), job.toString());
    assertTrue(job.get(0).startsWith("headers." + name + ": " + expected), job.toString());
    assertEquals(1, request.size(), request.toString());
    assertTrue(request.get(0).startsWith("requests[0].headers." + name + ": " + expected), request.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"X-Tab\tinside", "café crème", "a=b; c", "!#$%&'*+-.^_`|~ plain"})
  void tabsLatin1AndPunctuationAreSendable(String value) {
    assertEquals(List.of(), problemsOf(withRequest(new JsonObject().put("headers", new JsonObject().put("X-V", value)))));
  }

  @Test
  void aRequestMaySendAtMostOneHundredHeadersCountingTheJobs() {
    JsonObject jobHeaders = new JsonObject();
    JsonObject own = new JsonObject();
    for (int i = 0; i < 60; i++) {
      jobHeaders.put("X-Job-" + i, "1");
      own.put("X-Own-" + i, "1");
    }
    own.put("x-job-0", "overrides the job's, so not counted twice");
    List<String> problems = problemsOf(withRequest(new JsonObject().put("headers", own)).put("headers", jobHeaders));
    assertEquals(List.of("requests[0].headers: 120 headers, over the 100 a request may send"), problems);
  }

  @Test
  void aRequestMaySendAtMostSixteenKibOfHeaders() {
    JsonObject big = new JsonObject().put("X-Big", "v".repeat(16 * 1024));
    List<String> problems = problemsOf(new JsonObject().put("requests", new JsonArray().add("http://a.example/"))
      .put("headers", big));
    assertEquals(List.of("headers: 16389 characters of names and values, over the 16384 a request may send"), problems);
  }

  @Test
  void aHugeHeaderNameIsEchoedAtMostTwoHundredCharacters() {
    String name = "N".repeat(10_000) + " ";
    List<String> problems = problemsOf(withRequest(new JsonObject().put("headers", new JsonObject().put(name, "1"))));
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).startsWith("requests[0].headers." + "N".repeat(200) + "…: the name is not"), problems.get(0));
  }

  @Test
  void manyBadRequestsGiveAHundredProblemsAndACount() {
    JsonArray requests = new JsonArray();
    for (int i = 0; i < 500; i++) {
      requests.add("ftp://a.example/" + "x".repeat(1000));
    }
    List<String> problems = problemsOf(new JsonObject().put("requests", requests));
    assertEquals(101, problems.size());
    assertEquals("requests[0]: scheme must be http or https", problems.get(0));
    assertEquals("and 400 more", problems.get(100));
  }

  // ---- cookies -----------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
    "se ssion | abc        | the name is not an HTTP token",
    "a;b      | abc        | the name is not an HTTP token",
    "session  | abc; x=1   | the value has a ;",
    "session  | a\\r\\nb    | the value has a control character",
    "session  | a\\tb       | the value has a control character"})
  void cookiesThatCannotBeSentAreRefused(String name, String escaped, String expected) {
    List<String> problems = problemsOf(new JsonObject().put("requests", new JsonArray().add("http://a.example/"))
      .put("cookies", new JsonObject().put(name, unescape(escaped))));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("cookies." + name + ": " + expected), problems.toString());
  }

  @Test
  void validHeadersAndCookiesStillPass() {
    JobSpec.Parsed parsed = JobSpec.parse(withRequest(new JsonObject().put("headers", new JsonObject().put("X-Trace", "1")))
      .put("name", "x").put("headers", new JsonObject().put("User-Agent", "trawl/1.0"))
      .put("cookies", new JsonObject().put("session", "abc")), DEFAULTS, 1000);
    assertEquals(List.of(), parsed.problems().list());
    assertEquals("trawl/1.0", parsed.spec().headers().get("User-Agent"));
  }

  @Test
  void anInlineRequestIsParsedAgainWithoutProblemsAtRunTime() {
    RequestSpec spec = RequestSpec.parse(0, "http://a.example/", JOB, "", new Problems());
    assertNull(spec.problem());
  }

  private static String unescape(String escaped) {
    return escaped.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t").replace("\\u0000", "\u0000")
      .replace("\\u007f", "\u007f").replace("\\u2713", "\u2713");
  }
}
