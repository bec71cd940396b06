package dev.trawl.cluster;

import dev.trawl.fetch.FetchOutcome;
import dev.trawl.fetch.FetchRequest;
import dev.trawl.sink.ResultLine;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** Registers the codec of every message record; runs on every node before any deploy. */
public final class Codecs {

  private static final List<RecordCodec<?>> ALL = List.of(
    new RecordCodec<>(FetchRequest.class, FetchRequest::toJson, FetchRequest::fromJson),
    new RecordCodec<>(FetchOutcome.class, FetchOutcome::toJson, FetchOutcome::fromJson),
    new RecordCodec<>(ResultLine.class, ResultLine::toJson, ResultLine::fromJson));

  /**
   * Publishes a {@code JsonObject} that no one changes after sending: subscribers on this node
   * receive that very object (Vert.x's own JSON codec copies it once per consumer), other nodes
   * receive its JSON, decoded to a {@code JsonObject} as usual. Receivers must not modify it.
   */
  public static final DeliveryOptions SHARED_JSON = new DeliveryOptions().setCodecName(SharedJsonCodec.NAME);

  private Codecs() {
  }

  /** Idempotent: a second call on the same event bus (several deployments in one JVM) is a no-op. */
  public static synchronized void registerAll(EventBus eventBus) {
    for (RecordCodec<?> codec : ALL) {
      register(eventBus, codec);
    }
    try {
      eventBus.registerCodec(new SharedJsonCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // registered by an earlier deployment on this Vertx instance
    }
  }

  private static <T> void register(EventBus eventBus, RecordCodec<T> codec) {
    try {
      eventBus.registerDefaultCodec(codec.type(), codec);
    } catch (IllegalStateException alreadyRegistered) {
      // registered by an earlier deployment on this Vertx instance
    }
  }

  /** See {@link #SHARED_JSON}: JSON on the wire, the same instance within the node. */
  private static final class SharedJsonCodec implements MessageCodec<JsonObject, JsonObject> {

    static final String NAME = "trawl.sharedJson";

    @Override
    public void encodeToWire(Buffer buffer, JsonObject json) {
      Buffer encoded = json.toBuffer();
      buffer.appendInt(encoded.length()).appendBuffer(encoded);
    }

    @Override
    public JsonObject decodeFromWire(int pos, Buffer buffer) {
      int length = buffer.getInt(pos);
      return new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length));
    }

    @Override
    public JsonObject transform(JsonObject json) {
      return json;
    }

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
