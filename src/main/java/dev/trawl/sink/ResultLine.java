package dev.trawl.sink;

import io.vertx.core.json.JsonObject;

/**
 * One result on its way to the job's JSONL file.
 *
 * @param json the result, already encoded as one line of JSON (no newline)
 */
public record ResultLine(String jobId, long seq, String json) {

  public JsonObject toJson() {
    return new JsonObject().put("jobId", jobId).put("seq", seq).put("json", json);
  }

  public static ResultLine fromJson(JsonObject json) {
    return new ResultLine(json.getString("jobId"), json.getLong("seq"), json.getString("json"));
  }
}
