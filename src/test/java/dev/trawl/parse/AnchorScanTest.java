package dev.trawl.parse;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link AnchorScan} finds what jsoup's {@code a[href]} selects, on tricky pages and on random markup. */
class AnchorScanTest {

  private static final String PAGE = "http://shop.test/dir/page.html";

  @ParameterizedTest
  @ValueSource(strings = {
    "<a href=/x>x</a><a href='/y'>y</a><a href=\"/z\">z</a>",
    "<A HREF=\"/upper\">u</A><a\nhref\n=\n\"/spaced\">s</a><a/href=\"/slash\">",
    "<a href=\"/a?x=1&amp;y=2\">e</a><a href=\"/b&copy;\">c</a><a href=\"/c&#x41;&#66;\">n</a><a href='/d&notin;'>",
    "<a href=\"/first\" href=\"/second\">dup</a><a data-href=\"/no\">no</a><a href>empty</a><a href=\"  \">blank</a>",
    "<!-- <a href=\"/commented\"> --><a href=\"/after-comment\"><!--><a href=\"/after-empty\"><!---><a href=/e2>",
    "<script>var s = '<a href=\"/in-script\">';</script><a href=\"/after-script\">",
    "<script>if (a</script> && b) {}</script><a href=/x>",
    "<style>a[href=\"/in-style\"]{}</style><textarea><a href=\"/in-textarea\"></textarea><title><a href=/t></title>",
    "<xmp><a href=/xmp></xmp><noembed><a href=/ne></noembed><noframes><a href=/nf></noframes><iframe><a href=/if></iframe><a href=/ok>",
    "<noscript><a href=\"/in-noscript\">n</a></noscript><template><a href=\"/in-template\"></template>",
    "<svg><a href=\"/svg-a\"></a></svg><math><a href=\"/math-a\"></a></math>",
    "<base href=\"/base/\"><a href=\"rel\">r</a><base href=\"/other/\"><a href=\"../up\">",
    "<base href><base href=\"http://other.test/b/\"><a href=\"rel\">",
    "<a href=\"/unclosed",
    "<a href=/x<a href=/y>",
    "<p>1 < 2 and <a href=\"/after-lt\"> <3 </p><a href=\"/q\"title=x>",
    "<!DOCTYPE html><?xml version=\"1.0\"?><a href=/pi>",
    "</a href=\"/end-tag\"><a href=/real></p foo='>'><a href=/after-endtag-attr>",
    "<plaintext><a href=\"/in-plaintext\">",
    "<a href=\"javascript:void(0)\">js</a><a href=\"mailto:x@y\">m</a><a href=\"#frag\">f</a><a href=\"//cdn.test/p\">p</a>",
    "<a\thref=\"/tab\"><a href = '/spaces' ><a href=\"/é\"><a href=\"/a b\">",
    "<div><a href=\"/nested\"><span><a href=\"/inner\"></a></span></a></div>",
    "<table><a href=\"/in-table\"><tr><td><a href=\"/in-cell\"></td></tr></table>",
    "<ScRiPt>document.write('<a href=/dw>')</sCrIpT ><a href=/after>",
    "<a href='/single\"quote'><a href=\"/double'quote\"><a href=/un\"quoted>",
    "<div class=\"x\"<a href=\"/after-unclosed-tag\">x</a></div><p <a href=/p2><p<a href=/p3>",
    "<![CDATA[ x > <a href=/in-cdata> ]]><a href=/after-cdata>",
    "<!-- a -- b --!><a href=/after-bang-comment>",
  })
  void findsWhatJsoupSelects(String html) {
    assertSame(html);
  }

  @Test
  void findsWhatJsoupSelectsOnRandomMarkup() {
    String[] pieces = {"<a href=\"/p", "\">", "<a href=", "/q", " ", "'", "\"", "<!--", "-->", "<script>", "</script>",
      "<style>", "</style>", "<base href=\"/b/\">", "<div>", "</div>", "text", "&amp;", "<", ">", "/", "=", "<title>",
      "</title>", "<textarea>", "</textarea>", "<A HREF=", "x", "<p class=\"a\">", "</a>", "<!DOCTYPE html>", "\n",
      "<![CDATA[", "]]>", "--!>", "<p <a href=/r>"};
    Random random = new Random(42);
    for (int round = 0; round < 5_000; round++) {
      StringBuilder html = new StringBuilder();
      int n = 1 + random.nextInt(30);
      for (int i = 0; i < n; i++) {
        html.append(pieces[random.nextInt(pieces.length)]);
        if (random.nextInt(4) == 0) {
          html.append(random.nextInt(100));
        }
      }
      assertSame(html.toString());
    }
  }

  /** A page of a million comments is read in one pass (each comment used to search the rest of the page for "--!>"). */
  @Test
  @org.junit.jupiter.api.Timeout(value = 10, unit = java.util.concurrent.TimeUnit.SECONDS)
  void aPageOfCommentsIsReadInOnePass() {
    String html = "<!---->".repeat(1_000_000) + "<!-- - -- -><a href=/last>" + "<!-- never closed -";
    assertEquals(List.of(), AnchorScan.scan(html).hrefs());
    assertEquals(List.of("/last"), AnchorScan.scan("<!---->".repeat(1_000_000) + "<a href=/last>").hrefs());
  }

  private static void assertSame(String html) {
    Document doc = Jsoup.parse(html, PAGE);
    Set<String> expected = new LinkedHashSet<>();
    for (Element anchor : doc.select("a[href]")) {
      String href = anchor.attr("href");
      if (!href.isBlank()) {
        String url = Links.resolve(doc.baseUri(), href);
        if (url != null) {
          expected.add(url);
        }
      }
    }
    AnchorScan.Found found = AnchorScan.scan(html);
    String base = found.base() == null ? PAGE : Links.resolve(PAGE, found.base().strip());
    List<String> actual = new ArrayList<>();
    for (String href : found.hrefs()) {
      String url = Links.resolve(base == null ? PAGE : base, href);
      if (url != null && !actual.contains(url)) {
        actual.add(url);
      }
    }
    // as sets: the tree builder may move an element (foster parenting in tables), never drop one
    assertEquals(new TreeSet<>(expected), new TreeSet<>(actual), html);
  }
}
