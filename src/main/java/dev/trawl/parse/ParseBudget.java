package dev.trawl.parse;

import dev.trawl.error.ErrorKind;
import dev.trawl.error.TrawlFailure;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;

/**
 * The heap the JVM lets its parses take at once: {@link #HEAP_SHARE} of {@code -Xmx}, shared by
 * every fetcher of the node (one per JVM, so one per node). A parse reserves what it may need, the
 * body's bytes times a factor per kind measured on the worst bodies (see {@link #estimate}); one
 * that does not fit waits, first come first served, in a queue of at most {@link #MAX_WAITING},
 * and one that could never fit ends as {@code too_large} with a message naming the budget. So
 * four 9 MiB JSON bombs under {@code -Xmx128m} are results, not an {@link OutOfMemoryError}.
 */
public final class ParseBudget {

  /** The share of the maximum heap that parses may hold at once; the rest is bodies, results, the rest of the node. */
  static final double HEAP_SHARE = 0.5;
  /** Parses waiting for room; more are refused as {@code too_large} at once. */
  static final int MAX_WAITING = 1024;
  /**
   * Heap per body byte, measured as the live heap a parse's tree holds (after GC) on the densest
   * bodies: 9 MiB of {@code [{},{},…]} holds 20.3 bytes per byte as Vert.x JSON (Jackson into
   * JsonObject/JsonArray), 9 MiB of {@code <p></p>} 5.0 bytes per byte as a jsoup DOM. Text is a
   * String: at most 2 bytes per byte (UTF-16).
   */
  static final int JSON_FACTOR = 21;
  static final int HTML_FACTOR = 6;
  static final int TEXT_FACTOR = 2;
  /**
   * Heap per body byte of the W3C DOM that XPath fields run on, held beside the jsoup DOM. Each
   * node is a Xerces node and jsoup's source node as its user data (a map entry and a map per
   * node), so it is many times jsoup's: measured the same way, 9 MiB of {@code <p>x} holds 157.5
   * bytes per byte, {@code x<br>} 126.8, {@code <p></p>} 53.4.
   */
  static final int XPATH_FACTOR = 160;

  private static final ParseBudget JVM = new ParseBudget((long) (Runtime.getRuntime().maxMemory() * HEAP_SHARE), MAX_WAITING);

  private final long capacity;
  private final int maxWaiting;
  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  private long reserved;

  ParseBudget(long capacity, int maxWaiting) {
    this.capacity = capacity;
    this.maxWaiting = maxWaiting;
  }

  /** The budget of this JVM. */
  public static ParseBudget jvm() {
    return JVM;
  }

  /** A reservation, given back once with {@link #release()} when the parse is over. */
  public final class Grant {
    private final long bytes;
    private boolean released;

    private Grant(long bytes) {
      this.bytes = bytes;
    }

    /** Gives the bytes back and lets the parses that now fit start; a second call does nothing. */
    public void release() {
      synchronized (ParseBudget.this) {
        if (released) {
          return;
        }
        released = true;
        reserved -= bytes;
        grantWaiting();
      }
    }
  }

  private record Waiter(long bytes, Context context, Promise<Grant> promise) {
  }

  /** The heap a parse of {@code bodyBytes} as {@code kind} may need at most, the text kept or not. */
  static long estimate(ParseAs kind, long bodyBytes, boolean keepText) {
    long factor = switch (kind) {
      case JSON -> JSON_FACTOR;
      case HTML -> HTML_FACTOR;
      case TEXT -> TEXT_FACTOR;
      case NONE, AUTO -> 0;
    };
    return bodyBytes * (factor + (keepText ? TEXT_FACTOR : 0));
  }

  /**
   * Room for {@code bytes}, granted on {@code context} at once or once other parses give theirs
   * back. Fails with {@code too_large} when {@code bytes} alone exceed the budget, or too many wait.
   */
  public synchronized Future<Grant> reserve(long bytes, String what, Context context) {
    if (bytes > capacity) {
      return Future.failedFuture(new TrawlFailure(ErrorKind.TOO_LARGE, "parsing " + what + " needs about "
        + mib(bytes) + " of heap, over the node's parse budget of " + mib(capacity)
        + " (half the maximum heap, -Xmx)"));
    }
    if (waiting.isEmpty() && reserved + bytes <= capacity) {
      reserved += bytes;
      return Future.succeededFuture(new Grant(bytes));
    }
    if (waiting.size() >= maxWaiting) {
      return Future.failedFuture(new TrawlFailure(ErrorKind.TOO_LARGE, "parsing " + what + ": " + maxWaiting
        + " parses already wait for the node's parse budget of " + mib(capacity)));
    }
    Promise<Grant> promise = Promise.promise();
    waiting.add(new Waiter(bytes, context, promise));
    return promise.future();
  }

  private void grantWaiting() {
    while (!waiting.isEmpty() && reserved + waiting.peek().bytes() <= capacity) {
      Waiter next = waiting.poll();
      reserved += next.bytes();
      Grant grant = new Grant(next.bytes());
      next.context().runOnContext(v -> next.promise().complete(grant));
    }
  }

  /** What XPath fields add to {@link #estimate}: the page again, as a W3C DOM. */
  static long estimateXPath(long bodyBytes) {
    return bodyBytes * XPATH_FACTOR;
  }

  /** Bytes reserved now (for tests and metrics). */
  synchronized long reserved() {
    return reserved;
  }

  long capacity() {
    return capacity;
  }

  private static String mib(long bytes) {
    return bytes < 1 << 20 ? bytes + " bytes" : String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
