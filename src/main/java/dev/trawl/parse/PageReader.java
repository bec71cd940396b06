package dev.trawl.parse;

import dev.trawl.error.ErrorKind;
import dev.trawl.error.ErrorKinds;
import dev.trawl.error.TrawlFailure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Reads fetched bodies for a fetcher: pages through {@link Extractor}, with the links worth
 * following picked by {@link Links}; sitemaps through {@link Sitemaps}; robots.txt as text. Small
 * pages are read in place; pages over {@code parse.offloadBytes}, and every sitemap, on a worker
 * thread, never on the event loop, each within the node's {@link ParseBudget} of heap; so do pages
 * read with a job's XPath or JSONPath, whose cost is the job's expression's, not the page's size. One per
 * fetch verticle, used on its event loop.
 */
public final class PageReader {

  private static final Future<ParsedPage> NOTHING_WANTED = Future.succeededFuture(ParsedPage.EMPTY);

  private final Vertx vertx;
  private final int offloadBytes;
  private final ParseBudget budget;

  /** @param offloadBytes pages larger than this are parsed on a worker thread, within the JVM's {@link ParseBudget} */
  public PageReader(Vertx vertx, int offloadBytes) {
    this(vertx, offloadBytes, ParseBudget.jvm());
  }

  PageReader(Vertx vertx, int offloadBytes, ParseBudget budget) {
    this.vertx = vertx;
    this.offloadBytes = offloadBytes;
    this.budget = budget;
  }

  /**
   * A page of a job at {@code url}: what {@code parse} extracts, its text when {@code keepText},
   * and, for a crawl ({@code follow} not null), the links to follow, normalised and filtered.
   * Fails with a {@link TrawlFailure} of kind {@code content_type} or {@code parse}, or
   * {@code too_large} when its parse could never fit the {@link ParseBudget}.
   */
  public Future<ParsedPage> page(ParseSpec parse, FollowSpec follow, boolean keepText,
                                 byte[] body, String contentType, String url) {
    if (parse.as() == ParseAs.NONE && !keepText && follow == null) {
      return NOTHING_WANTED;
    }
    String followSelector = follow == null ? null : follow.links();
    Links links = follow == null ? null : Links.of(follow);
    // Normalising the links of a big page is work too: it goes wherever the parsing goes.
    Callable<ParsedPage> work = () -> {
      ParsedPage parsed = Extractor.extract(parse, body, contentType, url, keepText, followSelector);
      return links == null ? parsed : parsed.withFound(links.follow(url, parsed.found()));
    };
    boolean onWorker = body.length > offloadBytes || parse.runsExpressions();
    return onWorker ? offload(work, parse, kindOf(parse, follow, contentType), keepText, body.length) : inPlace(work);
  }

  /**
   * On a worker, once the node's {@link ParseBudget} has room for what the parse may hold: a body
   * whose parse could never fit ends as {@code too_large}, the others wait their turn.
   */
  private Future<ParsedPage> offload(Callable<ParsedPage> work, ParseSpec parse, ParseAs kind, boolean keepText,
                                     int bodyBytes) {
    long need = ParseBudget.estimate(kind, bodyBytes, keepText);
    String what = "this " + bodyBytes + "-byte " + kind.wire() + " body";
    if (kind == ParseAs.HTML && parse.usesXPath()) {
      need += ParseBudget.estimateXPath(bodyBytes);
      what += " for XPath";
    }
    return budget.reserve(need, what, vertx.getOrCreateContext())
      .compose(grant -> vertx.executeBlocking(work, false).onComplete(done -> grant.release()));
  }

  /** What {@link Extractor} will parse the body as. */
  private static ParseAs kindOf(ParseSpec parse, FollowSpec follow, String contentType) {
    boolean htmlPage = ParseAs.AUTO.resolve(contentType) == ParseAs.HTML;
    return follow != null && htmlPage ? ParseAs.HTML : parse.as().resolve(contentType);
  }

  /**
   * A sitemap or sitemap index at {@code url} (XML, text, gzipped), its pages filtered as a crawl's
   * links when {@code follow} is given. Fails with a {@link TrawlFailure} of kind {@code parse}
   * when the body is no sitemap.
   */
  public Future<Sitemaps.Read> sitemap(FollowSpec follow, byte[] body, String contentType, String url) {
    Links links = follow == null ? null : Links.of(follow);
    return vertx.executeBlocking(() -> {
        Sitemaps.Read read = Sitemaps.read(contentType, body, url);
        return links == null ? read : new Sitemaps.Read(links.follow(url, read.pages()), read.sitemaps());
      }, false)
      .recover(error -> Future.failedFuture(
        new TrawlFailure(ErrorKind.PARSE, "not a sitemap: " + ErrorKinds.messageOf(error))));
  }

  /** A robots.txt as text (UTF-8); crawler-commons reads its rules where they are used. */
  public ParsedPage robots(byte[] body) {
    return new ParsedPage(null, null, new String(body, StandardCharsets.UTF_8), List.of());
  }

  private static <T> Future<T> inPlace(Callable<T> work) {
    try {
      return Future.succeededFuture(work.call());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }
}
