package dev.trawl.sink;

import io.vertx.core.json.JsonObject;

/**
 * One result on its way to the job's JSONL file.
 *
 * @param json    the result, already encoded as one line of JSON (no newline)
 * @param journal lines for the job's journal that must be on disk before this result is (the pages
 *                a crawl found on it), each ending with a newline; null when there are none
 */
public record ResultLine(String jobId, long seq, String json, String journal) {

  public ResultLine(String jobId, long seq, String json) {
    this(jobId, seq, json, null);
  }

  public JsonObject toJson() {
    return new JsonObject().put("jobId", jobId).put("seq", seq).put("json", json).put("journal", journal);
  }

  public static ResultLine fromJson(JsonObject json) {
    return new ResultLine(json.getString("jobId"), json.getLong("seq"), json.getString("json"),
      json.getString("journal"));
  }
}
