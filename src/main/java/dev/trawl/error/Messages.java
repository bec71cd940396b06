package dev.trawl.error;

/** Shaping messages that came from elsewhere (a parser, the JDK) for a result or a 400. */
public final class Messages {

  private Messages() {
  }

  /** The first line of a message: parsers add context lines a result has no use for. */
  public static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
