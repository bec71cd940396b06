package dev.trawl;

import dev.trawl.bus.Addresses;
import dev.trawl.support.Await;
import dev.trawl.support.NodeIT;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.trawl.support.Jobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What one client, or one result, may cost a node: streams capped, stalled streams and slow bodies
 * cut, results not copied.
 */
class ResultsBoundsIT extends NodeIT {

  private static final long STALL_MS = 500;

  @Override
  protected JsonObject nodeConfig() {
    return new JsonObject().put("http", new JsonObject().put("maxResultStreams", 1).put("bodyTimeoutMs", 300)
      .put("streamStallMs", STALL_MS));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void subscribersOnTheNodeShareOneResultObject() {
    String id = node.submit(job("shared", origin.url("/hold"))).await().bodyAsJsonObject().getString("id");
    origin.whenHolding(1).await();
    Future<JsonObject> first = nextResult(id);
    Future<JsonObject> second = nextResult(id);
    origin.releaseHeld();
    JsonObject one = first.await();
    assertSame(one, second.await());
    assertEquals(id, one.getString("jobId"));
    assertEquals(0, one.getLong("seq"));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aStreamBeyondTheCapIsRefused() {
    String id = node.submit(job("streamed", origin.url("/hold"))).await().bodyAsJsonObject().getString("id");
    origin.whenHolding(1).await();
    HttpClient client = vertx.createHttpClient();
    Answer open = results(client, id).await();
    assertEquals(200, open.status());
    Answer refused = results(client, id).await();
    assertEquals(503, refused.status());
    assertTrue(refused.body().await().toString().contains("http.maxResultStreams=1"));
    origin.releaseHeld();
    open.body().await(); // the first stream ends with the job, and gives its place back
    assertEquals(200, results(client, id).await().status());
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aStreamWhoseClientStopsReadingIsCutAfterStreamStallMs() throws IOException {
    // 16 results of 1.5 MiB each (256 KiB of NULs, each written \u0000): far more than the socket
    // buffers between the node and a client with a small receive window can hold.
    int requests = 16;
    JsonObject summary = node.submitAndWait(job("large", origin.urls("/big/262144?i=", requests))).await();
    long fileBytes = Files.size(Path.of(summary.getString("output")));
    assertTrue(fileBytes > 20 << 20, "results of " + fileBytes + " bytes");
    String id = summary.getString("id");
    String others = "/jobs/" + id + "/results?from=" + requests; // the same stream, with no lines to send
    try (Socket client = new Socket()) {
      client.setReceiveBufferSize(16 * 1024);
      client.connect(new InetSocketAddress("127.0.0.1", node.apiPort()));
      client.getOutputStream().write(("GET /jobs/" + id + "/results HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
      String head = readHead(client.getInputStream());
      long openedAt = System.nanoTime();
      assertTrue(head.startsWith("HTTP/1.1 200"), head);
      assertEquals(503, node.get(others).await().statusCode(), "the stalled stream holds the node's only place");

      Await.until(() -> node.get(others).await().statusCode() == 200); // the node gave the place back
      long cutAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openedAt);
      assertFalse(nodeEndOpen(client.getLocalPort()), "the node let go of the socket while its client read nothing");
      // The stall is timed from when the socket buffers are full: filling ~4 MiB of them takes a
      // moment (up to 1.5 s seen with both cores busy).
      assertTrue(cutAfterMs >= STALL_MS / 2 && cutAfterMs < 10 * STALL_MS, "cut after " + cutAfterMs + " ms");

      client.setSoTimeout(10_000);
      byte[] rest = client.getInputStream().readAllBytes(); // what was in the socket buffers, then the close
      assertTrue(rest.length < fileBytes, "the client got " + rest.length + " of " + fileBytes + " bytes");
      assertFalse(new String(rest, StandardCharsets.US_ASCII).endsWith("\r\n0\r\n\r\n"), "a cut, not an end");
    }
    assertEquals(200, node.get("/health").await().statusCode());
  }

  /**
   * Whether the node's end of the connection from {@code clientPort} is still established, from the
   * kernel's socket tables (proc(5): {@code /proc/net/tcp*}, state {@code 01}).
   */
  private boolean nodeEndOpen(int clientPort) throws IOException {
    String local = String.format(":%04X", node.apiPort());
    String remote = String.format(":%04X", clientPort);
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String line : Files.readAllLines(Path.of(table))) {
        String[] fields = line.trim().split("\\s+");
        if (fields[1].endsWith(local) && fields[2].endsWith(remote)) {
          return fields[3].equals("01");
        }
      }
    }
    return false;
  }

  /** The response head, read a byte at a time so that nothing of the body is taken. */
  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("closed before the head ended: " + head);
      }
      head.append((char) b);
    }
    return head.toString();
  }

  /** A response's status, and its body, asked for as the head arrives so that none of it is missed. */
  private record Answer(int status, Future<Buffer> body) {
  }

  private Future<Answer> results(HttpClient client, String id) {
    return client.request(HttpMethod.GET, node.apiPort(), "127.0.0.1", "/jobs/" + id + "/results")
      .compose(request -> request.send())
      .map(response -> new Answer(response.statusCode(), response.body()));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aBodyThatDoesNotArriveIsCutOff() {
    NetSocket socket = vertx.createNetClient().connect(node.apiPort(), "127.0.0.1").await();
    Promise<Buffer> answer = Promise.promise();
    Buffer received = Buffer.buffer();
    socket.handler(received::appendBuffer);
    socket.closeHandler(v -> answer.tryComplete(received));
    socket.write("POST /jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      + "Content-Length: 100\r\n\r\n{\"name\":");
    String response = answer.future().await().toString();
    assertTrue(response.startsWith("HTTP/1.1 408"), response);
    assertTrue(response.contains("http.bodyTimeoutMs=300"), response);
  }

  private Future<JsonObject> nextResult(String id) {
    Promise<JsonObject> first = Promise.promise();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.results(id), m -> first.tryComplete(m.body()));
    consumer.completion().await();
    return first.future();
  }
}
