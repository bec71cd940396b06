package dev.trawl;

import dev.trawl.bus.Addresses;
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

import java.util.concurrent.TimeUnit;

import static dev.trawl.support.Jobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What one client, or one result, may cost a node: streams capped, slow bodies cut, results not copied. */
class ResultsBoundsIT extends NodeIT {

  @Override
  protected JsonObject nodeConfig() {
    return new JsonObject().put("http", new JsonObject().put("maxResultStreams", 1).put("bodyTimeoutMs", 300));
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
