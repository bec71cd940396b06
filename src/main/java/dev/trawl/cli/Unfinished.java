package dev.trawl.cli;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The jobs a {@code trawl run} left unfinished in its output directory under the job's name
 * ({@code <out>/<name>/<id>.job.json} without a summary beside it; see the job package's
 * {@code JobStore}): the one to resume, or a refusal when they are another job file's, or, with
 * {@code --fresh}, gone. Jobs of other names in the same directory are left alone.
 */
final class Unfinished {

  private static final String JOB = ".job.json";

  private Unfinished() {
  }

  /**
   * The id of the unfinished job in the output directory that is {@code job} as submitted, to be
   * resumed; null when there is none (or {@code fresh}: every unfinished job there is removed,
   * results and all). Throws when an unfinished job of another job file is there.
   */
  static String resumable(JsonObject job, JsonObject config, boolean fresh) {
    if (!config.getJsonObject("jobs").getBoolean("durable", true)) {
      return null;
    }
    Path dir = Path.of(config.getJsonObject("sink").getString("dir"));
    // Only jobs of the same name: a run shares its folder, <out>/<name>/, with nothing else.
    List<Path> records = job.getValue("name") instanceof String name && isFolderName(name)
      ? records(dir, name) : List.of();
    for (Path record : records) {
      JsonObject stored = read(record);
      if (fresh) {
        remove(record);
      } else if (job.equals(stored.getJsonObject("job"))) {
        return stored.getString("id");
      } else {
        throw new RunCommand.CliException(dir + " holds the unfinished job " + stored.getString("id")
          + " of another job file; run with --fresh to start over, or give another --out");
      }
    }
    return null;
  }

  private static boolean isFolderName(String name) {
    return name.matches("[A-Za-z0-9._-]{1,64}") && !name.equals(".") && !name.equals("..");
  }

  private static List<Path> records(Path dir, String name) {
    List<Path> records = new ArrayList<>();
    Path folder = dir.resolve(name);
    if (!Files.isDirectory(folder)) {
      return records;
    }
    try (Stream<Path> files = Files.list(folder)) {
      files.filter(f -> f.getFileName().toString().endsWith(JOB))
        .filter(f -> !Files.exists(Path.of(base(f) + ".summary.json")))
        .forEach(records::add);
    } catch (IOException e) {
      throw new RunCommand.CliException("cannot read " + dir + ": " + e.getMessage());
    }
    return records;
  }

  private static String base(Path record) {
    String path = record.toString();
    return path.substring(0, path.length() - JOB.length());
  }

  private static JsonObject read(Path record) {
    try {
      return new JsonObject(Files.readString(record));
    } catch (IOException | RuntimeException e) {
      throw new RunCommand.CliException("cannot read " + record + ": " + e.getMessage());
    }
  }

  /** Removes a job's state and its results: started over, it gets a new id and a new file. */
  private static void remove(Path record) {
    String base = base(record);
    try {
      for (String suffix : List.of(".state.json", ".journal", ".frontier", ".jsonl", JOB)) {
        Files.deleteIfExists(Path.of(base + suffix));
      }
    } catch (IOException e) {
      throw new RunCommand.CliException("cannot remove the unfinished job of " + record + ": " + e.getMessage());
    }
  }
}
