package dev.trawl.error;

/** Shaping messages that came from elsewhere (a parser, the JDK) for a result or a 400. */
public final class Messages {

  private Messages() {
  }

  /** The most of someone else's input a message ever echoes. */
  public static final int MAX_ECHO = 200;

  /** The first line of a message, cut at {@link #MAX_ECHO} characters: a parser's words may quote the input. */
  public static String brief(String message) {
    String line = firstLine(message);
    return line.length() <= MAX_ECHO ? line : line.substring(0, MAX_ECHO) + "…";
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
