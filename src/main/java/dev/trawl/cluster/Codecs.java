package dev.trawl.cluster;

import dev.trawl.fetch.FetchOutcome;
import dev.trawl.fetch.FetchRequest;
import dev.trawl.sink.ResultLine;
import io.vertx.core.eventbus.EventBus;

import java.util.List;

/** Registers the codec of every message record; runs on every node before any deploy. */
public final class Codecs {

  private static final List<RecordCodec<?>> ALL = List.of(
    new RecordCodec<>(FetchRequest.class, FetchRequest::toJson, FetchRequest::fromJson),
    new RecordCodec<>(FetchOutcome.class, FetchOutcome::toJson, FetchOutcome::fromJson),
    new RecordCodec<>(ResultLine.class, ResultLine::toJson, ResultLine::fromJson));

  private Codecs() {
  }

  /** Idempotent: a second call on the same event bus (several deployments in one JVM) is a no-op. */
  public static synchronized void registerAll(EventBus eventBus) {
    for (RecordCodec<?> codec : ALL) {
      register(eventBus, codec);
    }
  }

  private static <T> void register(EventBus eventBus, RecordCodec<T> codec) {
    try {
      eventBus.registerDefaultCodec(codec.type(), codec);
    } catch (IllegalStateException alreadyRegistered) {
      // registered by an earlier deployment on this Vertx instance
    }
  }
}
