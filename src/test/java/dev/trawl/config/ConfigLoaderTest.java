package dev.trawl.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

  @ParameterizedTest
  @CsvSource({
    "http.port, TRAWL_HTTP_PORT",
    "fetch.maxInFlight, TRAWL_FETCH_MAX_IN_FLIGHT",
    "fetch.blockPrivateNetworks, TRAWL_FETCH_BLOCK_PRIVATE_NETWORKS",
    "sink.flushMs, TRAWL_SINK_FLUSH_MS",
    "http.allowUnauthenticated, TRAWL_HTTP_ALLOW_UNAUTHENTICATED"})
  void environmentNamesFollowTheKeys(String key, String env) {
    assertEquals(env, ConfigLoader.envName(key));
  }

  @Test
  void defaultsFileAndEnvironmentAreLayeredInThatOrder() {
    JsonObject file = new JsonObject().put("http", new JsonObject().put("port", 9000)).put("sink", new JsonObject().put("dir", "out"));
    TrawlConfig config = ConfigLoader.effective(file, Map.of("TRAWL_HTTP_PORT", "9090", "TRAWL_FETCH_BLOCK_PRIVATE_NETWORKS", "false"));
    assertEquals(9090, config.httpPort());
    assertEquals("out", config.sinkDir());
    assertFalse(config.blockPrivateNetworks());
    assertEquals(1000, config.sinkFlushMs(), "untouched keys keep their defaults");
  }

  @Test
  void aNodeWithoutTheApiNeedsNoTokenWhateverItsHttpHost() {
    JsonObject file = new JsonObject().put("http", new JsonObject().put("host", "0.0.0.0"));
    TrawlConfig config = ConfigLoader.effectiveWithoutApi(file, Map.of());
    assertFalse(config.httpEnabled());
  }

  @Test
  void everyProblemIsReportedOnOneLine() {
    JsonObject file = new JsonObject().put("htp", 1).put("http", new JsonObject().put("port", "eighty"))
      .put("fetch", new JsonObject().put("maxInFlight", 0));
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.effective(file, Map.of("TRAWL_SINK_FLUSH_MS", "soon")));
    assertTrue(e.getMessage().contains("unknown key htp"), e.getMessage());
    assertTrue(e.getMessage().contains("http.port must be a whole number"), e.getMessage());
    assertTrue(e.getMessage().contains("TRAWL_SINK_FLUSH_MS must be a whole number"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void rangesAreCheckedAfterTypes() {
    ConfigException e = assertThrows(ConfigException.class,
      () -> ConfigLoader.effective(new JsonObject().put("fetch", new JsonObject().put("maxInFlight", 0)), Map.of()));
    assertTrue(e.getMessage().contains("fetch.maxInFlight must be at least 1"), e.getMessage());
  }

  @Test
  void proxiesAndTheTrustStoreAreCheckedWithoutEchoingCredentials(@org.junit.jupiter.api.io.TempDir Path dir) {
    JsonObject fetch = new JsonObject()
      .put("proxies", new io.vertx.core.json.JsonArray().add("http://ok:1").add("ftp://user:hunter2@p:1").add("socks5://p"))
      .put("trustStore", dir.resolve("missing.pem").toString());
    ConfigException e = assertThrows(ConfigException.class,
      () -> ConfigLoader.effective(new JsonObject().put("fetch", fetch), Map.of()));
    assertTrue(e.getMessage().contains("fetch.proxies[1] must start with http:// or socks5://"), e.getMessage());
    assertTrue(e.getMessage().contains("fetch.proxies[2] must name a host and a port"), e.getMessage());
    assertTrue(e.getMessage().contains("fetch.trustStore cannot be read"), e.getMessage());
    assertTrue(!e.getMessage().contains("hunter2"), e.getMessage());
  }

  @Test
  void aMissingOrBrokenFileIsOneReadableLine(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    ConfigException missing = assertThrows(ConfigException.class, () -> ConfigLoader.readArgument(dir.resolve("nope.json").toString()));
    assertTrue(missing.getMessage().endsWith("does not exist"));
    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"http\": ");
    ConfigException invalid = assertThrows(ConfigException.class, () -> ConfigLoader.readArgument(broken.toString()));
    assertTrue(invalid.getMessage().contains("is not a JSON object"), invalid.getMessage());
    assertEquals(8081, ConfigLoader.readArgument("{\"http\":{\"port\":8081}}").getJsonObject("http").getInteger("port"));
  }

  @Test
  void theShippedConfigsAreValidAndTheServiceOneBlocksPrivateNetworks() {
    TrawlConfig shipped = ConfigLoader.effective(ConfigLoader.readArgument("conf/config.json"), Map.of());
    assertTrue(shipped.blockPrivateNetworks());
    TrawlConfig demo = ConfigLoader.effective(ConfigLoader.readArgument("conf/demo.json"), Map.of());
    assertFalse(demo.blockPrivateNetworks());
  }

  @Test
  void theApiListensOnLoopbackUnlessToldOtherwise() {
    assertEquals("127.0.0.1", ConfigLoader.effective(new JsonObject(), Map.of()).httpHost());
    assertEquals("127.0.0.1", ConfigLoader.effective(ConfigLoader.readArgument("conf/config.json"), Map.of()).httpHost());
  }

  @ParameterizedTest(name = "host {0}, token ''{1}'', allowUnauthenticated {2}, enabled {3}: starts {4}")
  @CsvSource({
    "127.0.0.1,     '',     false, true,  true",
    "localhost,     '',     false, true,  true",
    "127.0.0.2,     '',     false, true,  true",
    "::1,           '',     false, true,  true",
    "[::1],         '',     false, true,  true",
    "0.0.0.0,       '',     false, true,  false",
    "::,            '',     false, true,  false",
    "192.168.1.10,  '',     false, true,  false",
    "trawl.lan,     '',     false, true,  false",
    "128.0.0.1,     '',     false, true,  false",
    "0.0.0.0,       s3cret, false, true,  true",
    "0.0.0.0,       '',     true,  true,  true",
    "0.0.0.0,       '',     false, false, true"})
  void aNodeBeyondLoopbackNeedsATokenOrAnExplicitOptOut(String host, String token, boolean allow, boolean enabled,
                                                        boolean starts) {
    JsonObject http = new JsonObject().put("host", host).put("token", token).put("allowUnauthenticated", allow)
      .put("enabled", enabled);
    JsonObject file = new JsonObject().put("http", http);
    if (starts) {
      assertEquals(host, ConfigLoader.effective(file, Map.of()).httpHost());
    } else {
      ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.effective(file, Map.of()));
      assertTrue(e.getMessage().contains("http.host") && e.getMessage().contains("http.token"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
    }
  }

  @Test
  void theEnvironmentCanOpenANodeOnlyWithAToken() {
    Map<String, String> open = Map.of("TRAWL_HTTP_HOST", "0.0.0.0");
    assertThrows(ConfigException.class, () -> ConfigLoader.effective(new JsonObject(), open));
    Map<String, String> protectedByToken = Map.of("TRAWL_HTTP_HOST", "0.0.0.0", "TRAWL_HTTP_TOKEN", "s3cret");
    assertEquals("0.0.0.0", ConfigLoader.effective(new JsonObject(), protectedByToken).httpHost());
  }
}
