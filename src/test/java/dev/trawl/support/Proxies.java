package dev.trawl.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Real proxies on loopback for tests, each counting what it forwarded: an HTTP proxy (absolute-URI
 * requests forwarded, {@code CONNECT} tunnelled, {@code Proxy-Authorization: Basic} checked) and a
 * SOCKS5 proxy (RFC 1928, {@code CONNECT} only, with RFC 1929 username and password when given).
 */
public final class Proxies {

  /** A proxy listening on loopback, and the targets it forwarded to, as {@code host:port}, in order. */
  public record Running(int port, List<String> forwarded) {

    public int count() {
      return forwarded.size();
    }
  }

  private Proxies() {
  }

  /** An HTTP proxy; with {@code user} null it asks for no credentials. */
  public static Future<Running> http(Vertx vertx, String user, String password) {
    HttpClient upstream = vertx.createHttpClient();
    NetClient net = vertx.createNetClient();
    List<String> forwarded = new CopyOnWriteArrayList<>();
    String expected = user == null ? null
      : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return vertx.createHttpServer().requestHandler(req -> {
      if (expected != null && !expected.equals(req.getHeader("Proxy-Authorization"))) {
        req.response().setStatusCode(407).putHeader("Proxy-Authenticate", "Basic realm=test").end();
        return;
      }
      req.pause();
      if (req.method() == HttpMethod.CONNECT) {
        HostAndPort target = req.authority();
        net.connect(target.port(), target.host()).onComplete(connected -> {
          if (connected.failed()) {
            req.response().setStatusCode(502).end();
            return;
          }
          forwarded.add(target.host() + ":" + target.port());
          NetSocket up = connected.result();
          req.toNetSocket().onSuccess(down -> {
            down.pipeTo(up);
            up.pipeTo(down);
          });
        });
        return;
      }
      RequestOptions options = new RequestOptions().setMethod(req.method()).setAbsoluteURI(req.uri());
      req.headers().forEach(h -> {
        if (!h.getKey().equalsIgnoreCase("Proxy-Authorization")) {
          options.addHeader(h.getKey(), h.getValue());
        }
      });
      upstream.request(options).compose(r -> r.send(req)).onComplete(answered -> {
        if (answered.failed()) {
          req.response().setStatusCode(502).end();
          return;
        }
        HttpClientResponse response = answered.result();
        forwarded.add(options.getHost() + ":" + options.getPort());
        req.response().setStatusCode(response.statusCode()).headers().addAll(response.headers());
        response.pipeTo(req.response());
      });
    }).listen(0, "127.0.0.1").map(server -> new Running(server.actualPort(), forwarded));
  }

  /** A SOCKS5 proxy; with {@code user} null it asks for no credentials. */
  public static Future<Running> socks5(Vertx vertx, String user, String password) {
    NetClient net = vertx.createNetClient();
    List<String> forwarded = new CopyOnWriteArrayList<>();
    return vertx.createNetServer().connectHandler(socket -> new Socks5Session(socket, net, user, password, forwarded))
      .listen(0, "127.0.0.1").map(server -> new Running(server.actualPort(), forwarded));
  }

  /** One client's SOCKS5 exchange: greeting, optional authentication, CONNECT, then a tunnel. */
  private static final class Socks5Session {

    private final NetSocket socket;
    private final NetClient net;
    private final String user;
    private final String password;
    private final List<String> forwarded;
    private Buffer pending = Buffer.buffer();
    private int stage;

    Socks5Session(NetSocket socket, NetClient net, String user, String password, List<String> forwarded) {
      this.socket = socket;
      this.net = net;
      this.user = user;
      this.password = password;
      this.forwarded = forwarded;
      socket.handler(this::read);
    }

    private void read(Buffer chunk) {
      pending.appendBuffer(chunk);
      switch (stage) {
        case 0 -> greeting();
        case 1 -> authentication();
        case 2 -> connect();
        default -> { }
      }
    }

    /** {@code 05 NMETHODS METHODS…}: no authentication (00), or username and password (02). */
    private void greeting() {
      Buffer b = pending;
      if (b.length() < 2 || b.length() < 2 + b.getUnsignedByte(1)) {
        return;
      }
      boolean offersPassword = false;
      for (int i = 0; i < b.getUnsignedByte(1); i++) {
        offersPassword |= b.getByte(2 + i) == 2;
      }
      pending = b.getBuffer(2 + b.getUnsignedByte(1), b.length());
      if (user != null && !offersPassword) {
        socket.write(Buffer.buffer(new byte[] {5, (byte) 0xFF})).onComplete(x -> socket.close());
        return;
      }
      socket.write(Buffer.buffer(new byte[] {5, (byte) (user == null ? 0 : 2)}));
      stage = user == null ? 2 : 1;
    }

    /** {@code 01 ULEN UNAME PLEN PASSWD}. */
    private void authentication() {
      Buffer b = pending;
      if (b.length() < 2 || b.length() < 3 + b.getUnsignedByte(1)) {
        return;
      }
      int userLength = b.getUnsignedByte(1);
      int passwordLength = b.getUnsignedByte(2 + userLength);
      if (b.length() < 3 + userLength + passwordLength) {
        return;
      }
      boolean ok = user.equals(b.getString(2, 2 + userLength))
        && password.equals(b.getString(3 + userLength, 3 + userLength + passwordLength));
      pending = b.getBuffer(3 + userLength + passwordLength, b.length());
      socket.write(Buffer.buffer(new byte[] {1, (byte) (ok ? 0 : 1)}));
      if (!ok) {
        socket.close();
        return;
      }
      stage = 2;
    }

    /** {@code 05 01 00 ATYP DST.ADDR DST.PORT}, then the tunnel. */
    private void connect() {
      Buffer b = pending;
      if (b.length() < 5) {
        return;
      }
      int type = b.getUnsignedByte(3);
      int addressLength = type == 1 ? 4 : type == 4 ? 16 : 1 + b.getUnsignedByte(4);
      if (b.length() < 4 + addressLength + 2) {
        return;
      }
      String host;
      try {
        host = type == 3 ? b.getString(5, 5 + b.getUnsignedByte(4))
          : InetAddress.getByAddress(b.getBytes(4, 4 + addressLength)).getHostAddress();
      } catch (UnknownHostException e) {
        socket.close();
        return;
      }
      int port = b.getUnsignedShort(4 + addressLength);
      stage = 3;
      socket.pause();
      net.connect(port, host).onComplete(connected -> {
        if (connected.failed()) {
          socket.write(Buffer.buffer(new byte[] {5, 5, 0, 1, 0, 0, 0, 0, 0, 0})).onComplete(x -> socket.close());
          return;
        }
        forwarded.add(host + ":" + port);
        NetSocket up = connected.result();
        socket.write(Buffer.buffer(new byte[] {5, 0, 0, 1, 0, 0, 0, 0, 0, 0}));
        socket.handler(null);
        socket.pipeTo(up);
        up.pipeTo(socket);
        socket.resume();
      });
    }
  }
}
