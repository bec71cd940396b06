package dev.trawl.fetch;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A gzip or deflate body decoded as it arrives, one window at a time, into a sink that may say
 * stop: nothing is inflated past what the sink keeps, so a bomb costs a window, not its size.
 * Netty's decoder, which the HTTP client would use, inflates each network chunk whole into direct
 * buffers before any size check sees it. No Vert.x here; one per response, on one thread.
 */
final class Inflation {

  /** A {@code Content-Encoding} Trawl decodes. */
  enum Coding { IDENTITY, GZIP, DEFLATE }

  /** Takes a piece of the decoded body; false means stop inflating (the body is refused). */
  interface Sink {
    boolean accept(byte[] bytes, int length);
  }

  private static final int WINDOW = 64 * 1024;
  /** A gzip header (optional name and comment included) longer than this is refused as corrupt. */
  private static final int MAX_HEADER = 64 * 1024;

  private final Coding coding;
  private final byte[] window = new byte[WINDOW];
  /** The bytes of a header seen so far (gzip's, or deflate's first two), until it is whole. */
  private ByteArrayOutputStream header = new ByteArrayOutputStream(16);
  private Inflater inflater;

  Inflation(Coding coding) {
    this.coding = coding;
  }

  /** The coding of a {@code Content-Encoding} header; null for one Trawl cannot decode ({@code br}, {@code gzip, gzip}). */
  static Coding codingOf(String contentEncoding) {
    if (contentEncoding == null) {
      return Coding.IDENTITY;
    }
    return switch (contentEncoding.trim().toLowerCase(Locale.ROOT)) {
      case "", "identity" -> Coding.IDENTITY;
      case "gzip", "x-gzip" -> Coding.GZIP;
      case "deflate", "x-deflate" -> Coding.DEFLATE;
      default -> null;
    };
  }

  /** Inflates {@code input} into {@code sink}; false when the sink said stop. */
  boolean feed(ByteBuffer input, Sink sink) throws DataFormatException {
    if (inflater == null) {
      input = headerDone(input);
      if (input == null) {
        return true;
      }
    }
    if (inflater.finished()) {
      return true; // the trailer, or bytes after the end: ignored, as Netty does
    }
    inflater.setInput(input);
    while (!inflater.finished()) {
      int n = inflater.inflate(window);
      if (n == 0) {
        if (inflater.needsDictionary()) {
          throw new DataFormatException("a preset dictionary is needed");
        }
        return true;
      }
      if (!sink.accept(window, n)) {
        return false;
      }
    }
    return true;
  }

  /** Frees the inflater's native memory at once (it would be freed on collection otherwise). */
  void close() {
    if (inflater != null) {
      inflater.end();
    }
  }

  /** Collects the header; once whole, starts the inflater and gives the compressed bytes after it, else null. */
  private ByteBuffer headerDone(ByteBuffer input) throws DataFormatException {
    byte[] bytes = new byte[input.remaining()];
    input.get(bytes);
    header.write(bytes, 0, bytes.length);
    byte[] seen = header.toByteArray();
    int start = coding == Coding.GZIP ? gzipHeaderLength(seen) : deflateStart(seen);
    if (start < 0) {
      if (seen.length > MAX_HEADER) {
        throw new DataFormatException("a header longer than " + MAX_HEADER + " bytes");
      }
      return null;
    }
    header = null;
    // deflate: a zlib stream (RFC 1950, as the RFC says) or raw deflate (as some servers send).
    inflater = new Inflater(coding == Coding.GZIP || start == 1);
    return ByteBuffer.wrap(seen, start == 1 ? 0 : start, seen.length - (start == 1 ? 0 : start));
  }

  /** 0 for a zlib stream, 1 for raw deflate, -1 while fewer than two bytes came. */
  private static int deflateStart(byte[] b) {
    if (b.length < 2) {
      return -1;
    }
    int cmf = b[0] & 0xff;
    return (cmf & 0x0f) == 8 && ((cmf << 8) | (b[1] & 0xff)) % 31 == 0 ? 0 : 1;
  }

  /** The length of the gzip header (RFC 1952) at the start of {@code b}, or -1 while it is not whole. */
  static int gzipHeaderLength(byte[] b) throws DataFormatException {
    if (b.length < 10) {
      return -1;
    }
    if ((b[0] & 0xff) != 0x1f || (b[1] & 0xff) != 0x8b || b[2] != 8) {
      throw new DataFormatException("not a gzip stream");
    }
    int flags = b[3] & 0xff;
    int at = 10;
    if ((flags & 4) != 0) { // FEXTRA
      at = b.length < at + 2 ? -1 : at + 2 + ((b[at] & 0xff) | (b[at + 1] & 0xff) << 8);
    }
    at = (flags & 8) != 0 ? afterZero(b, at) : at;   // FNAME
    at = (flags & 16) != 0 ? afterZero(b, at) : at;  // FCOMMENT
    at = (flags & 2) != 0 && at >= 0 ? at + 2 : at;  // FHCRC
    return at < 0 || at > b.length ? -1 : at;
  }

  private static int afterZero(byte[] b, int from) {
    for (int i = Math.max(from, 0); from >= 0 && i < b.length; i++) {
      if (b[i] == 0) {
        return i + 1;
      }
    }
    return -1;
  }
}
