import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import java.io.*;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.BitSet;

/**
 * Durability cost per completion and resume read time: a journal beside the results (Trawl) against
 * H2's MVStore, for 1,000,000 completions written as the sink writes them. Run by bench/store.sh.
 */
public class StoreBench {
  static final int N = 1_000_000;
  static String line(int i) {
    return "{\"jobId\":\"8f0c\",\"seq\":" + i + ",\"index\":" + i + ",\"url\":\"http://127.0.0.1:18080/p/" + i
      + "\",\"depth\":0,\"finalUrl\":\"http://127.0.0.1:18080/p/" + i + "\",\"ok\":true,\"status\":200,"
      + "\"contentType\":\"text/html\",\"bytes\":20000,\"attempts\":1,\"data\":{\"title\":\"Product " + i + "\",\"price\":\"12.00\"},\"error\":null}\n";
  }
  public static void main(String[] a) throws Exception {
    Path dir = Files.createTempDirectory("storebench");
    for (int round = 0; round < 3; round++) {
      long[] r = run(dir.resolve("r" + round));
      System.out.printf("round %d: results only %d ms; +journal %d ms (%.2f us/completion extra); +MVStore %d ms (%.2f us/completion extra);"
        + " resume scan: results+journal %d ms, MVStore %d ms; journal %d MB, mvstore %d MB%n", round,
        r[0], r[1], (r[1] - r[0]) * 1000.0 / N, r[2], (r[2] - r[0]) * 1000.0 / N, r[3], r[4], r[5] >> 20, r[6] >> 20);
    }
  }
  static long[] run(Path dir) throws Exception {
    Files.createDirectories(dir);
    long t0 = System.nanoTime();
    writeResults(dir.resolve("a.jsonl"), null, null);
    long base = (System.nanoTime() - t0) / 1_000_000;
    t0 = System.nanoTime();
    writeResults(dir.resolve("b.jsonl"), dir.resolve("b.journal"), null);
    long journal = (System.nanoTime() - t0) / 1_000_000;
    t0 = System.nanoTime();
    MVStore store = new MVStore.Builder().fileName(dir.resolve("c.mv").toString()).autoCommitDisabled().open();
    writeResults(dir.resolve("c.jsonl"), null, store);
    store.close();
    long mv = (System.nanoTime() - t0) / 1_000_000;
    t0 = System.nanoTime();
    BitSet done = scanResults(dir.resolve("b.jsonl"));
    BitSet started = scanJournal(dir.resolve("b.journal"));
    long scanA = (System.nanoTime() - t0) / 1_000_000;
    t0 = System.nanoTime();
    MVStore again = new MVStore.Builder().fileName(dir.resolve("c.mv").toString()).readOnly().open();
    MVMap<Integer, Integer> map = again.openMap("done");
    BitSet mvDone = new BitSet();
    for (Integer k : map.keySet()) mvDone.set(k);
    again.close();
    long scanB = (System.nanoTime() - t0) / 1_000_000;
    if (done.cardinality() != N || mvDone.cardinality() != N || started.cardinality() != N) throw new AssertionError();
    return new long[] {base, journal, mv, scanA, scanB, Files.size(dir.resolve("b.journal")), Files.size(dir.resolve("c.mv"))};
  }
  /** Results in 64 KiB batches with a force every 1,000 ms, as the sink does; the durability extra alongside. */
  static void writeResults(Path results, Path journal, MVStore store) throws IOException {
    MVMap<Integer, Integer> started = store == null ? null : store.openMap("started");
    MVMap<Integer, Integer> done = store == null ? null : store.openMap("done");
    try (FileChannel out = FileChannel.open(results, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
         FileChannel jout = journal == null ? null : FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      StringBuilder batch = new StringBuilder(); StringBuilder jbatch = new StringBuilder();
      long lastForce = System.nanoTime();
      for (int i = 0; i < N; i++) {
        if (jout != null) jbatch.append("s\t").append(i).append('\n');
        if (started != null) started.put(i, 1);
        batch.append(line(i));
        if (done != null) done.put(i, i);
        if (batch.length() >= 65536) {
          if (jout != null) { jout.write(ByteBuffer.wrap(jbatch.toString().getBytes(StandardCharsets.UTF_8))); jbatch.setLength(0); }
          out.write(ByteBuffer.wrap(batch.toString().getBytes(StandardCharsets.UTF_8))); batch.setLength(0);
        }
        if (System.nanoTime() - lastForce > 1_000_000_000L) {
          out.force(false); if (jout != null) jout.force(false); if (store != null) store.commit();
          lastForce = System.nanoTime();
        }
      }
      if (jout != null) jout.write(ByteBuffer.wrap(jbatch.toString().getBytes(StandardCharsets.UTF_8)));
      out.write(ByteBuffer.wrap(batch.toString().getBytes(StandardCharsets.UTF_8)));
      out.force(false); if (jout != null) jout.force(false); if (store != null) store.commit();
    }
  }
  static BitSet scanResults(Path p) throws IOException {
    BitSet done = new BitSet();
    try (BufferedReader r = Files.newBufferedReader(p)) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        int at = l.indexOf("\"index\":") + 8;
        int end = l.indexOf(',', at);
        done.set(Integer.parseInt(l.substring(at, end)));
      }
    }
    return done;
  }
  static BitSet scanJournal(Path p) throws IOException {
    BitSet s = new BitSet();
    try (BufferedReader r = Files.newBufferedReader(p)) {
      for (String l = r.readLine(); l != null; l = r.readLine()) s.set(Integer.parseInt(l.substring(2)));
    }
    return s;
  }
}
