package dev.trawl;

import dev.trawl.support.NodeIT;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static dev.trawl.support.Jobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code http.idleTimeoutMs}: a connection with no request in progress is closed; one that waits is not. */
class ApiIdleIT extends NodeIT {

  private static final long IDLE_MS = 300;

  @Override
  protected JsonObject nodeConfig() {
    return new JsonObject().put("http", new JsonObject().put("idleTimeoutMs", IDLE_MS));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aConnectionThatSendsNothingIsClosed() {
    long start = System.nanoTime();
    NetSocket socket = vertx.createNetClient().connect(node.apiPort(), "127.0.0.1").await();
    Promise<Void> closed = Promise.promise();
    socket.closeHandler(v -> closed.tryComplete());
    closed.future().await();
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(ms < 10_000, "closed after " + ms + " ms");
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aKeepAliveConnectionIsClosedOnceItIdlesAfterARequest() {
    NetSocket socket = vertx.createNetClient().connect(node.apiPort(), "127.0.0.1").await();
    Buffer received = Buffer.buffer();
    Promise<Long> answered = Promise.promise();
    Promise<Long> closed = Promise.promise();
    socket.handler(data -> {
      received.appendBuffer(data);
      if (received.toString().contains("no such resource")) {
        answered.tryComplete(System.nanoTime());
      }
    });
    socket.closeHandler(v -> closed.tryComplete(System.nanoTime()));
    socket.write("GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    long answeredAt = answered.future().await();
    long closedAt = closed.future().await();
    String response = received.toString();
    assertTrue(response.startsWith("HTTP/1.1 404"), response);
    assertFalse(response.toLowerCase().contains("connection: close"), response);
    long idled = TimeUnit.NANOSECONDS.toMillis(closedAt - answeredAt);
    assertTrue(idled >= IDLE_MS / 2, "kept alive only " + idled + " ms after its response");
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aSilentResultsStreamIsNotCutAndEndsWithItsJob() {
    String id = node.submit(job("silent", origin.url("/hold"))).await().bodyAsJsonObject().getString("id");
    origin.whenHolding(1).await();
    HttpClient client = vertx.createHttpClient();
    Promise<Void> connectionClosed = Promise.promise();
    HttpClientResponse response = client.request(HttpMethod.GET, node.apiPort(), "127.0.0.1", "/jobs/" + id + "/results")
      .compose(request -> request.send())
      .await();
    assertEquals(200, response.statusCode());
    response.request().connection().closeHandler(v -> connectionClosed.tryComplete());
    Future<Buffer> body = response.body();
    vertx.timer(4 * IDLE_MS).await(); // silent for over 3 x http.idleTimeoutMs
    assertFalse(body.isComplete(), "the stream ended while its job was running");
    assertFalse(connectionClosed.future().isComplete(), "the stream's connection was closed");
    origin.releaseHeld();
    String lines = body.await().toString();
    assertTrue(lines.contains(id), lines);
    assertTrue(lines.contains("released"), lines);
  }
}
