package dev.trawl.cli;


import java.util.Arrays;

/**
 * Entry point of the fat jar: {@code run JOB.json} and {@code demo} are Trawl's own commands;
 * anything else goes to the Vert.x launcher ({@code -conf}, {@code -cluster}, ...).
 */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) throws Exception {
    String command = args.length > 0 ? args[0] : "";
    String[] rest = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args;
    switch (command) {
      case "run" -> System.exit(RunCommand.main(rest));
      case "demo" -> System.exit(DemoCommand.main(rest));
      case "site" -> exitUnlessServing(DemoSite.main(rest));
      case "kit" -> System.exit(KitCommand.main(rest));
      case "load" -> System.exit(LoadCommand.main(rest));
      case "parse-bench" -> System.exit(ParseBenchCommand.main(rest));
      default -> TrawlApplication.launch(args);
    }
  }

  /** A negative code means a server is up and the process should keep running. */
  private static void exitUnlessServing(int code) {
    if (code >= 0) {
      System.exit(code);
    }
  }
}
