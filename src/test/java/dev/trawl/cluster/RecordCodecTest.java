package dev.trawl.cluster;

import dev.trawl.config.Timeouts;
import dev.trawl.error.ErrorKind;
import dev.trawl.fetch.FetchGuard;
import dev.trawl.fetch.FetchOutcome;
import dev.trawl.fetch.FetchRequest;
import dev.trawl.fetch.Proxy;
import dev.trawl.parse.FieldSelector;
import dev.trawl.parse.JsonQuery;
import dev.trawl.parse.FollowSpec;
import dev.trawl.parse.ParseAs;
import dev.trawl.parse.ParseSpec;
import dev.trawl.sink.ResultLine;
import dev.trawl.support.TestVertx;
import dev.trawl.web.SetCookie;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The codecs {@link Codecs} registers: every message record survives the wire between nodes
 * (JSON), and passes unchanged, as the same instance, within a node.
 */
@ExtendWith(VertxExtension.class)
class RecordCodecTest {

  private TestVertx testVertx;

  @AfterEach
  void down() {
    if (testVertx != null) {
      List<String> blocked = testVertx.blockedWarnings();
      testVertx.close();
      assertEquals(List.of(), blocked, "an event loop was blocked");
    }
  }

  // Samples, built component by component.

  private static final FetchRequest PAGE_REQUEST = new FetchRequest("job-1", 7, 42,
    "https://example.test/a?b=c", "POST", headers("Accept", "text/html", "Cookie", "sid=1; theme=dark"),
    "{\"q\":\"trawl\"}", new Timeouts(5_000, 10_000, 30_000),
    new ParseSpec(ParseAs.HTML,
      List.of(FieldSelector.css("title", "h1", null, false), FieldSelector.css("cover", "img.cover", "src", false),
        FieldSelector.css("tags", "ul.tags li", null, true),
        new FieldSelector("heading", null, "//h1/text()", null, false, null, 0),
        new FieldSelector("links", null, "//a", "href", true, null, 0),
        new FieldSelector("price", ".price", null, null, false, "([0-9.]+)", 1),
        new FieldSelector("odd", "a[href*=@]", null, "data-x", true, "(x)(y)?", 2),
        FieldSelector.css("bracket", "p", "a]b", false)),
      jsonQueries(), true),
    true, FetchRequest.Purpose.PAGE,
    new FollowSpec("a[href]", 2, true, List.of("^https://example\\.test/"), List.of("\\.pdf$"), 500, true),
    new FetchGuard(true, Set.of("intranet.example", "127.0.0.1"), 10_485_760, 5));

  private static final FetchRequest ROBOTS_REQUEST = new FetchRequest("job-2", 0, 1,
    "https://example.test/robots.txt", "GET", Map.of(), null, new Timeouts(1, 1, 1), ParseSpec.DEFAULT,
    false, FetchRequest.Purpose.ROBOTS, null, new FetchGuard(false, Set.of(), 1, 0));

  private static final FetchOutcome OK_OUTCOME = new FetchOutcome("job-1", 7, 42, true, 200,
    "https://example.test/a/", "text/html; charset=utf-8", 1_234, "2026-11-30T05:00:00.123Z", 85, "4242@node-a",
    new JsonObject().put("title", "Hello").put("price", 9.5).put("tags", new JsonArray().add("a").add("b"))
      .put("missing", null),
    new JsonArray().add("https://example.test/b").add("https://example.test/c"),
    "<html><h1>Hello</h1></html>", null, null, List.of(new SetCookie("https://example.test/a?b=c", "sid=1; Path=/"),
      new SetCookie("https://example.test/a/", "theme=dark; Domain=example.test; Secure")), -1,
    List.of("https://example.test/b", "https://example.test/c"), List.of());

  private static final FetchOutcome FAILED_OUTCOME = new FetchOutcome("job-1", 8, 43, false, 0, null, null, 0,
    "2026-11-30T05:00:01Z", 1_000, "4242@node-a", null, null, null, ErrorKind.TIMEOUT,
    "nothing received for 1000 ms (timeouts.idleMs)", List.of(), -1, List.of(), List.of());

  private static final FetchOutcome STATUS_OUTCOME = new FetchOutcome("job-1", 9, 44, false, 503,
    "https://example.test/busy", "text/plain", 12, "2026-11-30T05:00:02Z", 20, "4242@node-a", null, null, null,
    ErrorKind.HTTP_STATUS, "503 Service Unavailable", List.of(), 120_000, List.of(), List.of());

  private static final FetchOutcome SITEMAP_INDEX_OUTCOME = new FetchOutcome("job-3", 0, 45, true, 200,
    "https://example.test/sitemap.xml", "application/xml", 300, "2026-11-30T05:00:03Z", 5, "4242@node-b",
    null, null, null, null, null, List.of(), -1, List.of(),
    List.of("https://example.test/sitemap-1.xml", "https://example.test/sitemap-2.xml"));

  private static final FetchRequest PROXIED_REQUEST = new FetchRequest("job-4", 1, 46,
    "https://example.test/p", "GET", headers("If-None-Match", "\"v1\"", "If-Modified-Since", "Wed, 21 Oct 2026 07:28:00 GMT"),
    null, new Timeouts(1, 1, 1), ParseSpec.DEFAULT, false, FetchRequest.Purpose.PAGE, null,
    new FetchGuard(true, Set.of(), 1, 0), new Proxy(Proxy.Kind.SOCKS5, "proxy.example", 1080, "user", "p:ss"));

  private static final FetchOutcome NOT_MODIFIED_OUTCOME = new FetchOutcome("job-4", 1, 46, true, 304,
    "https://example.test/p", null, 0, "2026-11-30T05:00:04Z", 3, "4242@node-b", null, null, null, null, null,
    List.of(), -1, List.of(), List.of(),
    new FetchOutcome.Wire("HTTP/2", "\"v1\"", "Wed, 21 Oct 2026 07:28:00 GMT", true, "proxy.example:1080"));

  private static final ResultLine RESULT_LINE = new ResultLine("job-1", 3,
    "{\"index\":0,\"ok\":true,\"url\":\"https://example.test/ü\"}");

  private static Map<String, JsonQuery> jsonQueries() {
    Map<String, JsonQuery> queries = new LinkedHashMap<>();
    queries.put("name", JsonQuery.pointer("/name"));
    queries.put("price", JsonQuery.pointer("/offers/0/price"));
    queries.put("ids", JsonQuery.jsonPath("$.items[*].id"));
    return queries;
  }

  private static Map<String, String> headers(String... namesAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return map;
  }

  static Stream<Arguments> samples() {
    return Stream.of(
      Arguments.of(Named.of("a page request with body, parse (every field form) and follow", PAGE_REQUEST)),
      Arguments.of(Named.of("a robots.txt request without body or follow", ROBOTS_REQUEST)),
      Arguments.of(Named.of("an ok outcome with data, links, body and discovered", OK_OUTCOME)),
      Arguments.of(Named.of("a failed outcome with a kind", FAILED_OUTCOME)),
      Arguments.of(Named.of("an http_status outcome with Retry-After", STATUS_OUTCOME)),
      Arguments.of(Named.of("a sitemap index outcome listing sitemaps", SITEMAP_INDEX_OUTCOME)),
      Arguments.of(Named.of("a conditional request through a proxy with credentials", PROXIED_REQUEST)),
      Arguments.of(Named.of("a 304 outcome with its version, validators and proxy", NOT_MODIFIED_OUTCOME)),
      Arguments.of(Named.of("a result line", RESULT_LINE)));
  }

  /**
   * The codecs {@link Codecs#registerAll} registers. Codecs keeps its list private; it is read here
   * so that a codec added there without a sample here fails {@link #everyRegisteredCodecHasASample}.
   */
  @SuppressWarnings("unchecked")
  private static List<RecordCodec<?>> registered() throws ReflectiveOperationException {
    Field all = Codecs.class.getDeclaredField("ALL");
    all.setAccessible(true);
    return (List<RecordCodec<?>>) all.get(null);
  }

  @SuppressWarnings("unchecked")
  private static RecordCodec<Object> codecOf(Object sample) throws ReflectiveOperationException {
    for (RecordCodec<?> codec : registered()) {
      if (codec.type() == sample.getClass()) {
        return (RecordCodec<Object>) codec;
      }
    }
    throw new AssertionError("no codec registered for " + sample.getClass().getName());
  }

  @Test
  void everyRegisteredCodecHasASample() throws ReflectiveOperationException {
    Set<Class<?>> sampled = Set.of(FetchRequest.class, FetchOutcome.class, ResultLine.class);
    Set<Class<?>> registeredTypes = registered().stream().map(RecordCodec::type).collect(Collectors.toSet());
    assertEquals(sampled, registeredTypes);
  }

  @ParameterizedTest
  @MethodSource("samples")
  void aRecordSurvivesTheWire(Object sample) throws ReflectiveOperationException {
    RecordCodec<Object> codec = codecOf(sample);
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, sample);
    Object decoded = codec.decodeFromWire(0, wire);
    assertEquals(sample, decoded);
  }

  @ParameterizedTest
  @MethodSource("samples")
  void aRecordIsDecodedFromThePositionItStartsAt(Object sample) throws ReflectiveOperationException {
    RecordCodec<Object> codec = codecOf(sample);
    Buffer wire = Buffer.buffer("headers of the message before the body");
    int start = wire.length();
    codec.encodeToWire(wire, sample);
    wire.appendString("whatever follows");
    Object decoded = codec.decodeFromWire(start, wire);
    assertEquals(sample, decoded);
  }

  @ParameterizedTest
  @MethodSource("samples")
  void aRecordPassesWithinANodeAsTheSameInstance(Object sample) throws ReflectiveOperationException {
    assertSame(sample, codecOf(sample).transform(sample));
  }

  static Stream<Arguments> names() {
    return Stream.of(
      Arguments.of(FetchRequest.class, "trawl.FetchRequest"),
      Arguments.of(FetchOutcome.class, "trawl.FetchOutcome"),
      Arguments.of(ResultLine.class, "trawl.ResultLine"));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("names")
  void aCodecIsNamedAfterItsRecord(Class<?> type, String name) throws ReflectiveOperationException {
    RecordCodec<?> codec = registered().stream().filter(c -> c.type() == type).findFirst().orElseThrow();
    assertEquals(name, codec.name());
  }

  @Test
  void registeringTheCodecsTwiceOnOneEventBusIsHarmless() {
    testVertx = new TestVertx();
    Codecs.registerAll(testVertx.vertx().eventBus());
    assertDoesNotThrow(() -> Codecs.registerAll(testVertx.vertx().eventBus()));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void aRecordSentOnTheLocalEventBusArrivesAsTheSameInstance(VertxTestContext ctx) {
    testVertx = new TestVertx();
    Codecs.registerAll(testVertx.vertx().eventBus());
    testVertx.vertx().eventBus().<FetchRequest>consumer("test.codec", message -> ctx.verify(() -> {
      assertSame(PAGE_REQUEST, message.body());
      ctx.completeNow();
    })).completion().onSuccess(v -> testVertx.vertx().eventBus().send("test.codec", PAGE_REQUEST));
  }
}
