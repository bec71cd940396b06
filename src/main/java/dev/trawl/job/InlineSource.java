package dev.trawl.job;

import dev.trawl.config.Problems;
import io.vertx.core.json.JsonArray;

/** The {@code requests} array of a job, already validated, handed out in order. */
final class InlineSource implements RequestSource {

  private final JsonArray requests;
  private final RequestSpec.Defaults defaults;
  private int next;

  InlineSource(JsonArray requests, RequestSpec.Defaults defaults) {
    this.requests = requests;
    this.defaults = defaults;
  }

  @Override
  public RequestSpec poll() {
    if (exhausted()) {
      return null;
    }
    int index = next++;
    return RequestSpec.parse(index, requests.getValue(index), defaults, "", new Problems());
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
