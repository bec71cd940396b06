package dev.trawl.support;

import io.vertx.core.json.JsonObject;

import java.nio.file.Path;

/** Node config for tests whose jobs name a {@code requestsFile}, which a node refuses unless told where they may lie. */
public final class RequestsFiles {

  private RequestsFiles() {
  }

  /** {@code jobs.requestsFileDir} set to {@code dir}: a node config to merge into a test's own. */
  public static JsonObject allowedIn(Path dir) {
    return new JsonObject().put("jobs", new JsonObject().put("requestsFileDir", dir.toString()));
  }
}
