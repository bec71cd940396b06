package dev.trawl.launch;

import dev.trawl.bench.KitCommand;
import dev.trawl.bench.LoadCommand;
import dev.trawl.bench.ParseBenchCommand;
import dev.trawl.bench.SiteCommand;
import dev.trawl.bench.TrainCommand;
import dev.trawl.cli.DemoCommand;
import dev.trawl.cli.RunCommand;
import dev.trawl.cli.TrawlApplication;

import java.util.Arrays;

/**
 * Entry point of the fat jar: {@code run JOB.json} and {@code demo} are Trawl's own commands;
 * {@code site}, {@code kit}, {@code load}, {@code parse-bench} and {@code train} are the benchmark tools
 * ({@code dev.trawl.bench}); anything else goes to the Vert.x launcher ({@code -conf},
 * {@code -cluster}, ...). This table is the only place the command line reaches into the tools.
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
      case "site" -> exitUnlessServing(SiteCommand.main(rest));
      case "kit" -> System.exit(KitCommand.main(rest));
      case "load" -> System.exit(LoadCommand.main(rest));
      case "parse-bench" -> System.exit(ParseBenchCommand.main(rest));
      case "train" -> System.exit(TrainCommand.main(rest));
      default -> TrawlApplication.launch(args);
    }
  }

  /** {@link SiteCommand#SERVING} means a server is up and the process should keep running. */
  private static void exitUnlessServing(int code) {
    if (code != SiteCommand.SERVING) {
      System.exit(code);
    }
  }
}
