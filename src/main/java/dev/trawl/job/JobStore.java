package dev.trawl.job;

import dev.trawl.config.JobSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where a durable job's state lives: beside its results, {@code <jobId>.job.json} (the job as
 * submitted, written once before the submit is answered), {@code <jobId>.state.json} (what the
 * job is doing: started, paused, how it ends; replaced whole, by rename, on each change) and
 * {@code <jobId>.journal} (tries started, pages a crawl found: appended by the sink, before the
 * results they lead to). The results file itself is the log of completions. Once a job has ended
 * only its summary is left. On start, the node that holds the directory's lock
 * ({@code .trawl.lock}: one node resumes a directory's jobs) reads everything back
 * ({@link #load}). With {@code jobs.durable} off, nothing is written or read.
 */
final class JobStore {

  private static final System.Logger LOG = System.getLogger(JobStore.class.getName());
  static final String JOB = ".job.json";
  static final String STATE = ".state.json";
  static final String JOURNAL = ".journal";
  static final String SUMMARY = ".summary.json";

  /** A job to resume, as its files left it. */
  record Stored(JsonObject record, JsonObject state, ResultsLog.Progress progress, Journal journal) {
  }

  /** What the journal says: the tries started, and the pages a crawl found ({@code index\tdepth\turl}, in order). */
  record Journal(BitSet started, List<String> pages) {

    static Journal none() {
      return new Journal(new BitSet(), List.of());
    }
  }

  /** What the directory holds: jobs to resume, and summaries of jobs that ended (newest last). */
  record Loaded(List<Stored> unfinished, List<JsonObject> finished) {
  }

  private final Vertx vertx;
  private final JobSettings settings;
  /** The state write in progress per job: writes of one job happen one after the other. */
  private final Map<String, Future<Void>> saving = new HashMap<>();
  /** Jobs whose state files are gone (they ended): a late save must not write them again. */
  private final java.util.Set<String> forgotten = new java.util.HashSet<>();
  private FileChannel lockFile;
  private FileLock lock;

  JobStore(Vertx vertx, JobSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
  }

  /** Durable jobs on, and this node holds its directory's lock (another node's jobs are not written into it). */
  boolean enabled() {
    return settings.durable() && lock != null;
  }

  static String base(String output) {
    return output.replaceFirst("\\.jsonl$", "");
  }

  static String journalPath(String output) {
    return base(output) + JOURNAL;
  }

  // ---- writing ---------------------------------------------------------------------------------

  /** Records a new job: what was submitted, then its state. The submit is answered once both are on disk. */
  Future<Void> create(JobRun run, JsonObject submitted) {
    if (!enabled()) {
      return Future.succeededFuture();
    }
    JsonObject record = new JsonObject().put("id", run.id()).put("name", run.spec().name()).put("output", run.output())
      .put("total", run.total()).put("job", submitted);
    String base = base(run.output());
    return vertx.fileSystem().mkdirs(Path.of(base).toAbsolutePath().getParent().toString())
      .compose(v -> replace(base + JOB, record.toBuffer()))
      .compose(v -> save(run));
  }

  /** Records the job's state now; writes of one job land in the order they were asked for. */
  Future<Void> save(JobRun run) {
    if (!enabled() || forgotten.contains(run.id())) {
      return Future.succeededFuture();
    }
    Buffer state = run.durableState().toBuffer();
    String path = base(run.output()) + STATE;
    Future<Void> before = saving.getOrDefault(run.id(), Future.succeededFuture());
    Future<Void> written = before.eventually(() -> replace(path, state));
    saving.put(run.id(), written);
    written.onComplete(done -> {
      if (saving.get(run.id()) == written) {
        saving.remove(run.id());
      }
      if (done.failed()) {
        LOG.log(System.Logger.Level.ERROR, "job {0}: its state could not be saved: {1}", run.id(), done.cause().getMessage());
      }
    });
    return written;
  }

  /** The job has ended and its summary is written: its state files go. */
  Future<Void> forget(JobRun run) {
    if (!enabled()) {
      return Future.succeededFuture();
    }
    forgotten.add(run.id());
    Future<Void> before = saving.getOrDefault(run.id(), Future.succeededFuture());
    String base = base(run.output());
    return before.eventually(() -> Future.join(delete(base + STATE), delete(base + JOURNAL), delete(base + ".frontier"))
      .compose(v -> delete(base + JOB))).mapEmpty();
  }

  /** A job that could not be recorded whole is not recorded at all: a restart must not run a refused job. */
  Future<Void> discard(JobRun run) {
    if (!enabled()) {
      return Future.succeededFuture();
    }
    String base = base(run.output());
    return Future.join(delete(base + JOB), delete(base + STATE), delete(base + STATE + ".tmp"), delete(base + JOB + ".tmp"))
      .mapEmpty();
  }

  /** Writes beside, then renames over: a reader (or a restart) sees the old file or the new, whole. */
  private Future<Void> replace(String path, Buffer content) {
    String temporary = path + ".tmp";
    return vertx.fileSystem().writeFile(temporary, content)
      .compose(v -> vertx.fileSystem().move(temporary, path, new CopyOptions().setReplaceExisting(true).setAtomicMove(true)));
  }

  private Future<Void> delete(String path) {
    return vertx.fileSystem().delete(path).recover(error -> Future.succeededFuture());
  }

  // ---- reading back ----------------------------------------------------------------------------

  /**
   * Takes the directory's lock and reads back its jobs, on a worker. A node that cannot take the
   * lock (another node on this machine has the same {@code sink.dir}) resumes nothing.
   */
  Future<Loaded> load() {
    if (!settings.durable()) {
      return Future.succeededFuture(new Loaded(List.of(), List.of()));
    }
    return vertx.executeBlocking(() -> {
      Path dir = Path.of(settings.sinkDir());
      Files.createDirectories(dir);
      if (!lock(dir)) {
        return new Loaded(List.of(), List.of());
      }
      return read(dir);
    }, false).recover(error -> {
      // A sink.dir that cannot be read or made fails each job as it starts, as before; the node starts.
      LOG.log(System.Logger.Level.ERROR, "cannot read back the jobs of " + settings.sinkDir() + ": " + error.getMessage());
      return Future.succeededFuture(new Loaded(List.of(), List.of()));
    });
  }

  private boolean lock(Path dir) throws IOException {
    lockFile = FileChannel.open(dir.resolve(".trawl.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      lock = lockFile.tryLock();
    } catch (OverlappingFileLockException heldInThisProcess) {
      lock = null;
    }
    if (lock == null) {
      lockFile.close();
      LOG.log(System.Logger.Level.WARNING, "{0} is in use by another node: this node resumes none of its jobs, and keeps its own in memory only", dir);
      return false;
    }
    return true;
  }

  /** Lets another node of this process take the directory (a node that stops). */
  void close() {
    try {
      if (lock != null) {
        lock.release();
      }
      if (lockFile != null) {
        lockFile.close();
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot release the lock of " + settings.sinkDir() + ": " + e.getMessage());
    }
  }

  private Loaded read(Path dir) throws IOException {
    List<Stored> unfinished = new ArrayList<>();
    List<Path> summaries = new ArrayList<>();
    try (Stream<Path> names = Files.list(dir)) {
      for (Path name : names.filter(Files::isDirectory).toList()) {
        try (Stream<Path> files = Files.list(name)) {
          for (Path file : files.toList()) {
            String fileName = file.getFileName().toString();
            if (fileName.endsWith(SUMMARY)) {
              summaries.add(file);
            } else if (fileName.endsWith(JOB)) {
              readJob(file, unfinished);
            }
          }
        }
      }
    }
    return new Loaded(unfinished, newestSummaries(summaries));
  }

  /** A job whose summary is written has ended (its state files were left by a crash): they go. */
  private static void readJob(Path recordFile, List<Stored> unfinished) {
    String base = recordFile.toString().substring(0, recordFile.toString().length() - JOB.length());
    try {
      if (Files.exists(Path.of(base + SUMMARY))) {
        for (String leftover : List.of(STATE, JOURNAL, ".frontier", JOB)) {
          Files.deleteIfExists(Path.of(base + leftover));
        }
        return;
      }
      JsonObject record = new JsonObject(Files.readString(recordFile));
      Path statePath = Path.of(base + STATE);
      JsonObject state = Files.exists(statePath) ? new JsonObject(Files.readString(statePath)) : new JsonObject();
      ResultsLog.Progress progress = ResultsLog.read(Path.of(record.getString("output")));
      unfinished.add(new Stored(record, state, progress, readJournal(Path.of(base + JOURNAL))));
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "cannot resume the job of " + recordFile + ": " + e.getMessage());
    }
  }

  /** Reads the journal; a last line cut short by a crash is ignored (what it said is done again). */
  static Journal readJournal(Path path) throws IOException {
    if (!Files.exists(path)) {
      return Journal.none();
    }
    // Cut off, not only skipped: the sink appends after it when the job resumes.
    ResultsLog.cutToWholeLines(path);
    BitSet started = new BitSet();
    List<String> pages = new ArrayList<>();
    try (var lines = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        journalLine(line, started, pages);
      }
    }
    return new Journal(started, pages);
  }

  /** One journal line; a line that does not parse (a damaged file) is passed over. */
  private static void journalLine(String line, BitSet started, List<String> pages) {
    try {
      if (line.startsWith("s\t")) {
        started.set(Integer.parseInt(line.substring(2)));
      } else if (line.startsWith("p\t")) {
        String[] page = line.split("\t", 4); // p, index, depth, url
        if (page.length == 4) {
          Long.parseLong(page[1]);
          Integer.parseInt(page[2]);
          pages.add(line.substring(2));
        }
      }
    } catch (NumberFormatException damaged) {
      LOG.log(System.Logger.Level.WARNING, "a damaged journal line was passed over");
    }
  }

  private List<JsonObject> newestSummaries(List<Path> summaries) {
    List<JsonObject> kept = new ArrayList<>();
    summaries.stream()
      .sorted(Comparator.comparingLong(JobStore::modified).reversed())
      .limit(settings.keepFinished())
      .forEach(path -> {
        try {
          kept.add(new JsonObject(Files.readString(path)));
        } catch (IOException | RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "cannot read " + path + ": " + e.getMessage());
        }
      });
    java.util.Collections.reverse(kept);
    return kept;
  }

  private static long modified(Path path) {
    try {
      return Files.getLastModifiedTime(path).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }
}
