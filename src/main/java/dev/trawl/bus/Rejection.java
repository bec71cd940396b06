package dev.trawl.bus;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A call refused with a reason, as it travels in an event-bus reply failure: the code (see
 * {@link ReplyCodes}) and the body the HTTP API answers with. The only place that encodes a
 * rejection into a failure message and decodes it back.
 *
 * @param code the reply failure code, also the HTTP status
 * @param body {@code {"error", ...}}: for 400 also {@code problems}, for 429 {@code retryAfterSeconds}
 */
public record Rejection(int code, JsonObject body) {

  /** How long a client should wait after the queue was full. */
  public static final int QUEUE_FULL_RETRY_SECONDS = 5;

  public static Rejection invalid(String error, List<String> problems) {
    return new Rejection(ReplyCodes.INVALID, new JsonObject().put("error", error).put("problems", new JsonArray(problems)));
  }

  public static Rejection invalidJob(List<String> problems) {
    return invalid("invalid job", problems);
  }

  public static Rejection queueFull() {
    return new Rejection(ReplyCodes.QUEUE_FULL, new JsonObject().put("error", "the job queue is full")
      .put("retryAfterSeconds", QUEUE_FULL_RETRY_SECONDS));
  }

  public static Rejection notFound(String error) {
    return new Rejection(ReplyCodes.NOT_FOUND, new JsonObject().put("error", error));
  }

  public static Rejection conflict(String error) {
    return new Rejection(ReplyCodes.CONFLICT, new JsonObject().put("error", error));
  }

  public static Rejection unavailable(String error) {
    return new Rejection(ReplyCodes.UNAVAILABLE, new JsonObject().put("error", error));
  }

  /** A future failed with this carries the rejection to whoever answers the call. */
  private static final class Failure extends RuntimeException {
    private final transient Rejection rejection;

    Failure(Rejection rejection) {
      super(rejection.error(), null, false, false);
      this.rejection = rejection;
    }
  }

  /** This rejection as a failure, for a future that fails with it; {@link #of} reads it back. */
  public RuntimeException asFailure() {
    return new Failure(this);
  }

  /**
   * The rejection a failure carries: one made by {@link #asFailure}, or a reply failure with a
   * code (400 and 429 carry their JSON body; others a plain message). Null when the failure is
   * not one (no handler, a timeout, a failure without a code).
   */
  public static Rejection of(Throwable failure) {
    if (failure instanceof Failure carried) {
      return carried.rejection;
    }
    if (!(failure instanceof ReplyException reply) || reply.failureType() != ReplyFailure.RECIPIENT_FAILURE
      || reply.failureCode() <= 0) {
      return null;
    }
    return new Rejection(reply.failureCode(), bodyOf(reply.failureCode(), reply.getMessage()));
  }

  private static JsonObject bodyOf(int code, String message) {
    if (carriesJson(code) && message != null) {
      try {
        return new JsonObject(message);
      } catch (DecodeException notJson) {
        // an older or foreign sender: keep its words
      }
    }
    return new JsonObject().put("error", message);
  }

  private static boolean carriesJson(int code) {
    return code == ReplyCodes.INVALID || code == ReplyCodes.QUEUE_FULL;
  }

  public String error() {
    return body.getString("error");
  }

  /** The problems of a 400, empty otherwise. */
  public List<String> problems() {
    JsonArray problems = body.getJsonArray("problems");
    return problems == null ? List.of() : problems.stream().map(String::valueOf).toList();
  }

  /** Fails {@code message} with this rejection, in the wire form {@link #of} reads. */
  public void failReply(Message<?> message) {
    message.fail(code, carriesJson(code) ? body.encode() : error());
  }
}
