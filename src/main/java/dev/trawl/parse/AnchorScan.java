package dev.trawl.parse;

import org.jsoup.parser.Parser;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code href} of every {@code <a>} of an HTML page, and its {@code <base href>}, in one pass
 * over its text without building a document: what a crawl's default {@code follow.links}
 * ({@code a[href]}) selects, at a fraction of a full parse's cost (the tree is most of it).
 *
 * <p>It reads the page the way the HTML tokenizer does where that decides what is a tag: comments,
 * doctypes and processing instructions are skipped; the text of {@code script}, {@code style} and
 * the other raw-text and escapable raw-text elements is skipped to its end tag; attributes are
 * read quoted, unquoted or bare, the first of a name wins, names are case-insensitive, and
 * character references in values are decoded by jsoup. {@code plaintext} ends the page. What it
 * does not model (a tree: {@code <template>} contents, foreign content, misnested markup) does not
 * change which start tags the tokenizer sees, so the set of anchors is jsoup's.
 */
public final class AnchorScan {

  /** Elements whose text is not markup: the tokenizer reads to their end tag. */
  private static final Set<String> RAW_TEXT = Set.of("script", "style", "textarea", "title", "xmp", "iframe",
    "noembed", "noframes");

  private final String html;
  private final int end;
  private int at;
  private String base;
  private final Set<String> hrefs = new LinkedHashSet<>();

  private AnchorScan(String html) {
    this.html = html;
    this.end = html.length();
  }

  /** What {@link #scan} found: each distinct non-blank {@code href} in page order, and the first {@code <base href>}. */
  public record Found(List<String> hrefs, String base) {
  }

  public static Found scan(String html) {
    AnchorScan scan = new AnchorScan(html);
    scan.run();
    return new Found(new ArrayList<>(scan.hrefs), scan.base);
  }

  private void run() {
    while (at < end) {
      int lt = html.indexOf('<', at);
      if (lt < 0 || lt + 1 >= end) {
        return;
      }
      at = lt + 1;
      char c = html.charAt(at);
      if (c == '!') {
        skipMarkupDeclaration();
      } else if (c == '?') {
        skipTo(">");
      } else if (c == '/') {
        at++;
        if (at < end && isAsciiLetter(html.charAt(at))) {
          readName();
          skipTag(); // an end tag's attributes are read and dropped
        } else if (at < end && html.charAt(at) == '>') {
          at++;
        } else {
          skipTo(">"); // a bogus comment
        }
      } else if (isAsciiLetter(c)) {
        if (!startTag()) {
          return;
        }
      }
    }
  }

  /** {@code <!--...-->}, {@code <!DOCTYPE ...>}, {@code <![CDATA[...]]>} (bogus outside foreign content). */
  private void skipMarkupDeclaration() {
    if (html.startsWith("!--", at)) {
      at += 3;
      // "<!-->" and "<!--->" are empty comments
      if (html.startsWith(">", at)) {
        at++;
        return;
      }
      if (html.startsWith("->", at)) {
        at += 2;
        return;
      }
      // the first "--" followed by ">" or "!>" ends it: one pass, whatever the page holds
      for (int dashes = html.indexOf("--", at); dashes >= 0; dashes = html.indexOf("--", dashes + 1)) {
        if (html.startsWith(">", dashes + 2)) {
          at = dashes + 3;
          return;
        }
        if (html.startsWith("!>", dashes + 2)) {
          at = dashes + 4;
          return;
        }
      }
      at = end;
      return;
    }
    skipTo(">");
  }

  /**
   * A start tag: its attributes; an anchor's href or a base's kept. False once the page's markup
   * ends: at {@code plaintext}, or inside the tag.
   */
  private boolean startTag() {
    String name = readName();
    String href = null;
    boolean wantsHref = name.equals("a") || (name.equals("base") && base == null);
    boolean closed = false;
    while (at < end) {
      skipWhitespaceAndSlashes();
      if (at >= end) {
        break;
      }
      if (html.charAt(at) == '>') {
        at++;
        closed = true;
        break;
      }
      String attr = readAttributeName();
      String value = readAttributeValue();
      if (wantsHref && href == null && attr.equals("href")) {
        href = value; // the first of a name wins
      }
    }
    if (!closed) {
      return false; // the page ends inside the tag: the tokenizer drops it
    }
    if (href != null) {
      String decoded = href.indexOf('&') < 0 ? href : Parser.unescapeEntities(href, true);
      if (name.equals("a")) {
        if (!decoded.isBlank()) {
          hrefs.add(decoded);
        }
      } else {
        base = decoded; // the first base with an href, even an empty one (the page's own address)
      }
    }
    if (name.equals("plaintext")) {
      return false;
    }
    if (RAW_TEXT.contains(name)) {
      skipRawText(name);
    }
    return true;
  }

  /** The tag name, lower-cased: letters up to whitespace, '/' or '>'. */
  private String readName() {
    int start = at;
    while (at < end) {
      char c = html.charAt(at);
      if (c == '>' || c == '/' || isWhitespace(c)) {
        break;
      }
      at++;
    }
    return html.substring(start, at).toLowerCase(Locale.ROOT);
  }

  private String readAttributeName() {
    int start = at;
    at++; // the first character is part of the name, even '=' (the tokenizer's rule)
    while (at < end) {
      char c = html.charAt(at);
      if (c == '>' || c == '/' || c == '=' || isWhitespace(c)) {
        break;
      }
      at++;
    }
    return html.substring(start, at).toLowerCase(Locale.ROOT);
  }

  /** After a name: {@code = "v"}, {@code = 'v'}, {@code = v}, or nothing (an empty value). */
  private String readAttributeValue() {
    int save = at;
    skipWhitespace();
    if (at >= end || html.charAt(at) != '=') {
      at = save;
      return "";
    }
    at++;
    skipWhitespace();
    if (at >= end) {
      return "";
    }
    char quote = html.charAt(at);
    if (quote == '"' || quote == '\'') {
      int close = html.indexOf(quote, at + 1);
      String value = html.substring(at + 1, close < 0 ? end : close);
      at = close < 0 ? end : close + 1;
      return value;
    }
    int start = at;
    while (at < end) {
      char c = html.charAt(at);
      if (c == '>' || isWhitespace(c)) {
        break;
      }
      at++;
    }
    return html.substring(start, at);
  }

  /** The rest of a tag whose attributes are not wanted. */
  private void skipTag() {
    while (at < end) {
      skipWhitespaceAndSlashes();
      if (at >= end) {
        return;
      }
      if (html.charAt(at) == '>') {
        at++;
        return;
      }
      readAttributeName();
      readAttributeValue();
    }
  }

  /** To the end tag of a raw-text element: {@code </name} followed by whitespace, '/' or '>'. */
  private void skipRawText(String name) {
    while (at < end) {
      int lt = html.indexOf("</", at);
      if (lt < 0) {
        at = end;
        return;
      }
      int after = lt + 2 + name.length();
      if (html.regionMatches(true, lt + 2, name, 0, name.length()) && after < end
        && (html.charAt(after) == '>' || html.charAt(after) == '/' || isWhitespace(html.charAt(after)))) {
        at = lt + 2;
        readName();
        skipTag();
        return;
      }
      at = lt + 2;
    }
  }

  private void skipTo(String marker) {
    int found = html.indexOf(marker, at);
    at = found < 0 ? end : found + marker.length();
  }

  private void skipWhitespace() {
    while (at < end && isWhitespace(html.charAt(at))) {
      at++;
    }
  }

  private void skipWhitespaceAndSlashes() {
    while (at < end && (isWhitespace(html.charAt(at)) || html.charAt(at) == '/')) {
      at++;
    }
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
