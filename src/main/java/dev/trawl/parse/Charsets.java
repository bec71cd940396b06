package dev.trawl.parse;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which charset an HTML body is in, decided the way browsers do: the HTTP header's
 * {@code charset}, then a byte-order mark, then {@code <meta charset>} or {@code http-equiv} in
 * the first bytes, else the HTML default windows-1252 (ISO-8859-1 and US-ASCII are read as
 * windows-1252 too, as the WHATWG Encoding standard says). Pure: bytes in, a charset out.
 */
public final class Charsets {

  private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
  /** How far into the body a meta declaration is looked for (the HTML prescan looks at 1024). */
  private static final int PRESCAN_BYTES = 4096;
  private static final Pattern META_CHARSET = Pattern.compile(
    "<meta[^>]+charset\\s*=\\s*[\"']?\\s*([A-Za-z0-9._:\\-]+)", Pattern.CASE_INSENSITIVE);

  private Charsets() {
  }

  /** The charset of an HTML body; {@code contentType} may be null. */
  public static Charset ofHtml(byte[] body, String contentType) {
    Charset declared = fromContentType(contentType);
    if (declared != null) {
      return declared;
    }
    Charset bom = fromBom(body);
    if (bom != null) {
      return bom;
    }
    Charset meta = fromMeta(body);
    return meta != null ? meta : WINDOWS_1252;
  }

  /** Length of the byte-order mark at the start of {@code body}, 0 when none. */
  public static int bomLength(byte[] body) {
    if (startsWith(body, 0xEF, 0xBB, 0xBF)) {
      return 3;
    }
    return startsWith(body, 0xFE, 0xFF) || startsWith(body, 0xFF, 0xFE) ? 2 : 0;
  }

  /** The {@code charset} parameter of a Content-Type, when Java knows it; else null. */
  public static Charset fromContentType(String contentType) {
    if (contentType == null) {
      return null;
    }
    for (String param : contentType.split(";")) {
      String p = param.trim();
      if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
        return named(p.substring(8).trim().replace("\"", "").replace("'", ""));
      }
    }
    return null;
  }

  private static Charset fromBom(byte[] body) {
    if (startsWith(body, 0xEF, 0xBB, 0xBF)) {
      return StandardCharsets.UTF_8;
    }
    if (startsWith(body, 0xFE, 0xFF)) {
      return StandardCharsets.UTF_16BE;
    }
    return startsWith(body, 0xFF, 0xFE) ? StandardCharsets.UTF_16LE : null;
  }

  private static Charset fromMeta(byte[] body) {
    // Declarations are ASCII, so reading the first bytes as Latin-1 finds them in any
    // ASCII-compatible charset (Shift_JIS, windows-1252, UTF-8 ...).
    String head = new String(body, 0, Math.min(body.length, PRESCAN_BYTES), StandardCharsets.ISO_8859_1);
    Matcher meta = META_CHARSET.matcher(head);
    while (meta.find()) {
      Charset charset = named(meta.group(1));
      if (charset != null) {
        // A page that says UTF-16 in a meta tag cannot be; the standard reads it as UTF-8.
        return charset.name().startsWith("UTF-16") ? StandardCharsets.UTF_8 : charset;
      }
    }
    return null;
  }

  private static Charset named(String name) {
    try {
      if (!Charset.isSupported(name)) {
        return null;
      }
      Charset charset = Charset.forName(name);
      boolean latin = charset.equals(StandardCharsets.ISO_8859_1) || charset.equals(StandardCharsets.US_ASCII);
      return latin ? WINDOWS_1252 : charset;
    } catch (IllegalCharsetNameException e) {
      return null;
    }
  }

  private static boolean startsWith(byte[] body, int... prefix) {
    if (body.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((body[i] & 0xff) != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
