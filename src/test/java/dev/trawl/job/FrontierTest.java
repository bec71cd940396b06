package dev.trawl.job;

import dev.trawl.support.TestVertx;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertIterableEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A crawl's FIFO queue that keeps {@link Frontier#IN_MEMORY} entries in memory and spills the rest
 * to a file. It is confined to an event loop, so every test drives it from one context and waits
 * on its completion signals ({@code onReady}, {@code onError}, the future of {@code close}).
 */
@ExtendWith(VertxExtension.class)
class FrontierTest {

  @TempDir
  Path dir;
  private TestVertx testVertx;
  private Vertx vertx;
  private Context context;
  private String spillPath;

  @BeforeEach
  void up() {
    testVertx = new TestVertx();
    vertx = testVertx.vertx();
    context = vertx.getOrCreateContext();
    spillPath = dir.resolve("job.frontier").toString();
  }

  @AfterEach
  void down() {
    List<String> blocked = testVertx.blockedWarnings();
    testVertx.close();
    assertEquals(List.of(), blocked, "an event loop was blocked");
  }

  /** {@code count} crawl-shaped entries, {@code index \t depth \t url}, numbered from {@code from}. */
  private static List<String> entries(int from, int count) {
    List<String> entries = new ArrayList<>(count);
    for (int i = from; i < from + count; i++) {
      entries.add(i + "\t1\thttps://example.test/some/fairly/long/path/to/page/" + i);
    }
    return entries;
  }

  private static void pollTimes(Frontier frontier, int times) {
    for (int i = 0; i < times; i++) {
      frontier.poll();
    }
  }

  /**
   * Adds {@code entries} 1,000 at a time, one event-loop turn each (as pages' links arrive), then runs
   * {@code then}.
   */
  private void addInTurns(Frontier frontier, List<String> entries, Runnable then) {
    if (entries.isEmpty()) {
      then.run();
      return;
    }
    int batch = Math.min(1_000, entries.size());
    frontier.addAll(entries.subList(0, batch));
    context.runOnContext(v -> addInTurns(frontier, entries.subList(batch, entries.size()), then));
  }

  /**
   * Polls on the frontier's context until it is empty, polling again whenever {@code onReady} fires.
   * {@link #nextTurn} polls on the event loop's next turn after {@code onReady}; {@link #insideOnReady}
   * polls inside it, as the coordinator's pump does.
   */
  private static final class Drain {
    private final Frontier frontier;
    private final List<String> polled = new ArrayList<>();
    private final Promise<List<String>> done = Promise.promise();

    private Drain(Frontier frontier, Executor pollsOnReady) {
      this.frontier = frontier;
      frontier.onReady(() -> pollsOnReady.execute(this::pollAvailable));
      frontier.onError(() -> done.tryFail("the spill file failed"));
    }

    static Drain nextTurn(Frontier frontier) {
      Context context = Vertx.currentContext();
      return new Drain(frontier, command -> context.runOnContext(v -> command.run()));
    }

    static Drain insideOnReady(Frontier frontier) {
      return new Drain(frontier, Runnable::run);
    }

    Future<List<String>> run() {
      pollAvailable();
      return done.future();
    }

    private void pollAvailable() {
      for (String entry = frontier.poll(); entry != null; entry = frontier.poll()) {
        polled.add(entry);
      }
      if (frontier.isEmpty()) {
        done.tryComplete(polled);
      }
    }
  }

  @Test
  void aNewFrontierIsEmpty() {
    assertTrue(new Frontier(vertx, spillPath).isEmpty());
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void aFrontierWithAnEntryIsNotEmpty(VertxTestContext ctx) {
    context.runOnContext(v -> ctx.verify(() -> {
      Frontier frontier = new Frontier(vertx, spillPath);
      frontier.addAll(List.of("0\t1\thttps://example.test/"));
      assertFalse(frontier.isEmpty());
      ctx.completeNow();
    }));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void entriesThatFitInMemoryComeBackInOrder(VertxTestContext ctx) {
    context.runOnContext(v -> {
      Frontier frontier = new Frontier(vertx, spillPath);
      frontier.addAll(List.of("a", "b", "c"));
      Drain.nextTurn(frontier).run().onComplete(ctx.succeeding(polled -> ctx.verify(() -> {
        assertEquals(List.of("a", "b", "c"), polled);
        ctx.completeNow();
      })));
    });
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void entriesThatFitInMemoryWriteNoSpillFile(VertxTestContext ctx) {
    context.runOnContext(v -> {
      Frontier frontier = new Frontier(vertx, spillPath);
      frontier.addAll(entries(0, Frontier.IN_MEMORY));
      vertx.fileSystem().exists(spillPath).onComplete(ctx.succeeding(exists -> ctx.verify(() -> {
        assertFalse(exists);
        ctx.completeNow();
      })));
    });
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void entriesComeBackInOrderAcrossTheSpill(VertxTestContext ctx) {
    List<String> added = entries(0, Frontier.IN_MEMORY + 3_000);
    context.runOnContext(v -> {
      Frontier frontier = new Frontier(vertx, spillPath);
      frontier.addAll(added);
      Drain.nextTurn(frontier).run().onComplete(ctx.succeeding(polled -> ctx.verify(() -> {
        assertIterableEquals(added, polled);
        ctx.completeNow();
      })));
    });
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void entriesAddedInManyBatchesComeBackInOrderAcrossChunkedReads(VertxTestContext ctx) {
    // ~24,000 spilled lines of ~60 bytes: well over one 256 KiB read, so lines straddle reads
    List<String> added = entries(0, 32_000);
    context.runOnContext(v -> {
      Frontier frontier = new Frontier(vertx, spillPath);
      for (int from = 0; from < added.size(); from += 1_000) {
        frontier.addAll(added.subList(from, from + 1_000));
      }
      Drain.nextTurn(frontier).run().onComplete(ctx.succeeding(polled -> ctx.verify(() -> {
        assertIterableEquals(added, polled);
        ctx.completeNow();
      })));
    });
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void entriesAddedWhilePollingComeBackAfterThoseBefore(VertxTestContext ctx) {
    List<String> first = entries(0, Frontier.IN_MEMORY + 500);
    List<String> second = entries(Frontier.IN_MEMORY + 500, 500);
    List<String> all = entries(0, Frontier.IN_MEMORY + 1_000);
    context.runOnContext(v -> {
      Frontier frontier = new Frontier(vertx, spillPath);
      frontier.addAll(first);
      List<String> head = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        head.add(frontier.poll());
      }
      frontier.addAll(second);
      Drain.nextTurn(frontier).run().onComplete(ctx.succeeding(rest -> ctx.verify(() -> {
        head.addAll(rest);
        assertIterableEquals(all, head);
        ctx.completeNow();
      })));
    });
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void entriesAddedInManyBatchesOnceTheSpillFileIsOpenComeBackInOrderAcrossChunkedReads(VertxTestContext ctx) {
    spillReadBackAndDrain(ctx, Drain::nextTurn);
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void aListenerPollingInsideOnReadyGetsEntriesInOrder(VertxTestContext ctx) {
    spillReadBackAndDrain(ctx, Drain::insideOnReady);
  }

  /**
   * Spills one entry, waits until it is read back, adds ~24,000 more in batches (well over one
   * 256 KiB read of ~60-byte lines, so lines straddle reads), then drains with {@code drain}:
   * everything comes back in the order it was added.
   */
  private void spillReadBackAndDrain(VertxTestContext ctx, Function<Frontier, Drain> drain) {
    List<String> all = entries(0, Frontier.IN_MEMORY + 1 + 24_000);
    context.runOnContext(v -> {
      Frontier frontier = new Frontier(vertx, spillPath);
      frontier.addAll(all.subList(0, Frontier.IN_MEMORY + 1));
      List<String> polled = new ArrayList<>();
      for (int i = 0; i < Frontier.IN_MEMORY; i++) {
        polled.add(frontier.poll());
      }
      frontier.onReady(() -> { // the spill file is open: its first line was read back
        frontier.onReady(() -> { });
        addInTurns(frontier, all.subList(Frontier.IN_MEMORY + 1, all.size()), () -> drain.apply(frontier).run()
          .onComplete(ctx.succeeding(rest -> ctx.verify(() -> {
            polled.addAll(rest);
            assertIterableEquals(all, polled);
            ctx.completeNow();
          }))));
      });
    });
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void aSecondSpillAfterTheFirstWasReadBackComesBackInOrder(VertxTestContext ctx) {
    List<String> first = entries(0, Frontier.IN_MEMORY + 100);
    List<String> second = entries(Frontier.IN_MEMORY + 100, Frontier.IN_MEMORY + 100);
    context.runOnContext(v -> {
      Frontier frontier = new Frontier(vertx, spillPath);
      frontier.addAll(first);
      Drain.nextTurn(frontier).run()
        .compose(polledFirst -> {
          frontier.addAll(second);
          return Drain.nextTurn(frontier).run();
        })
        .onComplete(ctx.succeeding(polledSecond -> ctx.verify(() -> {
          assertIterableEquals(second, polledSecond);
          ctx.completeNow();
        })));
    });
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void theFrontierIsNotEmptyWhileEntriesWaitOnDisk(VertxTestContext ctx) {
    context.runOnContext(v -> ctx.verify(() -> {
      Frontier frontier = new Frontier(vertx, spillPath);
      frontier.addAll(entries(0, Frontier.IN_MEMORY + 1));
      pollTimes(frontier, Frontier.IN_MEMORY);
      assertFalse(frontier.isEmpty());
      ctx.completeNow();
    }));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void pollGivesNothingWhileTheNextEntryIsStillOnDisk(VertxTestContext ctx) {
    context.runOnContext(v -> ctx.verify(() -> {
      Frontier frontier = new Frontier(vertx, spillPath);
      frontier.addAll(entries(0, Frontier.IN_MEMORY + 1));
      pollTimes(frontier, Frontier.IN_MEMORY);
      assertNull(frontier.poll());
      ctx.completeNow();
    }));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void onReadyFiresWhenSpilledEntriesBecomeReadable(VertxTestContext ctx) {
    context.runOnContext(v -> {
      Frontier frontier = new Frontier(vertx, spillPath);
      List<String> added = new ArrayList<>(entries(0, Frontier.IN_MEMORY));
      added.addAll(List.of("spilled-0", "spilled-1"));
      frontier.addAll(added);
      pollTimes(frontier, Frontier.IN_MEMORY);
      frontier.onReady(() -> ctx.verify(() -> {
        assertEquals("spilled-0", frontier.poll());
        ctx.completeNow();
      }));
    });
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void theSpillFileHoldsTheOverflowOneEntryALine(VertxTestContext ctx) {
    context.runOnContext(v -> {
      Frontier frontier = new Frontier(vertx, spillPath);
      List<String> added = new ArrayList<>(entries(0, Frontier.IN_MEMORY));
      added.addAll(List.of("spilled-0", "spilled-1"));
      frontier.addAll(added);
      pollTimes(frontier, Frontier.IN_MEMORY);
      frontier.onReady(() -> vertx.fileSystem().readFile(spillPath)
        .onComplete(ctx.succeeding(content -> ctx.verify(() -> {
          assertEquals(Buffer.buffer("spilled-0\nspilled-1\n"), content);
          ctx.completeNow();
        }))));
    });
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void closeDeletesTheSpillFile(VertxTestContext ctx) {
    context.runOnContext(v -> {
      Frontier frontier = new Frontier(vertx, spillPath);
      frontier.addAll(entries(0, Frontier.IN_MEMORY + 10));
      Drain.nextTurn(frontier).run()
        .compose(polled -> frontier.close())
        .compose(closed -> vertx.fileSystem().exists(spillPath))
        .onComplete(ctx.succeeding(exists -> ctx.verify(() -> {
          assertFalse(exists);
          ctx.completeNow();
        })));
    });
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void closeDeletesTheSpillFileWithEntriesStillOnIt(VertxTestContext ctx) {
    context.runOnContext(v -> {
      Frontier frontier = new Frontier(vertx, spillPath);
      frontier.addAll(entries(0, Frontier.IN_MEMORY + 10));
      frontier.close()
        .compose(closed -> vertx.fileSystem().exists(spillPath))
        .onComplete(ctx.succeeding(exists -> ctx.verify(() -> {
          assertFalse(exists);
          ctx.completeNow();
        })));
    });
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void closeWithoutASpillSucceeds(VertxTestContext ctx) {
    context.runOnContext(v -> {
      Frontier frontier = new Frontier(vertx, spillPath);
      frontier.addAll(List.of("a"));
      frontier.close().onComplete(ctx.succeedingThenComplete());
    });
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void aSpillFileThatCannotBeOpenedIsReportedThroughOnError(VertxTestContext ctx) {
    String unopenable = dir.resolve("no-such-directory").resolve("job.frontier").toString();
    context.runOnContext(v -> {
      Frontier frontier = new Frontier(vertx, unopenable);
      frontier.onError(ctx::completeNow);
      frontier.addAll(entries(0, Frontier.IN_MEMORY + 1));
    });
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void closeSucceedsWhenTheSpillFileCouldNotBeOpened(VertxTestContext ctx) {
    String unopenable = dir.resolve("no-such-directory").resolve("job.frontier").toString();
    context.runOnContext(v -> {
      Frontier frontier = new Frontier(vertx, unopenable);
      frontier.addAll(entries(0, Frontier.IN_MEMORY + 1));
      frontier.close().onComplete(ctx.succeedingThenComplete());
    });
  }
}
