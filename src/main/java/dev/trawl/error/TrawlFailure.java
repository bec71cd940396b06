package dev.trawl.error;

/**
 * A failure Trawl decided itself (a body too large, a redirect loop, a body that is not JSON):
 * the one exception type that carries its {@link ErrorKind}. No stack trace: it is an outcome,
 * not a bug.
 */
public class TrawlFailure extends RuntimeException {

  private final ErrorKind kind;

  public TrawlFailure(ErrorKind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public ErrorKind kind() {
    return kind;
  }
}
