package dev.trawl.cli;

import dev.trawl.TrawlVerticle;
import dev.trawl.bus.Addresses;
import dev.trawl.config.ConfigException;
import dev.trawl.config.ConfigLoader;
import dev.trawl.config.HttpSettings;
import dev.trawl.config.TrawlConfig;
import io.vertx.core.Deployable;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The service: the stock Vert.x launcher with three changes. A missing or invalid config stops
 * start-up with one line (the stock launcher only warns and starts empty); {@code TRAWL_*}
 * variables override config keys; and a stop (SIGTERM) first ends every job as cancelled and
 * closes its files before Vert.x undeploys anything.
 */
public final class TrawlApplication extends VertxApplication {

  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

  private TrawlApplication(String[] args, VertxApplicationHooks hooks) {
    super(args, hooks);
  }

  public static void launch(String[] args) {
    TrawlConfig effective;
    try {
      effective = ConfigLoader.effective(givenConfig(args), System.getenv());
    } catch (ConfigException e) {
      System.err.println("trawl: " + e.getMessage());
      System.exit(2);
      return;
    }
    new TrawlApplication(args, new Hooks(effective)).launch();
  }

  /** The {@code -conf} argument read strictly; none means defaults. */
  private static JsonObject givenConfig(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equalsIgnoreCase("-conf") || arg.equalsIgnoreCase("--conf")) {
        if (i + 1 >= args.length) {
          throw new ConfigException("-conf needs a file or a JSON object");
        }
        return ConfigLoader.readArgument(args[i + 1]);
      }
      if (arg.toLowerCase().startsWith("-conf=") || arg.toLowerCase().startsWith("--conf=")) {
        return ConfigLoader.readArgument(arg.substring(arg.indexOf('=') + 1));
      }
    }
    return new JsonObject();
  }

  private record Hooks(TrawlConfig effective) implements VertxApplicationHooks {

    @Override
    public JsonObject afterConfigParsed(JsonObject config) {
      return effective.json();
    }

    @Override
    public Supplier<? extends Deployable> verticleSupplier() {
      return TrawlVerticle::new;
    }

    @Override
    public void afterVerticleDeployed(HookContext context) {
      HttpSettings http = HttpSettings.from(effective);
      System.err.println(http.enabled()
        ? "trawl: ready, HTTP API on http://" + hostInUrl(http.host()) + ":" + http.port() + "/"
        : "trawl: ready, HTTP API off (http.enabled=false)");
    }

    /** An IPv6 literal goes in brackets, so the line is a URL to paste. */
    private static String hostInUrl(String host) {
      return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** A start refused for a reason the operator can fix (a node.id already in use) says so in one line. */
    @Override
    public void afterFailureToDeployVerticle(HookContext context, Throwable t) {
      if (t instanceof ConfigException) {
        // One line and out: the launcher would log the failure again, with its stack trace.
        System.err.println("trawl: " + t.getMessage());
        System.exit(2);
      }
    }

    @Override
    public VertxBuilder createVertxBuilder(VertxOptions options) {
      return Metrics.enable(options);
    }

    @Override
    public void beforeStoppingVertx(HookContext context) {
      try {
        context.vertx().eventBus().request(Addresses.NODE_DRAIN, new JsonObject())
          .toCompletionStage().toCompletableFuture().get(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS)) {
          System.err.println("trawl: stopping without a full drain: " + e.getCause().getMessage());
        }
      } catch (InterruptedException | TimeoutException e) {
        System.err.println("trawl: stopping without a full drain: " + e);
      }
    }
  }
}
