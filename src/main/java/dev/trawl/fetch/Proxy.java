package dev.trawl.fetch;

import io.vertx.core.json.JsonObject;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A proxy a try goes through: {@code http://[user:pass@]host:port} or
 * {@code socks5://[user:pass@]host:port}. Its credentials go to the proxy only: results name a
 * proxy by {@link #address()}, and messages by {@link #redacted()}.
 *
 * @param username null when the proxy takes no credentials
 * @param password null when the proxy takes no credentials
 */
public record Proxy(Kind kind, String host, int port, String username, String password) {

  /** How a proxy is spoken to. */
  public enum Kind { HTTP, SOCKS5 }

  /**
   * The proxy a URL names.
   *
   * @throws IllegalArgumentException saying what is wrong with it, without its credentials
   */
  public static Proxy parse(String url) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    Kind kind = switch (scheme) {
      case "http" -> Kind.HTTP;
      case "socks5" -> Kind.SOCKS5;
      default -> throw new IllegalArgumentException("must start with http:// or socks5://");
    };
    if (uri.getHost() == null || uri.getPort() < 1) {
      throw new IllegalArgumentException("must name a host and a port (" + scheme + "://host:port)");
    }
    if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
      || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("must be only " + scheme + "://[user:pass@]host:port");
    }
    String user = null;
    String password = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
    }
    String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
    return new Proxy(kind, host.toLowerCase(Locale.ROOT), uri.getPort(), user, password);
  }

  private static String decode(String part) {
    return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** {@code host:port}, what results say of the proxy a request went through. */
  public String address() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** {@code scheme://host:port}: the proxy named without its credentials. */
  public String redacted() {
    return kind.name().toLowerCase(Locale.ROOT) + "://" + address();
  }

  /** Vert.x's options for this proxy, connected to at {@code connectHost} (its address, once checked). */
  ProxyOptions options(String connectHost, long connectMs) {
    ProxyOptions options = new ProxyOptions().setType(kind == Kind.HTTP ? ProxyType.HTTP : ProxyType.SOCKS5)
      .setHost(connectHost).setPort(port)
      .setConnectTimeout(java.time.Duration.ofMillis(connectMs));
    if (username != null) {
      options.setUsername(username).setPassword(password);
    }
    return options;
  }

  @Override
  public String toString() {
    return redacted(); // never the credentials, wherever a proxy is printed
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("kind", kind.name()).put("host", host).put("port", port);
    if (username != null) {
      json.put("username", username).put("password", password);
    }
    return json;
  }

  public static Proxy fromJson(JsonObject json) {
    return json == null ? null : new Proxy(Kind.valueOf(json.getString("kind")), json.getString("host"),
      json.getInteger("port"), json.getString("username"), json.getString("password"));
  }
}
