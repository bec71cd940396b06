package dev.trawl.job;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A results file read back to resume its job: what has a line, how it ended, and a crash's torn
 * last line cut off. Also the journal beside it ({@link JobStore#readJournal}).
 */
class ResultsLogTest {

  @TempDir
  Path dir;

  private static String line(long seq, long index, boolean ok, String kind) {
    JsonObject line = new JsonObject().put("jobId", "j").put("seq", seq).put("index", index)
      .put("url", "http://a.test/" + index).put("ok", ok).put("status", ok ? 200 : null)
      .put("data", new JsonObject().put("title", "skipped").put("nested", new JsonObject().put("ok", false)))
      .put("error", ok ? null : new JsonObject().put("kind", kind).put("message", kind + " happened"));
    return line.encode() + "\n";
  }

  @Test
  void countsEveryWholeLineAndCutsATornLastLine() throws IOException {
    Path file = dir.resolve("r.jsonl");
    String whole = line(0, 4, false, "cancelled") + line(1, 2, true, null) + line(2, 0, false, "timeout");
    Files.writeString(file, whole + "{\"jobId\":\"j\",\"seq\":3,\"ind");

    ResultsLog.Progress progress = ResultsLog.read(file);

    assertEquals(3, progress.lines());
    assertEquals(1, progress.ok());
    assertEquals(1, progress.failed());
    assertEquals(1, progress.cancelled());
    assertTrue(progress.done().get(0) && progress.done().get(2) && progress.done().get(4));
    assertFalse(progress.done().get(1) || progress.done().get(3));
    assertEquals(whole, Files.readString(file), "the torn line is cut off the file");
    assertEquals(0, progress.first().getLong("seq"));
    assertEquals(1, progress.firstOk().getLong("seq"));
    assertEquals("timeout", progress.firstError().getJsonObject("error").getString("kind"),
      "a cancel is not mode all's first error");
  }

  @Test
  void aDamagedLineEndsWhatCountsThere() throws IOException {
    Path file = dir.resolve("r.jsonl");
    Files.writeString(file, line(0, 0, true, null) + "not json\n" + line(2, 1, true, null));

    ResultsLog.Progress progress = ResultsLog.read(file);

    assertEquals(1, progress.lines());
    assertEquals(line(0, 0, true, null), Files.readString(file));
  }

  @Test
  void noFileMeansNothingDone() throws IOException {
    ResultsLog.Progress progress = ResultsLog.read(dir.resolve("none.jsonl"));
    assertEquals(0, progress.lines());
    assertNull(progress.first());
  }

  @Test
  void aFileOfOneTornLineIsEmptied() throws IOException {
    Path file = dir.resolve("r.jsonl");
    Files.writeString(file, "{\"jobId\"");
    assertEquals(0, ResultsLog.read(file).lines());
    assertEquals(0, Files.size(file));
  }

  @Test
  void theJournalGivesTriesStartedAndPagesFoundButNotATornLastLine() throws IOException {
    Path journal = dir.resolve("j.journal");
    Files.write(journal, List.of("s\t0", "s\t5", "p\t7\t1\thttp://a.test/x", "s\t7"), StandardCharsets.UTF_8);
    Files.writeString(journal, "p\t8\t1\thttp://a.te", java.nio.file.StandardOpenOption.APPEND);

    JobStore.Journal read = JobStore.readJournal(journal);

    assertEquals(3, read.started().cardinality());
    assertTrue(read.started().get(5) && read.started().get(7));
    assertEquals(List.of("7\t1\thttp://a.test/x"), read.pages());
    assertTrue(Files.readString(journal).endsWith("s\t7\n"), "the torn line is cut off: appends start on a line of their own");
  }
}
