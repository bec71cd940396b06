package dev.trawl.fetch;

/** A try that failed for a reason Trawl decided itself; {@link #kind()} is the SPEC error kind. */
public class FetchException extends RuntimeException {

  private final String kind;

  public FetchException(String kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public String kind() {
    return kind;
  }
}
