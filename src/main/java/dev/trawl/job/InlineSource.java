package dev.trawl.job;

import dev.trawl.config.Problems;
import dev.trawl.config.Timeouts;
import io.vertx.core.json.JsonArray;

/** The {@code requests} array of a job, already validated, handed out in order. */
final class InlineSource implements RequestSource {

  private final JsonArray requests;
  private final Timeouts timeouts;
  private int next;

  InlineSource(JsonArray requests, Timeouts timeouts) {
    this.requests = requests;
    this.timeouts = timeouts;
  }

  @Override
  public RequestSpec poll() {
    if (exhausted()) {
      return null;
    }
    int index = next++;
    return RequestSpec.parse(index, requests.getValue(index), timeouts, "", new Problems());
  }

  @Override
  public boolean exhausted() {
    return next >= requests.size();
  }

  @Override
  public void onReady(Runnable listener) {
    // everything is ready from the start
  }

  @Override
  public void close() {
  }
}
