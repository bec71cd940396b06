package dev.trawl.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;

import java.util.HashMap;
import java.util.Map;

/**
 * Closes an API connection that has had no request in progress for {@code http.idleTimeoutMs}. Not
 * a plain server idle timeout: a results stream or a {@code POST /jobs?wait=true} may be silent for
 * long while it legitimately waits. The timer runs only while a connection has no request in
 * progress: from when it opens, and from when its last response ends (or the request is reset);
 * a request arriving cancels it. Requests are counted per connection (keep-alive, pipelining).
 * Used from one verticle's event loop only.
 */
final class IdleConnections {

  private final Vertx vertx;
  private final long idleMs;
  private final Map<HttpConnection, Idle> connections = new HashMap<>();

  IdleConnections(Vertx vertx, long idleMs) {
    this.vertx = vertx;
    this.idleMs = idleMs;
  }

  /** For {@code HttpServer.connectionHandler}: a new connection starts idle. */
  void opened(HttpConnection connection) {
    track(connection);
  }

  /** The first route of the router: a request is in progress on its connection until its response ends. */
  void request(RoutingContext ctx) {
    HttpConnection connection = ctx.request().connection();
    Idle idle = track(connection);
    idle.inProgress++;
    idle.cancel();
    boolean[] done = {false};
    ctx.addEndHandler(ended -> {
      if (!done[0]) { // ended, reset or closed: counted once
        done[0] = true;
        idle.inProgress--;
        if (idle.inProgress == 0 && connections.get(connection) == idle) {
          idle.arm();
        }
      }
    });
    ctx.next();
  }

  /** How many connections are open and tracked (for tests and metrics). */
  int open() {
    return connections.size();
  }

  private Idle track(HttpConnection connection) {
    Idle idle = connections.get(connection);
    if (idle == null) {
      Idle created = new Idle(connection);
      connections.put(connection, created);
      connection.closeHandler(v -> {
        created.cancel();
        connections.remove(connection, created);
      });
      created.arm();
      idle = created;
    }
    return idle;
  }

  private final class Idle {
    private final HttpConnection connection;
    private int inProgress;
    private long timer = -1;

    Idle(HttpConnection connection) {
      this.connection = connection;
    }

    void arm() {
      cancel();
      timer = vertx.setTimer(idleMs, id -> {
        timer = -1;
        if (inProgress == 0) {
          connection.close();
        }
      });
    }

    void cancel() {
      if (timer != -1) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }
  }
}
