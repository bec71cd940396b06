package dev.trawl.parse;

import dev.trawl.config.Problems;
import dev.trawl.error.ErrorKind;
import dev.trawl.error.Messages;
import dev.trawl.error.TrawlFailure;
import org.jsoup.Jsoup;
import org.jsoup.helper.W3CDom;
import org.jsoup.nodes.Comment;
import org.jsoup.nodes.DataNode;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.TextNode;
import org.w3c.dom.Attr;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpression;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import javax.xml.xpath.XPathFactoryConfigurationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * XPath 1.0 fields, as jsoup's {@code selectXpath} runs them: the page converted to a W3C DOM
 * without namespaces (so {@code //h1} finds an HTML h1) and evaluated by the JDK's engine, here in
 * secure-processing mode (no extension functions, bounded expression size). Unlike
 * {@code selectXpath} it also reads attribute nodes ({@code //a/@href}), converts a page once for
 * all its XPath fields, and compiles each expression once per thread: neither the engine nor a
 * compiled expression may be shared between threads.
 */
final class XPaths {

  private static final ThreadLocal<XPaths> PER_THREAD = ThreadLocal.withInitial(XPaths::new);

  private final W3CDom w3c = new W3CDom().namespaceAware(false);
  private final XPath engine = newEngine();
  private final Map<String, XPathExpression> compiled = new HashMap<>();

  /** A page as a W3C DOM, made once for every XPath field of the page; used on one thread. */
  static final class Page {
    private final Node context;

    private Page(Node context) {
      this.context = context;
    }
  }

  private XPaths() {
  }

  private static XPath newEngine() {
    XPathFactory factory = XPathFactory.newDefaultInstance();
    try {
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    } catch (XPathFactoryConfigurationException e) {
      throw new IllegalStateException("the JDK's XPath engine refuses secure processing", e);
    }
    return factory.newXPath();
  }

  static Page page(Document doc) {
    W3CDom w3c = PER_THREAD.get().w3c;
    return new Page(w3c.contextNode(w3c.fromJsoup(doc)));
  }

  /**
   * Whether {@code xpath} compiles and selects nodes (it is run on an empty page: {@code count(//a)}
   * compiles but gives a number), else a problem at {@code path}.
   */
  static boolean check(String xpath, String path, Problems problems) {
    try {
      PER_THREAD.get().nodes(page(Jsoup.parse("")), xpath);
      return true;
    } catch (XPathExpressionException e) {
      problems.add(path, "invalid XPath (1.0, selecting nodes): " + messageOf(e));
      return false;
    }
  }

  /**
   * The value of each node {@code xpath} selects on {@code page}, in document order: an element's
   * text (or its {@code attr}, links made absolute), an attribute's value, a text node's text with
   * its whitespace normalised. Nodes without a value (blank text, an element without
   * {@code attr}) are left out.
   *
   * @throws TrawlFailure of kind {@code parse} should the expression fail on this page
   */
  static List<String> values(Page page, String xpath, String attr) {
    NodeList nodes;
    try {
      nodes = PER_THREAD.get().nodes(page, xpath);
    } catch (XPathExpressionException e) {
      throw new TrawlFailure(ErrorKind.PARSE, "XPath failed on this page: " + Messages.brief(messageOf(e)));
    }
    List<String> values = new ArrayList<>(nodes.getLength());
    for (int i = 0; i < nodes.getLength(); i++) {
      String value = valueOf(nodes.item(i), attr);
      if (value != null && !value.isEmpty()) {
        values.add(value);
      }
    }
    return values;
  }

  private NodeList nodes(Page page, String xpath) throws XPathExpressionException {
    XPathExpression expression = compiled.get(xpath);
    if (expression == null) {
      if (compiled.size() >= 256) {
        compiled.clear(); // jobs ask few; this bounds what many jobs leave behind
      }
      expression = engine.compile(xpath);
      compiled.put(xpath, expression);
    }
    return (NodeList) expression.evaluate(page.context, XPathConstants.NODESET);
  }

  private static String valueOf(Node node, String attr) {
    if (node instanceof Attr attribute) {
      Object owner = attribute.getOwnerElement() == null ? null
        : attribute.getOwnerElement().getUserData(W3CDom.SourceProperty);
      return owner instanceof Element element ? Extractor.valueOf(element, attribute.getName()) : attribute.getValue();
    }
    Object source = node.getUserData(W3CDom.SourceProperty);
    if (source instanceof Element element) {
      return Extractor.valueOf(element, attr);
    }
    if (source instanceof TextNode text) {
      return text.text().strip();
    }
    if (source instanceof DataNode data) { // the text of a script or style
      return data.getWholeData().strip();
    }
    return source instanceof Comment comment ? comment.getData().strip() : null;
  }

  /** The engine wraps its reason in exceptions whose messages repeat class names; the innermost says it plainly. */
  private static String messageOf(Throwable e) {
    String message = e.getMessage();
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null) {
        message = cause.getMessage();
      }
    }
    return message;
  }
}
