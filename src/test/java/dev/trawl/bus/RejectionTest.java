package dev.trawl.bus;

import dev.trawl.support.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A rejection encoded by {@link Rejection#failReply} and read back by {@link Rejection#of}, through
 * a real event bus: a consumer that fails the message, and a request that gets the failure.
 */
@ExtendWith(VertxExtension.class)
class RejectionTest {

  private static final String ADDRESS = "test.rejection";

  private TestVertx testVertx;
  private Vertx vertx;

  @BeforeEach
  void up() {
    testVertx = new TestVertx();
    vertx = testVertx.vertx();
  }

  @AfterEach
  void down() {
    List<String> blocked = testVertx.blockedWarnings();
    testVertx.close();
    assertEquals(List.of(), blocked, "an event loop was blocked");
  }

  /** The rejection read from the failure of a request answered by {@code consumer}; fails if it was replied to. */
  private Future<Rejection> requestAnsweredBy(Handler<Message<JsonObject>> consumer, DeliveryOptions options) {
    return vertx.eventBus().consumer(ADDRESS, consumer).completion()
      .compose(registered -> vertx.eventBus().request(ADDRESS, new JsonObject(), options))
      .transform(answer -> answer.succeeded()
        ? Future.failedFuture("the consumer replied instead of failing")
        : Future.succeededFuture(Rejection.of(answer.cause())));
  }

  private Future<Rejection> sentBack(Rejection rejection) {
    return requestAnsweredBy(rejection::failReply, new DeliveryOptions());
  }

  private static final List<String> PROBLEMS = List.of("requests: required", "mode: must be one of all, any, first");

  static Stream<Arguments> rejections() {
    return Stream.of(
      Arguments.of(Named.of("400", Rejection.invalidJob(PROBLEMS))),
      Arguments.of(Named.of("429", Rejection.queueFull())),
      Arguments.of(Named.of("404", Rejection.notFound("no job j-1"))),
      Arguments.of(Named.of("503", Rejection.unavailable("the node is stopping"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejections")
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void aRejectionArrivesAsItWasSent(Rejection sent, VertxTestContext ctx) {
    sentBack(sent).onComplete(ctx.succeeding(received -> ctx.verify(() -> {
      assertEquals(sent, received);
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void anInvalidJobKeepsItsProblems(VertxTestContext ctx) {
    sentBack(Rejection.invalidJob(PROBLEMS))
      .onComplete(ctx.succeeding(received -> ctx.verify(() -> {
        assertEquals(List.of("requests: required", "mode: must be one of all, any, first"), received.problems());
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void aFullQueueKeepsRetryAfterSeconds(VertxTestContext ctx) {
    sentBack(Rejection.queueFull()).onComplete(ctx.succeeding(received -> ctx.verify(() -> {
      assertEquals(5, received.body().getInteger("retryAfterSeconds"));
      ctx.completeNow();
    })));
  }

  static Stream<Arguments> plainRejections() {
    return Stream.of(
      Arguments.of(Rejection.notFound("no job j-1"), 404, "no job j-1"),
      Arguments.of(Rejection.unavailable("the node is stopping"), 503, "the node is stopping"));
  }

  @ParameterizedTest(name = "{1}: {2}")
  @MethodSource("plainRejections")
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void aPlainRejectionKeepsItsCodeAndItsMessageAsError(Rejection sent, int code, String error, VertxTestContext ctx) {
    sentBack(sent).onComplete(ctx.succeeding(received -> ctx.verify(() -> {
      assertEquals(new Rejection(code, new JsonObject().put("error", error)), received);
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void aForeign400WhoseMessageIsNotJsonKeepsItsWordsAsError(VertxTestContext ctx) {
    requestAnsweredBy(message -> message.fail(400, "bad job"), new DeliveryOptions())
      .onComplete(ctx.succeeding(received -> ctx.verify(() -> {
        assertEquals(new Rejection(400, new JsonObject().put("error", "bad job")), received);
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void aFailureWithoutACodeIsNoRejection(VertxTestContext ctx) {
    requestAnsweredBy(message -> message.fail(0, "no code"), new DeliveryOptions())
      .onComplete(ctx.succeeding(received -> ctx.verify(() -> {
        assertNull(received);
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void aTimeoutIsNoRejection(VertxTestContext ctx) {
    requestAnsweredBy(message -> { }, new DeliveryOptions().setSendTimeout(50))
      .onComplete(ctx.succeeding(received -> ctx.verify(() -> {
        assertNull(received);
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void noHandlerIsNoRejection(VertxTestContext ctx) {
    vertx.eventBus().request("test.nobody", new JsonObject())
      .transform(answer -> answer.succeeded()
        ? Future.failedFuture("someone answered")
        : Future.succeededFuture(Rejection.of(answer.cause())))
      .onComplete(ctx.succeeding(received -> ctx.verify(() -> {
        assertNull(received);
        ctx.completeNow();
      })));
  }

  @Test
  void aFailureThatIsNotAReplyIsNoRejection() {
    assertNull(Rejection.of(new IllegalStateException("{\"error\":\"x\"}")));
  }
}
