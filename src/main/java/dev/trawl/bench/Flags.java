package dev.trawl.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name value} pairs of a tool subcommand ({@code site}, {@code load},
 * {@code parse-bench}, {@code kit}); a trailing name without a value is ignored.
 */
final class Flags {

  private final Map<String, String> values = new HashMap<>();

  private Flags() {
  }

  /** @throws IllegalArgumentException naming the first argument that is not in {@code known} */
  static Flags parse(String[] args, Set<String> known) {
    Flags flags = new Flags();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!known.contains(args[i])) {
        throw new IllegalArgumentException("unknown argument " + args[i]);
      }
      flags.values.put(args[i], args[i + 1]);
    }
    return flags;
  }

  String text(String name, String otherwise) {
    return values.getOrDefault(name, otherwise);
  }

  int integer(String name, int otherwise) {
    String value = values.get(name);
    return value == null ? otherwise : Integer.parseInt(value);
  }

  long number(String name, long otherwise) {
    String value = values.get(name);
    return value == null ? otherwise : Long.parseLong(value);
  }
}
