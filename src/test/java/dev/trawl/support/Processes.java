package dev.trawl.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

/** What tests that start Trawl as a real process (or give it a port) need: a free port, the ready line. */
public final class Processes {

  private Processes() {
  }

  /** A loopback port free a moment ago (the usual small race before whoever binds it). */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads the node's stderr until its ready line, then drains the rest in the background. */
  public static void awaitReady(Process node) throws IOException {
    BufferedReader lines = new BufferedReader(new InputStreamReader(node.getErrorStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      seen.append(line).append('\n');
      if (line.startsWith("trawl: ready")) {
        Thread drain = new Thread(() -> lines.lines().forEach(l -> { }));
        drain.setDaemon(true);
        drain.start();
        return;
      }
    }
    throw new AssertionError("a node exited before it was ready:\n" + seen);
  }
}
