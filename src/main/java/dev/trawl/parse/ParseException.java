package dev.trawl.parse;

/** A body that could not be parsed as asked; {@link #kind()} is the SPEC error kind. */
public class ParseException extends RuntimeException {

  private final String kind;

  public ParseException(String kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  /** {@code parse} or {@code content_type}. */
  public String kind() {
    return kind;
  }
}
