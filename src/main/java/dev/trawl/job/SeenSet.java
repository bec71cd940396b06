package dev.trawl.job;

import java.nio.charset.StandardCharsets;

/**
 * The URLs a crawl has already enqueued, as 64-bit hashes of their normalised form in an
 * open-addressing table of longs: about 11–21 bytes a URL (the load factor moves between 0.35 and
 * 0.7), some 16 MB for a million, instead of the ~150 bytes a String in a HashSet costs. Two URLs
 * share a hash with probability ~n²/2⁶⁵ (about 3·10⁻⁸ at a million URLs); such a URL would be taken
 * for seen and not fetched. Confined to the coordinator's event loop.
 */
final class SeenSet {

  private static final long EMPTY = 0;
  private long[] table = new long[1 << 10];
  private int size;

  /** Adds the URL; true when it was not there yet. */
  boolean add(String normalizedUrl) {
    long hash = hash(normalizedUrl);
    if (size * 10L >= table.length * 7L) {
      grow();
    }
    boolean added = insert(table, hash);
    if (added) {
      size++;
    }
    return added;
  }

  private static boolean insert(long[] into, long hash) {
    int mask = into.length - 1;
    for (int i = (int) (hash ^ (hash >>> 32)) & mask; ; i = (i + 1) & mask) {
      if (into[i] == EMPTY) {
        into[i] = hash;
        return true;
      }
      if (into[i] == hash) {
        return false;
      }
    }
  }

  private void grow() {
    long[] old = table;
    table = new long[old.length * 2];
    for (long hash : old) {
      if (hash != EMPTY) {
        insert(table, hash);
      }
    }
  }

  /** FNV-1a over the UTF-8 bytes, then a murmur finaliser to spread the bits; never 0. */
  static long hash(String url) {
    long h = 0xcbf29ce484222325L;
    for (byte b : url.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h == EMPTY ? 1 : h;
  }
}
