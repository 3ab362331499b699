package dev.tollgate.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.internal.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A key server on the loopback interface for tests: it publishes a {@link TestIssuer}'s key set and
 * discovery metadata over plain HTTP, counts the requests it gets, and fails on demand (connections
 * refused, error pages, garbage, huge bodies, slow answers), so that tests can show how a {@code
 * RemoteJwks} behaves against a real server.
 *
 * <pre>{@code
 * try (JwksServer server = JwksServer.start()) {
 *   TestIssuer idp = TestIssuer.builder().issuer(server.issuerUri().toString()).build();
 *   server.publish(idp);
 *   RemoteJwks keys = RemoteJwks.builder(server.jwksUri()).allowPlainHttpOnLoopback().build();
 *   JwtValidator validator =
 *       JwtValidator.builder()
 *           .algorithms(idp.algorithm())
 *           .issuer(idp.issuer())
 *           .audience(idp.audience())
 *           .keys(keys)
 *           .build();
 *   validator.validate(idp.validToken());
 *   // server.requestCount("/jwks") is 1
 * }
 * }</pre>
 *
 * <p>It answers {@code GET /jwks} (and any path below it, such as {@code /jwks/v2}, a target for
 * redirects) with the published key set ({@code application/jwk-set+json}), and any path ending in
 * {@code /.well-known/openid-configuration} or starting with {@code
 * /.well-known/oauth-authorization-server} with metadata naming the published issuer (or {@link
 * #discoveryIssuer(String) another one}) and {@link #jwksUri()}; anything else with 404. It listens
 * on 127.0.0.1 on a free port, answers on daemon threads, and is thread-safe: a test may change
 * what it serves while clients read from it.
 *
 * <p><b>Security:</b> for tests only: it serves keys over plain HTTP.
 *
 * @since 0.1.0
 */
public final class JwksServer implements AutoCloseable {
  private static final String JWKS_PATH = "/jwks";
  private static final String OPENID_SUFFIX = "/.well-known/openid-configuration";
  private static final String OAUTH_PREFIX = "/.well-known/oauth-authorization-server";
  private static final String JWKS_TYPE = "application/jwk-set+json";

  /** A replacement for the key-set answer. */
  private static final class Canned {
    final int status;
    final String contentType;
    final byte[] body;

    Canned(int status, String contentType, byte[] body) {
      this.status = status;
      this.contentType = contentType;
      this.body = body;
    }
  }

  private final InetAddress address = InetAddress.getLoopbackAddress();
  private final int port;
  private final ExecutorService executor;
  private final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();
  private final Object lifecycle = new Object();
  private @Nullable HttpServer server;
  private boolean closed;

  private volatile @Nullable TestIssuer issuer;
  private volatile @Nullable String discoveryIssuer;
  private volatile @Nullable Canned canned;
  private volatile int oversizedBytes = -1;
  private volatile @Nullable String redirect;
  private volatile @Nullable String cacheControl;
  private volatile Duration delay = Duration.ZERO;

  private JwksServer() {
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "jwks-server");
              t.setDaemon(true);
              return t;
            });
    HttpServer s = bind(0);
    this.server = s;
    this.port = s.getAddress().getPort();
  }

  /**
   * Starts a server that publishes nothing yet: {@code /jwks} answers 404 until {@link
   * #publish(TestIssuer)}.
   *
   * @return the running server
   * @throws UncheckedIOException if no loopback port can be opened
   * @since 0.1.0
   */
  public static JwksServer start() {
    return new JwksServer();
  }

  /**
   * Starts a server that publishes an issuer's key set.
   *
   * @param issuer the issuer whose {@link TestIssuer#jwks()} to serve
   * @return the running server
   * @throws NullPointerException if {@code issuer} is null
   * @throws UncheckedIOException if no loopback port can be opened
   * @since 0.1.0
   */
  public static JwksServer start(TestIssuer issuer) {
    Objects.requireNonNull(issuer, "issuer");
    JwksServer server = new JwksServer();
    server.publish(issuer);
    return server;
  }

  private HttpServer bind(int wanted) {
    IOException last = null;
    // Rebinding a port just closed may need a moment.
    for (int attempt = 0; attempt < 50; attempt++) {
      try {
        HttpServer s = HttpServer.create(new InetSocketAddress(address, wanted), 64);
        s.createContext("/", this::handle);
        s.setExecutor(executor);
        s.start();
        return s;
      } catch (BindException e) {
        last = e;
        if (wanted == 0) {
          break;
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          break;
        }
      } catch (IOException e) {
        last = e;
        break;
      }
    }
    throw new UncheckedIOException("cannot listen on " + address + ":" + wanted, last);
  }

  /**
   * Publishes an issuer's key set from now on, for example {@code issuer.rotate()} to add a key or
   * {@code issuer.withoutKey(kid)} to retire one. The metadata names this issuer from now on too.
   *
   * @param issuer the issuer whose {@link TestIssuer#jwks()} to serve
   * @throws NullPointerException if {@code issuer} is null
   * @since 0.1.0
   */
  public void publish(TestIssuer issuer) {
    this.issuer = Objects.requireNonNull(issuer, "issuer");
  }

  /**
   * Returns the URI of the key set: {@code http://127.0.0.1:<port>/jwks}.
   *
   * @return the URI
   * @since 0.1.0
   */
  public URI jwksUri() {
    return URI.create(base() + JWKS_PATH);
  }

  /**
   * Returns an issuer URI served by this server, {@code http://127.0.0.1:<port>/}, to give to
   * {@link TestIssuer.Builder#issuer(String)} for discovery tests. Metadata is served for it and
   * for any path below it.
   *
   * @return the URI
   * @since 0.1.0
   */
  public URI issuerUri() {
    return URI.create(base() + "/");
  }

  private String base() {
    return "http://" + address.getHostAddress() + ":" + port;
  }

  /**
   * Makes the metadata name this issuer instead of the published one, to show that a mismatched
   * discovery document is refused.
   *
   * @param issuer the issuer the metadata names
   * @throws NullPointerException if {@code issuer} is null
   * @since 0.1.0
   */
  public void discoveryIssuer(String issuer) {
    this.discoveryIssuer = Objects.requireNonNull(issuer, "issuer");
  }

  /**
   * Answers key-set requests with this instead of the key set: an HTML error page, invalid JSON, a
   * set of weak or encryption keys. {@link #serveNormally()} undoes it.
   *
   * @param status the HTTP status, 200 to 599
   * @param contentType the {@code Content-Type}
   * @param body the body, sent as UTF-8 with its length
   * @throws NullPointerException if {@code contentType} or {@code body} is null
   * @throws IllegalArgumentException if {@code status} is out of range
   * @since 0.1.0
   */
  public void respondWith(int status, String contentType, String body) {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("status must be between 200 and 599");
    }
    this.canned = new Canned(status, contentType, body.getBytes(UTF_8));
  }

  /**
   * Answers key-set requests with 200 and a body of this many bytes, streamed without a {@code
   * Content-Length}, so that only a reader that counts bytes can stop early. {@link
   * #serveNormally()} undoes it.
   *
   * @param bytes the body's size, at least 1
   * @throws IllegalArgumentException if {@code bytes} is less than 1
   * @since 0.1.0
   */
  public void respondWithOversizedBody(int bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("bytes must be at least 1");
    }
    this.oversizedBytes = bytes;
  }

  /**
   * Answers requests for {@code /jwks} (not the paths below it) with {@code 302 Found} to this
   * location. {@link #serveNormally()} undoes it.
   *
   * @param location the {@code Location} header, absolute or relative
   * @throws NullPointerException if {@code location} is null
   * @since 0.1.0
   */
  public void redirectTo(String location) {
    this.redirect = Objects.requireNonNull(location, "location");
  }

  /**
   * Adds a {@code Cache-Control} header to key-set answers, for example {@code "max-age=60"}.
   * {@link #serveNormally()} removes it.
   *
   * @param value the header's value
   * @throws NullPointerException if {@code value} is null
   * @since 0.1.0
   */
  public void cacheControl(String value) {
    this.cacheControl = Objects.requireNonNull(value, "value");
  }

  /**
   * Makes every answer wait this long before it starts (a slow or hanging server); zero answers at
   * once. {@link #serveNormally()} undoes it.
   *
   * @param delay how long to wait, zero or more
   * @throws NullPointerException if {@code delay} is null
   * @throws IllegalArgumentException if {@code delay} is negative
   * @since 0.1.0
   */
  public void delay(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative");
    }
    this.delay = delay;
  }

  /**
   * Goes back to serving the published key set and metadata at once: undoes {@link #respondWith},
   * {@link #respondWithOversizedBody}, {@link #redirectTo}, {@link #cacheControl}, {@link #delay}
   * and {@link #discoveryIssuer}. Does not reopen a port closed by {@link #refuseConnections()}.
   *
   * @since 0.1.0
   */
  public void serveNormally() {
    canned = null;
    oversizedBytes = -1;
    redirect = null;
    cacheControl = null;
    delay = Duration.ZERO;
    discoveryIssuer = null;
  }

  /**
   * Closes the port, so that connections are refused (an identity provider that is down), until
   * {@link #acceptConnections()}. Open connections are closed too.
   *
   * @since 0.1.0
   */
  public void refuseConnections() {
    synchronized (lifecycle) {
      HttpServer s = server;
      if (s != null) {
        s.stop(0);
        server = null;
      }
    }
  }

  /**
   * Opens the port again after {@link #refuseConnections()}, on the same address; does nothing if
   * it is open.
   *
   * @throws IllegalStateException if the server was closed
   * @throws UncheckedIOException if the port cannot be opened again
   * @since 0.1.0
   */
  public void acceptConnections() {
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("the server is closed");
      }
      if (server == null) {
        server = bind(port);
      }
    }
  }

  /**
   * Returns how many requests were made for a path (the raw path, without the query), since the
   * server started, whatever it answered.
   *
   * @param path for example {@code "/jwks"} or {@code "/.well-known/openid-configuration"}
   * @return the count
   * @throws NullPointerException if {@code path} is null
   * @since 0.1.0
   */
  public int requestCount(String path) {
    AtomicInteger c = counts.get(Objects.requireNonNull(path, "path"));
    return c == null ? 0 : c.get();
  }

  /**
   * Returns how many requests were made for any path since the server started.
   *
   * @return the count
   * @since 0.1.0
   */
  public int requestCount() {
    return total.get();
  }

  /**
   * Stops the server and its threads; an answer being delayed is abandoned. Calling it again does
   * nothing.
   *
   * @since 0.1.0
   */
  @Override
  public void close() {
    synchronized (lifecycle) {
      closed = true;
      HttpServer s = server;
      if (s != null) {
        s.stop(0);
        server = null;
      }
    }
    executor.shutdownNow();
  }

  /**
   * Describes the server by its address and request count.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return "JwksServer[" + base() + ", requests=" + total.get() + "]";
  }

  // ---------------------------------------------------------------------------------------------

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getRawPath();
      counts.computeIfAbsent(path == null ? "" : path, p -> new AtomicInteger()).incrementAndGet();
      total.incrementAndGet();
      Duration wait = delay;
      if (!wait.isZero()) {
        try {
          Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (!"GET".equals(exchange.getRequestMethod())) {
        send(exchange, 405, "text/plain", "method not allowed".getBytes(UTF_8));
      } else if (path != null && (path.equals(JWKS_PATH) || path.startsWith(JWKS_PATH + "/"))) {
        serveKeySet(exchange, path.equals(JWKS_PATH));
      } else if (path != null && (path.endsWith(OPENID_SUFFIX) || path.startsWith(OAUTH_PREFIX))) {
        serveMetadata(exchange);
      } else {
        send(exchange, 404, "text/plain", "not found".getBytes(UTF_8));
      }
    } catch (IOException e) {
      // The client hung up, for example after reading as much as it wanted.
    } finally {
      exchange.close();
    }
  }

  private void serveKeySet(HttpExchange exchange, boolean main) throws IOException {
    String location = redirect;
    if (location != null && main) {
      exchange.getResponseHeaders().set("Location", location);
      exchange.sendResponseHeaders(302, -1);
      return;
    }
    Canned c = canned;
    if (c != null) {
      send(exchange, c.status, c.contentType, c.body);
      return;
    }
    int oversized = oversizedBytes;
    if (oversized > 0) {
      streamOversized(exchange, oversized);
      return;
    }
    TestIssuer published = issuer;
    if (published == null) {
      send(exchange, 404, "text/plain", "no key set published".getBytes(UTF_8));
      return;
    }
    String cc = cacheControl;
    if (cc != null) {
      exchange.getResponseHeaders().set("Cache-Control", cc);
    }
    send(exchange, 200, JWKS_TYPE, published.jwks().getBytes(UTF_8));
  }

  private void serveMetadata(HttpExchange exchange) throws IOException {
    TestIssuer published = issuer;
    String named = discoveryIssuer;
    if (named == null && published != null) {
      named = published.issuer();
    }
    if (named == null) {
      send(exchange, 404, "text/plain", "no issuer published".getBytes(UTF_8));
      return;
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("issuer", named);
    doc.put("jwks_uri", jwksUri().toString());
    doc.put("response_types_supported", List.of("code"));
    doc.put("subject_types_supported", List.of("public"));
    doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
    send(exchange, 200, "application/json", Json.write(doc).getBytes(UTF_8));
  }

  private static void streamOversized(HttpExchange exchange, int bytes) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, 0);
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) ' ');
    chunk[0] = '{';
    try (OutputStream out = exchange.getResponseBody()) {
      int left = bytes;
      while (left > 0) {
        int n = Math.min(left, chunk.length);
        out.write(chunk, 0, n);
        chunk[0] = ' ';
        left -= n;
      }
    } catch (IOException e) {
      // The client stopped reading: that is what a size limit does.
    }
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
