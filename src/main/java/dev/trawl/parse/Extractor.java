package dev.trawl.parse;

import dev.trawl.error.ErrorKind;
import dev.trawl.error.Messages;
import dev.trawl.error.TrawlFailure;
import io.netty.buffer.Unpooled;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;
import org.jsoup.parser.StreamParser;
import org.jsoup.select.Elements;
import org.jsoup.select.Evaluator;
import org.jsoup.select.Selector;

import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Pure extraction: body bytes and a base URI in, a {@link ParsedPage} out. No I/O and no Vert.x
 * runtime, so it runs on a worker thread or in a plain unit test alike.
 */
public final class Extractor {

  /** A crawl's default {@code follow.links}, read by {@link AnchorScan} rather than a whole document. */
  private static final String ANCHORS = "a[href]";
  private static final Set<String> LINK_ATTRS = Set.of("href", "src", "action", "srcset", "poster", "data", "cite");
  private static final ThreadLocal<Map<String, Evaluator>> EVALUATORS = ThreadLocal.withInitial(HashMap::new);
  private static final Map<String, JsonPointer> POINTERS = new ConcurrentHashMap<>();

  private Extractor() {
  }

  /**
   * Parses {@code body} as {@code spec.as()} resolved against {@code contentType}.
   *
   * @throws TrawlFailure with kind {@code content_type} or {@code parse}
   */
  public static ParsedPage extract(ParseSpec spec, byte[] body, String contentType, String baseUri, boolean keepText) {
    return extract(spec, body, contentType, baseUri, keepText, null);
  }

  /**
   * As {@link #extract(ParseSpec, byte[], String, String, boolean)}, and for a crawl also the
   * targets of the elements {@code followSelector} selects (HTML pages only).
   */
  public static ParsedPage extract(ParseSpec spec, byte[] body, String contentType, String baseUri, boolean keepText,
                                   String followSelector) {
    ParseAs as = spec.as().resolve(contentType);
    if (followSelector != null && ParseAs.AUTO.resolve(contentType) == ParseAs.HTML) {
      as = ParseAs.HTML; // a crawl reads every HTML page for its links, whatever parse.as says
    }
    return switch (as) {
      case HTML -> html(spec, body, contentType, baseUri, keepText, followSelector);
      case JSON -> json(spec, body, contentType, keepText);
      case TEXT -> text(body, contentType);
      case NONE, AUTO -> keepText ? new ParsedPage(null, null, decode(body, contentType), List.of()) : ParsedPage.EMPTY;
    };
  }

  private static ParsedPage html(ParseSpec spec, byte[] body, String contentType, String baseUri, boolean keepText,
                                 String followSelector) {
    Charset charset = Charsets.ofHtml(body, contentType);
    int bom = Charsets.bomLength(body);
    // Decoded as it is read, straight into the parser's buffer: no String of the whole page is made,
    // and for first matches the part of the page after the last of them is never decoded at all.
    Reader html = new InputStreamReader(new ByteArrayInputStream(body, bom, body.length - bom), charset);
    if (firstMatchesSuffice(spec, keepText, followSelector)) {
      return new ParsedPage(spec.as() == ParseAs.NONE ? null : firstMatches(spec, html, baseUri), null, null, List.of());
    }
    if (ANCHORS.equals(followSelector) && firstMatchesSuffice(spec, keepText, null)) {
      return crawledPage(spec, body, bom, charset, baseUri);
    }
    Document doc = Parser.htmlParser().parseInput(html, baseUri);
    JsonObject data = new JsonObject();
    if (spec.fields().isEmpty()) {
      data.put("title", doc.title());
    }
    XPaths.Page xpaths = spec.usesXPath() ? XPaths.page(doc) : null;
    for (FieldSelector field : spec.fields()) {
      data.put(field.name(), field.xpath() == null ? select(doc, field) : select(xpaths, field));
    }
    JsonArray links = spec.links() ? links(doc) : null;
    List<String> found = followSelector == null ? List.of() : targets(doc, followSelector);
    boolean wantedData = spec.as() != ParseAs.NONE;
    return new ParsedPage(wantedData ? data : null, links, keepText ? doc.outerHtml() : null, found);
  }

  /**
   * A page of a crawl that follows {@code a[href]} and wants first matches: the links from one
   * scan of the page's text ({@link AnchorScan}), the fields from a parse that stops at the last
   * of them. No document of the whole page is built.
   */
  private static ParsedPage crawledPage(ParseSpec spec, byte[] body, int bom, Charset charset, String baseUri) {
    String text = new String(body, bom, body.length - bom, charset);
    AnchorScan.Found anchors = AnchorScan.scan(text);
    String base = baseUri;
    if (anchors.base() != null) {
      String declared = Links.resolve(baseUri, anchors.base().strip());
      base = declared == null ? baseUri : declared;
    }
    List<String> found = new ArrayList<>(anchors.hrefs().size());
    for (String href : anchors.hrefs()) {
      String url = Links.resolve(base, href);
      if (url != null) {
        found.add(url);
      }
    }
    JsonObject data = spec.as() == ParseAs.NONE ? null : firstMatches(spec, new StringReader(text), base);
    return new ParsedPage(data, null, null, found);
  }

  /**
   * Absolute {@code href} (else {@code src}) of every element the selector picks, each once. Pages
   * repeat their links, so the raw values are deduplicated before any is resolved, and the common
   * forms are resolved by {@link Links#resolve} without building URL objects.
   */
  private static List<String> targets(Document doc, String selector) {
    Set<String> raw = new LinkedHashSet<>();
    for (Element element : doc.select(evaluator(selector))) {
      String value = element.hasAttr("href") ? element.attr("href") : element.attr("src");
      if (!value.isBlank()) {
        raw.add(value);
      }
    }
    String base = doc.baseUri();
    List<String> found = new ArrayList<>(raw.size());
    for (String value : raw) {
      String url = Links.resolve(base, value);
      if (url != null) {
        found.add(url);
      }
    }
    return found;
  }

  /** Only first matches of CSS selectors are wanted: no arrays, no XPath, no links, no body, no crawl. */
  private static boolean firstMatchesSuffice(ParseSpec spec, boolean keepText, String followSelector) {
    return !keepText && followSelector == null && !spec.links()
      && spec.fields().stream().noneMatch(FieldSelector::needsWholeDocument);
  }

  /**
   * The first match of each field, parsing only as far into the page as the last of them: a
   * product page whose h1 and .price sit in its first 4 KB is not read to its 20 KB end. jsoup's
   * StreamParser hands over each element once it is complete, in the order they close. A match
   * counts only if no ancestor matches too: an ancestor starts earlier in the document, so it is
   * the first match, and it is taken when it closes.
   */
  private static JsonObject firstMatches(ParseSpec spec, Reader html, String baseUri) {
    List<FieldSelector> fields = spec.fields().isEmpty() ? List.of(FieldSelector.css("title", "title", null, false))
      : spec.fields();
    Evaluator[] evaluators = fields.stream().map(f -> evaluator(f.css())).toArray(Evaluator[]::new);
    Object[] values = new Object[fields.size()];
    boolean[] found = new boolean[fields.size()];
    int missing = fields.size();
    try (StreamParser parser = new StreamParser(Parser.htmlParser()).parse(html, baseUri)) {
      Iterator<Element> elements = parser.iterator();
      while (missing > 0 && elements.hasNext()) {
        Element element = elements.next();
        for (int i = 0; i < evaluators.length; i++) {
          if (!found[i] && element.is(evaluators[i]) && !hasMatchingAncestor(element, evaluators[i])) {
            values[i] = refined(fields.get(i), valueOf(element, fields.get(i).attr()));
            found[i] = true;
            missing--;
          }
        }
      }
      parser.stop();
    }
    JsonObject data = new JsonObject();
    for (int i = 0; i < fields.size(); i++) {
      data.put(fields.get(i).name(), values[i]);
    }
    return data;
  }

  /**
   * The compiled form of a CSS query, kept per thread: a job asks the same few queries of every
   * page, and compiling one costs about as much as matching it. Per thread, so no evaluator is
   * ever shared between two parses running at once (jsoup's structural evaluators memoise per
   * thread, in weak maps that die with each document).
   */
  private static Evaluator evaluator(String css) {
    return cached(EVALUATORS.get(), css, Selector::evaluatorOf);
  }

  /** From {@code cache}, else made and kept; a cache past 256 entries starts over (jobs ask few). */
  static <V> V cached(Map<String, V> cache, String key, Function<String, V> make) {
    V value = cache.get(key);
    if (value == null) {
      if (cache.size() >= 256) {
        cache.clear();
      }
      value = make.apply(key);
      cache.put(key, value);
    }
    return value;
  }

  private static boolean hasMatchingAncestor(Element element, Evaluator evaluator) {
    for (Element parent = element.parent(); parent != null; parent = parent.parent()) {
      if (parent.is(evaluator)) {
        return true;
      }
    }
    return false;
  }

  private static Object select(Document doc, FieldSelector field) {
    if (field.all()) {
      JsonArray values = new JsonArray();
      for (Element element : doc.select(evaluator(field.css()))) {
        addRefined(values, field, valueOf(element, field.attr()));
      }
      return values;
    }
    Element first = doc.selectFirst(evaluator(field.css()));
    return first == null ? null : refined(field, valueOf(first, field.attr()));
  }

  private static Object select(XPaths.Page page, FieldSelector field) {
    List<String> found = XPaths.values(page, field.xpath(), field.attr());
    if (!field.all()) {
      return found.isEmpty() ? null : refined(field, found.get(0));
    }
    JsonArray values = new JsonArray();
    found.forEach(value -> addRefined(values, field, value));
    return values;
  }

  /** {@code value} with the field's regex applied: the group asked for, or null when it does not match. */
  private static String refined(FieldSelector field, String value) {
    return field.regex() == null ? value : Regexes.apply(field.regex(), field.group(), value);
  }

  /** Adds {@code value} to an array field, unless the field's regex does not match it. */
  private static void addRefined(JsonArray values, FieldSelector field, String value) {
    String refined = refined(field, value);
    if (refined != null || field.regex() == null) {
      values.add(refined);
    }
  }

  /** An element's text, or its {@code attr}; link attributes are made absolute against the page. */
  static String valueOf(Element element, String attr) {
    if (attr == null) {
      return element.text();
    }
    if (LINK_ATTRS.contains(attr.toLowerCase(Locale.ROOT)) && element.hasAttr(attr)) {
      String absolute = element.absUrl(attr);
      return absolute.isEmpty() ? element.attr(attr) : absolute;
    }
    return element.hasAttr(attr) ? element.attr(attr) : null;
  }

  private static JsonArray links(Document doc) {
    Elements anchors = doc.select("a[href]");
    Set<String> seen = new LinkedHashSet<>();
    for (Element anchor : anchors) {
      String url = Links.normalize(anchor.absUrl("href"));
      if (url != null) {
        seen.add(url);
      }
    }
    return new JsonArray(new ArrayList<>(seen));
  }

  private static ParsedPage json(ParseSpec spec, byte[] body, String contentType, boolean keepText) {
    String mime = ParseAs.mimeOf(contentType);
    if (!ParseAs.isJson(mime)) {
      throw new TrawlFailure(ErrorKind.CONTENT_TYPE, "expected JSON, the server sent " + (mime.isEmpty() ? "no Content-Type" : mime));
    }
    Object root;
    try {
      root = Json.decodeValue(BufferInternal.buffer(Unpooled.wrappedBuffer(body))); // wraps, no copy
    } catch (DecodeException e) {
      throw new TrawlFailure(ErrorKind.PARSE, "invalid JSON: " + Messages.brief(e.getMessage()));
    }
    JsonObject data;
    if (spec.json().isEmpty()) {
      data = root instanceof JsonObject obj ? obj : new JsonObject().put("value", root);
    } else {
      data = new JsonObject();
      spec.json().forEach((name, query) -> data.put(name, query(query, root)));
    }
    return new ParsedPage(data, null, keepText ? new String(body, StandardCharsets.UTF_8) : null, List.of());
  }

  private static Object query(JsonQuery query, Object root) {
    return switch (query.syntax()) {
      case POINTER -> pointer(query.expression()).queryJson(root);
      case JSONPATH -> JsonPaths.read(query.expression(), root);
    };
  }

  /** A parsed JSON pointer, shared by every thread: it is only ever queried, never appended to. */
  private static JsonPointer pointer(String text) {
    return cached(POINTERS, text, JsonPointer::from);
  }

  private static ParsedPage text(byte[] body, String contentType) {
    return new ParsedPage(new JsonObject().put("text", decode(body, contentType)), null, null, List.of());
  }

  /** Text other than HTML: the header's charset, else UTF-8. */
  private static String decode(byte[] body, String contentType) {
    Charset declared = Charsets.fromContentType(contentType);
    return new String(body, declared == null ? StandardCharsets.UTF_8 : declared);
  }

}
