package dev.trawl.job;

import dev.trawl.bus.Addresses;
import dev.trawl.bus.ReplyCodes;
import dev.trawl.cluster.Codecs;
import dev.trawl.cluster.Members;
import dev.trawl.config.Timeouts;
import dev.trawl.error.ErrorKind;
import dev.trawl.fetch.FetchOutcome;
import dev.trawl.fetch.FetchRequest;
import dev.trawl.parse.ParseSpec;
import dev.trawl.support.TestVertx;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The dispatcher of one unclustered node, with the event bus as its seam: the node's fetchers are
 * a consumer each test registers on {@code trawl.fetch@node-a}, answering, holding or refusing the
 * tries as the test needs. Members, dispatcher and consumer all live on one context, as they do
 * on the coordinator's event loop.
 */
@ExtendWith(VertxExtension.class)
class DispatcherTest {

  private static final String NODE = "node-a";
  private static final int MAX_IN_FLIGHT = 2;
  private static final String STARTED_AT = "2026-11-02T10:00:00Z";
  private static final FetchRequest REQUEST = request(7);

  private TestVertx testVertx;
  private Vertx vertx;
  private Context context;
  private Members members;
  private Dispatcher dispatcher;
  /** What the dispatcher said it sent again; written on the context. */
  private final List<FetchRequest> resent = new ArrayList<>();
  /** Whether a lost try is still worth fetching (its job has not ended). */
  private boolean stillWanted = true;

  @BeforeEach
  void up(VertxTestContext ctx) {
    testVertx = new TestVertx();
    vertx = testVertx.vertx();
    Codecs.registerAll(vertx.eventBus());
    context = vertx.getOrCreateContext();
    onLoop(() -> {
      members = new Members(vertx, NODE, MAX_IN_FLIGHT, 60_000, 180_000, lost -> { });
      dispatcher = new Dispatcher(vertx.eventBus(), members, resent::add, request -> stillWanted);
      return members.start();
    }).onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void down() {
    onLoop(() -> {
      members.stop();
      return Future.succeededFuture();
    }).await();
    List<String> blocked = testVertx.blockedWarnings();
    testVertx.close();
    assertEquals(List.of(), blocked, "an event loop was blocked");
  }

  private static FetchRequest request(long dispatchId) {
    return new FetchRequest("job-1", dispatchId, dispatchId, "http://a.test/" + dispatchId, "GET", Map.of(), null,
      new Timeouts(1_000, 1_000, 5_000), ParseSpec.DEFAULT, false, FetchRequest.Purpose.PAGE, null,
      new dev.trawl.fetch.FetchGuard(true, java.util.Set.of(), 1_048_576, 5));
  }

  /** What the test's fetchers answer to {@code request}: a failed outcome, told apart by its message. */
  private static FetchOutcome outcome(FetchRequest request, String message) {
    return FetchOutcome.failed(request, NODE, STARTED_AT, 12, ErrorKind.TIMEOUT, message);
  }

  /** {@code action} run on the test's context; its future, completed there. */
  private <T> Future<T> onLoop(Supplier<Future<T>> action) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }

  /** Registers this node's fetchers, on the context. */
  private Future<Void> fetchers(Handler<Message<FetchRequest>> handler) {
    return onLoop(() -> vertx.eventBus().<FetchRequest>consumer(Addresses.atNode(Addresses.FETCH, NODE), handler)
      .completion());
  }

  /** Fetchers that answer nothing until the test does: each try that arrives is kept, in order. */
  private static final class HeldFetchers implements Handler<Message<FetchRequest>> {
    private final List<Promise<Message<FetchRequest>>> arrivals = new ArrayList<>();
    private int arrived;

    @Override
    public void handle(Message<FetchRequest> message) {
      slot(arrived++).complete(message);
    }

    /** The n-th try to arrive, counted from 1. */
    Future<Message<FetchRequest>> arrival(int n) {
      return slot(n - 1).future();
    }

    private Promise<Message<FetchRequest>> slot(int i) {
      while (arrivals.size() <= i) {
        arrivals.add(Promise.promise());
      }
      return arrivals.get(i);
    }
  }

  // ---- answers ---------------------------------------------------------------------------------

  @Test
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void aTrysAnswerComesBackFromTheNodesFetchers(VertxTestContext ctx) {
    FetchOutcome expected = outcome(REQUEST, "answered by the test's fetchers");
    fetchers(message -> message.reply(outcome(message.body(), "answered by the test's fetchers")))
      .compose(v -> onLoop(() -> dispatcher.fetch(REQUEST)))
      .onComplete(ctx.succeeding(answer -> ctx.verify(() -> {
        assertEquals(expected, answer);
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void inFlightCountsTheTriesSentAndNotAnswered(VertxTestContext ctx) {
    HeldFetchers held = new HeldFetchers();
    fetchers(held).compose(v -> onLoop(() -> {
      Future<FetchOutcome> first = dispatcher.fetch(request(1));
      dispatcher.fetch(request(2));
      dispatcher.fetch(request(3));
      int whenSent = dispatcher.inFlight();
      return held.arrival(1).compose(message -> {
        message.reply(outcome(message.body(), "answered"));
        return first;
      }).map(answer -> List.of(whenSent, dispatcher.inFlight()));
    })).onComplete(ctx.succeeding(inFlight -> ctx.verify(() -> {
      assertEquals(List.of(3, 2), inFlight);
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void capacityIsTheMaxInFlightOfTheNodeTakingWork(VertxTestContext ctx) {
    onLoop(() -> Future.succeededFuture(dispatcher.capacity())).onComplete(ctx.succeeding(capacity -> ctx.verify(() -> {
      assertEquals(2, capacity);
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void thereIsRoomUntilTheTriesInFlightReachTheCapacityAndAgainOnceOneIsAnswered(VertxTestContext ctx) {
    HeldFetchers held = new HeldFetchers();
    fetchers(held).compose(v -> onLoop(() -> {
      List<Boolean> room = new ArrayList<>();
      room.add(dispatcher.hasRoom());
      Future<FetchOutcome> first = dispatcher.fetch(request(1));
      room.add(dispatcher.hasRoom());
      dispatcher.fetch(request(2));
      room.add(dispatcher.hasRoom());
      return held.arrival(1).compose(message -> {
        message.reply(outcome(message.body(), "answered"));
        return first;
      }).map(answer -> {
        room.add(dispatcher.hasRoom());
        return room;
      });
    })).onComplete(ctx.succeeding(room -> ctx.verify(() -> {
      assertEquals(List.of(true, true, false, true), room);
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void anyOtherFailureOfTheFetchersFailsTheTryAsItIs(VertxTestContext ctx) {
    fetchers(message -> message.fail(500, "the fetcher broke"))
      .compose(v -> onLoop(() -> dispatcher.fetch(REQUEST)))
      .onComplete(ctx.failing(error -> ctx.verify(() -> {
        ReplyException failure = (ReplyException) error;
        assertEquals(List.of(500, "the fetcher broke", 0L), List.of(failure.failureCode(), failure.getMessage(),
          dispatcher.resent()));
        ctx.completeNow();
      })));
  }

  // ---- refusals --------------------------------------------------------------------------------

  @Test
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void aTryRefusedAsDrainingByTheOnlyNodeFailsAsRefusedByEveryNode(VertxTestContext ctx) {
    fetchers(message -> message.fail(ReplyCodes.FETCH_DRAINING, "the fetchers of node-a are stopping"))
      .compose(v -> onLoop(() -> dispatcher.fetch(REQUEST)))
      .onComplete(ctx.failing(error -> ctx.verify(() -> {
        assertEquals("every node refused this try (stopping or gone): [node-a]", error.getMessage());
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void aRefusedTryIsNotSentAgainToTheNodeThatRefusedItNorCountedAsResentNorInFlight(VertxTestContext ctx) {
    List<FetchRequest> asked = new ArrayList<>();
    fetchers(message -> {
      asked.add(message.body());
      message.fail(ReplyCodes.FETCH_DRAINING, "the fetchers of node-a are stopping");
    }).compose(v -> onLoop(() -> dispatcher.fetch(REQUEST)
        .transform(failed -> Future.succeededFuture(List.of(asked.size(), dispatcher.resent(), dispatcher.inFlight())))))
      .onComplete(ctx.succeeding(counts -> ctx.verify(() -> {
        assertEquals(List.of(1, 0L, 0), counts);
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void aNodeWithNoFetcherListeningRefusesTheTry(VertxTestContext ctx) {
    onLoop(() -> dispatcher.fetch(REQUEST)).onComplete(ctx.failing(error -> ctx.verify(() -> {
      assertEquals("every node refused this try (stopping or gone): [node-a]", error.getMessage());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void aTryAbandonedHalfWayByTheOnlyNodeIsCountedAsResentThenFailsAsRefusedByEveryNode(VertxTestContext ctx) {
    fetchers(message -> message.fail(ReplyCodes.FETCH_ABANDONED, "the fetcher of node-a was undeployed"))
      .compose(v -> onLoop(() -> dispatcher.fetch(REQUEST)
        .transform(failed -> Future.succeededFuture(List.of(failed.cause().getMessage(), resent, dispatcher.resent())))))
      .onComplete(ctx.succeeding(seen -> ctx.verify(() -> {
        assertEquals(List.of("every node refused this try (stopping or gone): [node-a]", List.of(REQUEST), 1L), seen);
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void whileTheOnlyNodeDrainsItsOwnTriesStillGoToIt(VertxTestContext ctx) {
    fetchers(message -> message.reply(outcome(message.body(), "answered while draining")))
      .compose(v -> onLoop(() -> {
        members.drain();
        return dispatcher.fetch(REQUEST);
      }))
      .onComplete(ctx.succeeding(answer -> ctx.verify(() -> {
        assertEquals("answered while draining", answer.errorMessage());
        ctx.completeNow();
      })));
  }

  // ---- lost nodes ------------------------------------------------------------------------------

  @Test
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void aTryOfALostNodeIsSentAgainAndOnlyTheAnswerToTheNewSendCounts(VertxTestContext ctx) {
    HeldFetchers held = new HeldFetchers();
    fetchers(held).compose(v -> onLoop(() -> {
      Future<FetchOutcome> answer = dispatcher.fetch(REQUEST);
      return held.arrival(1)
        .compose(firstSend -> {
          dispatcher.nodeLost(NODE);
          return held.arrival(2).map(secondSend -> {
            firstSend.reply(outcome(firstSend.body(), "answered by send 1, late"));
            secondSend.reply(outcome(secondSend.body(), "answered by send 2"));
            return secondSend;
          });
        })
        .compose(sent -> answer)
        .map(outcome -> List.of(outcome.errorMessage(), resent, dispatcher.resent()));
    })).onComplete(ctx.succeeding(seen -> ctx.verify(() -> {
      assertEquals(List.of("answered by send 2", List.of(REQUEST), 1L), seen);
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void aTryOfALostNodeWhoseJobHasEndedFailsAndIsNotSentAgain(VertxTestContext ctx) {
    HeldFetchers held = new HeldFetchers();
    fetchers(held).compose(v -> onLoop(() -> {
      Future<FetchOutcome> answer = dispatcher.fetch(REQUEST);
      return held.arrival(1).compose(firstSend -> {
        stillWanted = false;
        dispatcher.nodeLost(NODE);
        return answer.transform(failed -> Future.succeededFuture(
          List.of(failed.cause().getMessage(), dispatcher.resent(), dispatcher.inFlight())));
      });
    })).onComplete(ctx.succeeding(seen -> ctx.verify(() -> {
      assertEquals(List.of("node node-a was lost; the try's job has ended, so it is not fetched again", 0L, 0), seen);
      ctx.completeNow();
    })));
  }
}
