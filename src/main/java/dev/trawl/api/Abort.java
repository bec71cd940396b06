package dev.trawl.api;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Closes an API connection at once, dropping what is still queued for its client.
 *
 * <p>The API's only use of Vert.x internals, because nothing public does the job: Vert.x 5 closes an
 * HTTP/1.x connection ({@code HttpConnection.close()}, {@code HttpServerResponse.reset()}) by queueing
 * the close behind the writes before it, so the socket of a client that stops reading stays open,
 * with what is queued for it, until that client reads again. Only the channel under the connection
 * closes at once, and only from Vert.x's own handler down: {@code Channel.close()} starts at the top of
 * the pipeline and goes through that handler, which queues it the same way (as Vert.x's own idle
 * timeout does, it is the handler's context that closes). {@code ResultsBoundsIT} pins this: the
 * node's end of a stalled stream's socket is closed while its client still reads nothing.
 */
final class Abort {

  private Abort() {
  }

  static void connection(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      base.channelHandlerContext().close();
    } else {
      connection.close();
    }
  }
}
