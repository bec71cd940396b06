package dev.trawl.parse;

import java.util.Locale;

/** How a body is parsed ({@code parse.as}). */
public enum ParseAs {
  AUTO, TEXT, JSON, HTML, NONE;

  public static ParseAs of(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** What {@code auto} becomes for a response of this Content-Type. */
  public ParseAs resolve(String contentType) {
    if (this != AUTO) {
      return this;
    }
    String mime = mimeOf(contentType);
    if (mime.equals("text/html") || mime.equals("application/xhtml+xml")) {
      return HTML;
    }
    if (isJson(mime)) {
      return JSON;
    }
    if (mime.startsWith("text/")) {
      return TEXT;
    }
    return NONE;
  }

  public static boolean isJson(String mime) {
    return mime.equals("application/json") || mime.endsWith("+json");
  }

  /** {@code "Text/HTML; charset=utf-8"} → {@code "text/html"}; null → empty. */
  public static String mimeOf(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    String mime = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return mime.trim().toLowerCase(Locale.ROOT);
  }
}
