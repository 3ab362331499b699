package dev.tollgate.keys;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.Algorithm;
import dev.tollgate.JwsHeader;
import dev.tollgate.JwsHeaders;
import dev.tollgate.JwtKey;
import dev.tollgate.JwtValidationException;
import dev.tollgate.Reason;
import dev.tollgate.internal.Json;
import dev.tollgate.leaks.CapturedLogs;
import dev.tollgate.testing.JwksServer;
import dev.tollgate.testing.TestIssuer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RemoteJwks}'s rules at their edges, asked directly through {@link
 * RemoteJwks#resolve(JwsHeader)} on a test clock, against a loopback server whose requests are
 * counted: how long a key set lives, when an unknown kid may cost a request, what keys without a
 * kid answer, what is logged and heard, and the refresh thread.
 */
class RemoteJwksPolicyTest {
  private static final Instant START = RemoteJwksTest.START;
  private static final String JWKS = "/jwks";
  private static final String REFRESH_THREAD = "tollgate-jwks-refresh";
  private static final String LISTENER_THREW = "A KeyEvents listener threw";

  private final RemoteJwksTest.MutableClock clock = new RemoteJwksTest.MutableClock(START);
  private final JwksServer server = JwksServer.start();
  private final TestIssuer idp =
      TestIssuer.builder()
          .algorithm(Algorithm.ES256)
          .issuer(server.issuerUri().toString())
          .clock(clock)
          .build();
  private final Heard heard = new Heard();
  private final List<RemoteJwks> made = new ArrayList<>();
  private final List<HttpServer> metadataServers = new ArrayList<>();
  private final List<java.util.concurrent.ExecutorService> executors = new ArrayList<>();

  RemoteJwksPolicyTest() {
    server.publish(idp);
  }

  @AfterEach
  void stop() {
    made.forEach(RemoteJwks::close);
    executors.forEach(java.util.concurrent.ExecutorService::shutdownNow);
    metadataServers.forEach(s -> s.stop(0));
    server.close();
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** Hears refreshes ("ok:<keys>" or the failure), their sources and durations, unknown kids. */
  static final class Heard implements KeyEvents {
    final BlockingQueue<String> refreshes = new LinkedBlockingQueue<>();
    final List<URI> sources = Collections.synchronizedList(new ArrayList<>());
    final List<Duration> took = Collections.synchronizedList(new ArrayList<>());
    final Map<UnknownKeyId, AtomicInteger> unknown = new ConcurrentHashMap<>();

    @Override
    public void refreshed(URI source, int keyCount, Duration took) {
      sources.add(source);
      this.took.add(took);
      refreshes.add("ok:" + keyCount);
    }

    @Override
    public void refreshFailed(
        URI source, Failure failure, Duration took, Optional<Duration> keySetAge) {
      sources.add(source);
      this.took.add(took);
      refreshes.add(failure.name());
    }

    @Override
    public void unknownKeyId(UnknownKeyId outcome) {
      unknown.computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet();
    }

    String next() throws InterruptedException {
      String s = refreshes.poll(10, TimeUnit.SECONDS);
      assertThat(s).as("a refresh outcome within 10 s").isNotNull();
      return s;
    }

    int unknown(UnknownKeyId outcome) {
      AtomicInteger n = unknown.get(outcome);
      return n == null ? 0 : n.get();
    }
  }

  private RemoteJwks.Builder remote() {
    return RemoteJwks.builder(server.jwksUri())
        .allowPlainHttpOnLoopback()
        .clock(clock)
        .listener(heard);
  }

  private RemoteJwks keep(RemoteJwks jwks) {
    made.add(jwks);
    return jwks;
  }

  private static JwsHeader header(String kid) {
    return JwsHeaders.header(Algorithm.ES256, kid);
  }

  private static List<String> kids(List<JwtKey> keys) {
    return keys.stream().map(k -> k.keyId().orElse("-")).collect(Collectors.toList());
  }

  private static void assertUnavailable(RemoteJwks keys, String kid) {
    assertThatThrownBy(() -> keys.resolve(header(kid)))
        .isInstanceOfSatisfying(
            JwtValidationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.KEYS_UNAVAILABLE));
  }

  private int requests() {
    return server.requestCount(JWKS);
  }

  /** The issuer's public JWK without its kid, alone in a set. */
  private String setWithoutKid(TestIssuer issuer) throws Exception {
    Map<String, Object> jwk = new LinkedHashMap<>();
    Json.parseObject(issuer.publicJwk().getBytes(UTF_8), 4).forEach(jwk::put);
    jwk.remove("kid");
    return Json.write(Map.of("keys", List.of(jwk)));
  }

  /** The issuer's key set with one more key, for encryption only. */
  private String setWithAnEncryptionKey(TestIssuer issuer) throws Exception {
    Map<String, Object> enc = new LinkedHashMap<>();
    Json.parseObject(issuer.rotate().publicJwk().getBytes(UTF_8), 4).forEach(enc::put);
    enc.put("kid", "enc-1");
    enc.put("use", "enc");
    Map<String, Object> sig = new LinkedHashMap<>();
    Json.parseObject(issuer.publicJwk().getBytes(UTF_8), 4).forEach(sig::put);
    return Json.write(Map.of("keys", List.of(sig, enc)));
  }

  private static int logMark() {
    return CapturedLogs.lines().size();
  }

  /** The log lines since the mark that contain every one of the parts. */
  private static List<String> logSince(int mark, String... parts) {
    List<String> lines = CapturedLogs.lines();
    List<String> out = new ArrayList<>();
    for (String line : lines.subList(mark, lines.size())) {
      boolean all = true;
      for (String p : parts) {
        all &= line.contains(p);
      }
      if (all) {
        out.add(line);
      }
    }
    return out;
  }

  private static Set<Thread> refreshThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(REFRESH_THREAD))
        .collect(Collectors.toSet());
  }

  /**
   * Starts a loopback server that answers every path with this metadata, in which {@code ISSUER}
   * stands for the server's own issuer URL; returns that URL.
   */
  private String metadataServer(String template) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    metadataServers.add(s);
    String issuer = "http://127.0.0.1:" + s.getAddress().getPort() + "/";
    byte[] body = template.replace("ISSUER", issuer).getBytes(UTF_8);
    s.createContext(
        "/",
        (HttpExchange exchange) -> {
          try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        });
    s.start();
    return issuer;
  }

  /**
   * A loopback HTTP/1.1 server that answers every request with one key set, headers and body in a
   * single write: the JDK's server writes them apart and loses 40 ms per answer to delayed
   * acknowledgements, too slow for a thousand refreshes.
   */
  static final class OneWriteServer implements AutoCloseable {
    private final java.net.ServerSocket socket;
    private final byte[] answer;
    private final AtomicInteger requests = new AtomicInteger();

    OneWriteServer(String jwks) throws IOException {
      byte[] body = jwks.getBytes(UTF_8);
      byte[] head =
          ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(UTF_8);
      answer = java.util.Arrays.copyOf(head, head.length + body.length);
      System.arraycopy(body, 0, answer, head.length, body.length);
      socket = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread acceptor = new Thread(this::accept, "one-write-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/jwks");
    }

    int requests() {
      return requests.get();
    }

    private void accept() {
      while (!socket.isClosed()) {
        try {
          java.net.Socket connection = socket.accept();
          Thread t = new Thread(() -> serve(connection), "one-write-connection");
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    }

    private void serve(java.net.Socket connection) {
      try (connection) {
        connection.setTcpNoDelay(true);
        java.io.InputStream in = new java.io.BufferedInputStream(connection.getInputStream());
        OutputStream out = connection.getOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
          // A GET ends at the blank line after its headers.
          matched = (b == '\r' || b == '\n') ? matched + 1 : 0;
          if (matched == 4) {
            requests.incrementAndGet();
            out.write(answer);
            out.flush();
            matched = 0;
          }
        }
      } catch (IOException e) {
        // The client went away.
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // How long a key set lives

  @ParameterizedTest(name = "interval {0}, Cache-Control {1}: lives {2}")
  @CsvSource({
    "PT5M, no-store, PT30S",
    "PT5M, no-cache, PT30S",
    "PT60S, max-age=600, PT60S",
    "PT5M, max-age=10, PT30S",
    "PT10M, max-age=60, PT60S",
    "PT10S, max-age=5, PT10S",
    "PT10S, no-store, PT10S",
    "PT2M, , PT2M"
  })
  void keySet_livesTheIntervalShortenedByCacheControl_toNoLessThanTheFloor(
      Duration interval, String cacheControl, Duration lives) {
    if (cacheControl != null) {
      server.cacheControl(cacheControl);
    }
    // Without a stale window the set is unusable once it expired: the next lookup fetches.
    RemoteJwks keys =
        keep(remote().refreshInterval(interval).staleIfError(Duration.ZERO).prefetch().build());
    assertThat(requests()).isEqualTo(1);

    clock.advance(lives.minusMillis(1));
    assertThat(kids(keys.resolve(header(idp.keyId())))).containsExactly(idp.keyId());
    assertThat(requests()).isEqualTo(1);

    clock.advance(Duration.ofMillis(1));
    assertThat(kids(keys.resolve(header(idp.keyId())))).containsExactly(idp.keyId());
    assertThat(requests()).isEqualTo(2);
  }

  @Test
  void staleKeySet_servesUntilTheEndOfTheStaleWindow_notAMillisecondLonger() throws Exception {
    RemoteJwks keys =
        keep(
            remote()
                .refreshInterval(Duration.ofMinutes(5))
                .staleIfError(Duration.ofHours(1))
                .prefetch()
                .build());
    assertThat(heard.next()).isEqualTo("ok:1");
    server.refuseConnections();

    clock.advance(Duration.ofMinutes(65).minusMillis(1));
    assertThat(kids(keys.resolve(header(idp.keyId())))).containsExactly(idp.keyId());
    assertThat(heard.next()).isEqualTo("CONNECTION");

    clock.advance(Duration.ofMillis(1));
    assertUnavailable(keys, idp.keyId());
  }

  @Test
  void clockSetBackBeforeTheFetch_setStillServes_andIsRefreshed() throws Exception {
    RemoteJwks keys = keep(remote().prefetch().build());
    assertThat(heard.next()).isEqualTo("ok:1");

    clock.advance(Duration.ofMinutes(-1));
    assertThat(kids(keys.resolve(header(idp.keyId())))).containsExactly(idp.keyId());
    assertThat(heard.next()).isEqualTo("ok:1");
    assertThat(requests()).isEqualTo(2);
  }

  @Test
  void maxResponseBytes_boundsTheKeySet() throws Exception {
    String padded =
        "{\"keys\":" + Json.write(List.of(Json.parseObject(idp.publicJwk().getBytes(UTF_8), 4)));
    padded += ",\"pad\":\"" + "x".repeat(1500 - padded.length()) + "\"}";
    server.respondWith(200, "application/json", padded);

    keep(remote().maxResponseBytes(1024).prefetch().build());
    assertThat(heard.next()).isEqualTo("TOO_LARGE");
    RemoteJwks roomy = keep(remote().maxResponseBytes(2048).prefetch().build());
    assertThat(heard.next()).isEqualTo("ok:1");
    assertThat(roomy.keySetJson()).isPresent();
  }

  // ---------------------------------------------------------------------------------------------
  // Unknown kids

  @Test
  void unknownKidAtFirstUse_rememberedForTheCooldown() {
    RemoteJwks keys = keep(remote().build());
    assertThat(keys.resolve(header("nobody"))).isEmpty();
    assertThat(keys.resolve(header("nobody"))).isEmpty();
    assertThat(requests()).isEqualTo(1);
    assertThat(heard.unknown(KeyEvents.UnknownKeyId.NOT_FOUND_AFTER_REFRESH)).isEqualTo(1);
    assertThat(heard.unknown(KeyEvents.UnknownKeyId.NOT_FOUND_RECENTLY_CHECKED)).isEqualTo(1);
  }

  @Test
  void unknownKid_answeredWithTheKeysWithoutKid_onEveryPath() throws Exception {
    server.respondWith(200, "application/jwk-set+json", setWithoutKid(idp));
    RemoteJwks keys = keep(remote().unknownKidCooldown(Duration.ofSeconds(30)).build());

    assertThat(kids(keys.resolve(header("a")))).containsExactly("-"); // first use
    assertThat(kids(keys.resolve(header("a")))).containsExactly("-"); // recently checked
    assertThat(kids(keys.resolve(header("b")))).containsExactly("-"); // refreshed, not found
    assertThat(kids(keys.resolve(header("c")))).containsExactly("-"); // cooling down
    assertThat(kids(keys.resolve(JwsHeaders.header(Algorithm.ES256, null)))).containsExactly("-");

    assertThat(requests()).isEqualTo(2);
    assertThat(heard.unknown(KeyEvents.UnknownKeyId.NOT_FOUND_AFTER_REFRESH)).isEqualTo(2);
    assertThat(heard.unknown(KeyEvents.UnknownKeyId.NOT_FOUND_RECENTLY_CHECKED)).isEqualTo(1);
    assertThat(heard.unknown(KeyEvents.UnknownKeyId.NOT_FOUND_COOLING_DOWN)).isEqualTo(1);
  }

  @Test
  void unknownKids_shareOneRefreshPerCooldown() {
    RemoteJwks keys = keep(remote().unknownKidCooldown(Duration.ofSeconds(30)).prefetch().build());
    assertThat(keys.resolve(header("x1"))).isEmpty();
    assertThat(requests()).isEqualTo(2);

    clock.advance(Duration.ofSeconds(1));
    assertThat(keys.resolve(header("x2"))).isEmpty();
    assertThat(requests()).isEqualTo(2);
    assertThat(heard.unknown(KeyEvents.UnknownKeyId.NOT_FOUND_COOLING_DOWN)).isEqualTo(1);

    clock.advance(Duration.ofSeconds(29));
    assertThat(keys.resolve(header("x3"))).isEmpty();
    assertThat(requests()).isEqualTo(3);
  }

  @Test
  void kidFoundMissing_lookedUpAgainAfterTheCooldown_andFoundOnceRotatedIn() {
    RemoteJwks keys = keep(remote().unknownKidCooldown(Duration.ofSeconds(30)).prefetch().build());
    TestIssuer rotated = idp.rotate();
    assertThat(keys.resolve(header(rotated.keyId()))).isEmpty();
    assertThat(requests()).isEqualTo(2);

    server.publish(rotated);
    clock.advance(Duration.ofSeconds(10));
    assertThat(keys.resolve(header(rotated.keyId()))).isEmpty();
    assertThat(requests()).isEqualTo(2);

    clock.advance(Duration.ofSeconds(20));
    assertThat(kids(keys.resolve(header(rotated.keyId())))).containsExactly(rotated.keyId());
    assertThat(requests()).isEqualTo(3);
    assertThat(heard.unknown(KeyEvents.UnknownKeyId.FOUND_AFTER_REFRESH)).isEqualTo(1);
  }

  @Test
  void kidsUpTo256Characters_remembered_longerOnesNot() {
    RemoteJwks keys = keep(remote().unknownKidCooldown(Duration.ofSeconds(30)).prefetch().build());
    String longest = "k".repeat(RemoteJwks.MAX_REMEMBERED_KID_LENGTH);
    keys.resolve(header(longest));
    keys.resolve(header(longest));
    assertThat(heard.unknown(KeyEvents.UnknownKeyId.NOT_FOUND_RECENTLY_CHECKED)).isEqualTo(1);
    assertThat(requests()).isEqualTo(2);

    clock.advance(Duration.ofSeconds(30));
    String tooLong = longest + "k";
    keys.resolve(header(tooLong));
    keys.resolve(header(tooLong));
    assertThat(requests()).isEqualTo(3);
    assertThat(heard.unknown(KeyEvents.UnknownKeyId.NOT_FOUND_RECENTLY_CHECKED)).isEqualTo(1);
    assertThat(heard.unknown(KeyEvents.UnknownKeyId.NOT_FOUND_COOLING_DOWN)).isEqualTo(1);
  }

  @Test
  void emptyKid_neverRemembered() {
    RemoteJwks keys = keep(remote().prefetch().build());
    assertThat(keys.resolve(header(""))).isEmpty();
    assertThat(keys.resolve(header(""))).isEmpty();
    assertThat(heard.unknown(KeyEvents.UnknownKeyId.NOT_FOUND_AFTER_REFRESH)).isEqualTo(1);
    assertThat(heard.unknown(KeyEvents.UnknownKeyId.NOT_FOUND_COOLING_DOWN)).isEqualTo(1);
    assertThat(heard.unknown(KeyEvents.UnknownKeyId.NOT_FOUND_RECENTLY_CHECKED)).isZero();
  }

  @Test
  void kidsFoundMissing_rememberedUpToTheBound_expiredOnesMakeRoom() throws Exception {
    // Each lookup finds the set expired (it lives 1 s and has no stale window), fetches it, and
    // remembers the missing kid for the hour-long cool-down. A server that answers in one write
    // keeps the 1024 fetches fast.
    try (OneWriteServer fast = new OneWriteServer(idp.jwks())) {
      RemoteJwks keys =
          keep(
              RemoteJwks.builder(fast.uri())
                  .allowPlainHttpOnLoopback()
                  .clock(clock)
                  .refreshInterval(Duration.ofSeconds(1))
                  .staleIfError(Duration.ZERO)
                  .unknownKidCooldown(Duration.ofHours(1))
                  .listener(heard)
                  .build());
      int bound = RemoteJwks.NEGATIVE_CACHE_SIZE;
      for (int i = 0; i < bound; i++) {
        clock.advance(Duration.ofSeconds(1));
        assertThat(keys.resolve(header("k" + i))).isEmpty();
      }
      assertThat(fast.requests()).isEqualTo(bound);

      // Full of kids still within their cool-down: one more is not remembered, so asking for it
      // again (the set is fresh now) costs a refresh.
      clock.advance(Duration.ofSeconds(1));
      keys.resolve(header("one-too-many"));
      keys.resolve(header("one-too-many"));
      assertThat(fast.requests()).isEqualTo(bound + 2);

      // An hour later the first half has expired: it makes room, and the rest is still known.
      clock.advance(Duration.ofHours(1).minusSeconds(bound / 2));
      keys.resolve(header("newcomer"));
      int afterNewcomer = fast.requests();
      // The unknown-kid slot is still cooling down (used an hour minus 512 s ago), so a kid that
      // was not remembered would be answered the same way without a request: the events tell
      // "remembered" from "cooling down".
      int recentlyChecked = heard.unknown(KeyEvents.UnknownKeyId.NOT_FOUND_RECENTLY_CHECKED);
      int coolingDown = heard.unknown(KeyEvents.UnknownKeyId.NOT_FOUND_COOLING_DOWN);
      keys.resolve(header("newcomer"));
      keys.resolve(header("k" + (bound - 1)));
      assertThat(fast.requests()).isEqualTo(afterNewcomer);
      assertThat(heard.unknown(KeyEvents.UnknownKeyId.NOT_FOUND_RECENTLY_CHECKED))
          .isEqualTo(recentlyChecked + 2);
      assertThat(heard.unknown(KeyEvents.UnknownKeyId.NOT_FOUND_COOLING_DOWN))
          .isEqualTo(coolingDown);
    }
  }

  @Test
  void unknownKid_joinsTheRefreshInFlight_evenWithinItsCooldown() throws Exception {
    RemoteJwks keys =
        keep(
            remote()
                .refreshInterval(Duration.ofMinutes(1))
                .unknownKidCooldown(Duration.ofMinutes(10))
                .prefetch()
                .build());
    assertThat(keys.resolve(header("x1"))).isEmpty(); // starts the unknown kids' cool-down
    TestIssuer rotated = idp.rotate();
    server.publish(rotated);
    server.delay(Duration.ofSeconds(2));

    clock.advance(Duration.ofSeconds(61));
    keys.resolve(header(idp.keyId())); // expired: a refresh starts behind it
    assertThat(kids(keys.resolve(header(rotated.keyId())))).containsExactly(rotated.keyId());
    assertThat(requests()).isEqualTo(3);
  }

  @Test
  void lookupWithoutUsableKeys_joinsARetryInFlight_evenWithinTheFailureCooldown() throws Exception {
    server.respondWith(500, "text/plain", "down");
    RemoteJwks keys =
        keep(
            remote()
                .unknownKidCooldown(Duration.ofMillis(100))
                .refreshAhead() // retries a failure after the cool-down, on real time
                .build());
    assertThat(heard.next()).isEqualTo("HTTP_STATUS");
    server.serveNormally();
    server.delay(Duration.ofSeconds(2));
    // The test clock stands still, so the failure stays within its cool-down; wait until the
    // retry has reached the server and is being held there.
    for (int i = 0; i < 1000 && requests() < 2; i++) {
      Thread.sleep(10);
    }
    assertThat(requests()).isEqualTo(2);
    assertThat(kids(keys.resolve(header(idp.keyId())))).containsExactly(idp.keyId());
  }

  @Test
  void fetchBudget_usesTheConnectTimeoutOfTheUsersClient() throws Exception {
    // Read timeout 100 ms plus the client's 10 s connect timeout: a 3 s answer is in time. (The
    // default connect timeout, 2 s, would end the fetch first.)
    server.delay(Duration.ofSeconds(3));
    RemoteJwks keys =
        keep(
            remote()
                .httpClient(
                    java.net.http.HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(10))
                        .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
                        .build())
                .readTimeout(Duration.ofMillis(100))
                .build());
    assertThat(kids(keys.resolve(header(idp.keyId())))).containsExactly(idp.keyId());
  }

  @Test
  void unknownKid_whoseRefreshFails_refusedAsUnavailable() throws Exception {
    RemoteJwks keys = keep(remote().prefetch().build());
    assertThat(heard.next()).isEqualTo("ok:1");
    server.respondWith(500, "text/plain", "down");
    assertUnavailable(keys, "rotated-in");
    assertThat(heard.next()).isEqualTo("HTTP_STATUS");
    assertThat(heard.unknown(KeyEvents.UnknownKeyId.REFRESH_FAILED)).isEqualTo(1);
    assertThat(kids(keys.resolve(header(idp.keyId())))).containsExactly(idp.keyId());
  }

  // ---------------------------------------------------------------------------------------------
  // Failures

  @Test
  void failedFirstFetch_notRetriedWithinTheCooldown_butAfterAClockSetBack() throws Exception {
    server.respondWith(500, "text/plain", "down");
    RemoteJwks keys = keep(remote().unknownKidCooldown(Duration.ofSeconds(30)).build());
    assertUnavailable(keys, idp.keyId());
    assertThat(heard.next()).isEqualTo("HTTP_STATUS");
    assertUnavailable(keys, idp.keyId());
    assertThat(requests()).isEqualTo(1);

    server.serveNormally();
    // A clock set back must not stretch the cool-down.
    clock.advance(Duration.ofMinutes(-10));
    assertThat(kids(keys.resolve(header(idp.keyId())))).containsExactly(idp.keyId());
    assertThat(requests()).isEqualTo(2);
  }

  @Test
  void interruptedWhileWaitingForKeys_refusedAsUnavailable_andStaysInterrupted() {
    server.delay(Duration.ofSeconds(2));
    RemoteJwks keys = keep(remote().build());
    Thread.currentThread().interrupt();
    try {
      assertUnavailable(keys, idp.keyId());
    } finally {
      assertThat(Thread.interrupted()).isTrue();
    }
  }

  @Test
  void failuresAndRefreshes_heardWithTheirSourceAndDuration() throws Exception {
    RemoteJwks keys =
        keep(
            remote()
                .refreshInterval(Duration.ofMinutes(5))
                .staleIfError(Duration.ofHours(1))
                .prefetch()
                .build());
    assertThat(heard.next()).isEqualTo("ok:1");
    server.respondWith(503, "text/plain", "busy");
    clock.advance(Duration.ofMinutes(6));
    keys.resolve(header(idp.keyId()));
    assertThat(heard.next()).isEqualTo("HTTP_STATUS");

    assertThat(heard.sources).containsExactly(server.jwksUri(), server.jwksUri());
    assertThat(heard.took)
        .allSatisfy(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofMinutes(1)));
  }

  @Test
  void discoveryFailures_heardFromTheMetadata_laterOnesFromTheJwksUri() throws Exception {
    server.discoveryIssuer("https://evil.example/");
    RemoteJwks.Builder discovered =
        RemoteJwks.fromIssuer(idp.issuer()).allowPlainHttpOnLoopback().clock(clock).listener(heard);
    RemoteJwks wrong = keep(discovered.build());
    assertUnavailable(wrong, idp.keyId());
    assertThat(heard.next()).isEqualTo("DISCOVERY");
    assertThat(heard.sources)
        .containsExactly(URI.create(idp.issuer() + ".well-known/openid-configuration"));

    server.serveNormally();
    Heard later = new Heard();
    RemoteJwks keys =
        keep(
            RemoteJwks.fromIssuer(idp.issuer())
                .allowPlainHttpOnLoopback()
                .clock(clock)
                .listener(later)
                .staleIfError(Duration.ofHours(1))
                .prefetch()
                .build());
    assertThat(later.next()).isEqualTo("ok:1");
    server.respondWith(500, "text/plain", "down");
    clock.advance(Duration.ofMinutes(6));
    keys.resolve(header(idp.keyId()));
    assertThat(later.next()).isEqualTo("HTTP_STATUS");
    assertThat(later.sources).containsExactly(server.jwksUri(), server.jwksUri());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"issuer\":\"ISSUER\"}",
        "{\"issuer\":\"ISSUER\",\"jwks_uri\":5}",
        "{\"issuer\":\"ISSUER\",\"jwks_uri\":\"a b\"}",
        "{\"issuer\":\"ISSUER\",\"jwks_uri\":\"ftp://idp.invalid/jwks\"}",
        "{\"issuer\":\"ISSUER\",\"jwks_uri\":\"http://idp.invalid/jwks\"}",
        "{\"issuer\":\"ISSUER\",\"jwks_uri\":\"https://user@idp.invalid/jwks\"}",
        "{\"issuer\":\"ISSUER\",\"jwks_uri\":\"https://idp.invalid/jwks#keys\"}",
        "{\"issuer\":5,\"jwks_uri\":\"https://idp.invalid/jwks\"}",
        "<html>"
      })
  void discovery_metadataWithoutAnAcceptableJwksUri_failsAsDiscovery(String metadata)
      throws Exception {
    String issuer = metadataServer(metadata);
    RemoteJwks keys =
        keep(
            RemoteJwks.fromIssuer(issuer)
                .allowPlainHttpOnLoopback()
                .clock(clock)
                .listener(heard)
                .build());
    assertUnavailable(keys, idp.keyId());
    assertThat(heard.next()).isEqualTo("DISCOVERY");
  }

  @Test
  void discovery_namingAnotherIssuer_logsWhichOne() throws Exception {
    int mark = logMark();
    String issuer = metadataServer("{\"issuer\":\"https://evil.example/\\n\",\"jwks_uri\":\"x\"}");
    keep(RemoteJwks.fromIssuer(issuer).allowPlainHttpOnLoopback().clock(clock).prefetch().build());
    assertThat(logSince(mark, "names the issuer \"https://evil.example/?\", not the configured"))
        .hasSize(1);

    String other = metadataServer("{\"jwks_uri\":\"x\"}");
    keep(RemoteJwks.fromIssuer(other).allowPlainHttpOnLoopback().clock(clock).prefetch().build());
    assertThat(logSince(mark, "names the issuer none, not the configured")).hasSize(1);
  }

  // ---------------------------------------------------------------------------------------------
  // What is logged

  @Test
  void skippedKeys_warnedOnce_thenAtDebugWhileTheSetIsUnchanged() throws Exception {
    int mark = logMark();
    server.respondWith(200, "application/jwk-set+json", setWithAnEncryptionKey(idp));
    RemoteJwks keys =
        keep(
            remote()
                .refreshInterval(Duration.ofMinutes(1))
                .staleIfError(Duration.ZERO)
                .prefetch()
                .build());
    String from = "Key set from " + server.jwksUri() + ": skipped key \"enc-1\"";
    assertThat(logSince(mark, "WARN", from)).hasSize(1);

    clock.advance(Duration.ofMinutes(1));
    keys.resolve(header(idp.keyId()));
    assertThat(requests()).isEqualTo(2);
    assertThat(logSince(mark, "WARN", from)).hasSize(1);
    assertThat(logSince(mark, "DEBUG", from)).hasSize(1);
  }

  @Test
  void initialKeySet_skippedKeysWarned() throws Exception {
    int mark = logMark();
    keep(remote().initialKeySet(setWithAnEncryptionKey(idp)).build());
    assertThat(logSince(mark, "WARN", "Key set from the initial key set: skipped key \"enc-1\""))
        .hasSize(1);
    assertThat(requests()).isZero();
  }

  @Test
  void outageAndRecovery_loggedWithTheSetsAgeAndEnd() throws Exception {
    int mark = logMark();
    String uri = server.jwksUri().toString();
    RemoteJwks keys =
        keep(
            remote()
                .refreshInterval(Duration.ofMinutes(5))
                .staleIfError(Duration.ofHours(1))
                .unknownKidCooldown(Duration.ofSeconds(30))
                .prefetch()
                .build());
    assertThat(heard.next()).isEqualTo("ok:1");
    assertThat(logSince(mark, "DEBUG", "Fetched 1 keys from " + uri + " in ")).hasSize(1);

    server.respondWith(500, "text/plain", "down");
    clock.advance(Duration.ofMinutes(6));
    keys.resolve(header(idp.keyId()));
    assertThat(heard.next()).isEqualTo("HTTP_STATUS");
    assertThat(
            logSince(
                mark,
                "WARN",
                "Refreshing keys from " + uri + " failed (HTTP_STATUS): HTTP 500 from " + uri,
                "; the key set fetched 360 s ago serves until 2026-11-27T13:05:00Z"))
        .hasSize(1);

    server.serveNormally();
    clock.advance(Duration.ofSeconds(30));
    keys.resolve(header(idp.keyId()));
    assertThat(heard.next()).isEqualTo("ok:1");
    assertThat(logSince(mark, "INFO", "Fetched 1 keys from " + uri + " again")).hasSize(1);
    assertThat(logSince(mark, "INFO", "Fetched")).hasSize(1);

    // Past the stale window the set no longer serves, and the log says so.
    server.refuseConnections();
    clock.advance(Duration.ofMinutes(66));
    assertUnavailable(keys, idp.keyId());
    assertThat(heard.next()).isEqualTo("CONNECTION");
    assertThat(
            logSince(
                mark,
                "WARN",
                "Refreshing keys from " + uri + " failed (CONNECTION): ConnectException",
                "; no usable key set, tokens are refused"))
        .hasSize(1);
  }

  @Test
  void failureWithoutAUsableSet_loggedAsRefusingTokens() throws Exception {
    int mark = logMark();
    server.respondWith(500, "text/plain", "down");
    keep(remote().prefetch().build());
    assertThat(heard.next()).isEqualTo("HTTP_STATUS");
    assertThat(
            logSince(
                mark,
                "WARN",
                "Refreshing keys from " + server.jwksUri() + " failed (HTTP_STATUS)",
                "; no usable key set, tokens are refused"))
        .hasSize(1);
  }

  @Test
  void withoutListener_nothingIsSaidOfOne() {
    int mark = logMark();
    RemoteJwks keys =
        keep(
            RemoteJwks.builder(server.jwksUri())
                .allowPlainHttpOnLoopback()
                .clock(clock)
                .prefetch()
                .build());
    keys.resolve(header("unknown"));
    assertThat(logSince(mark, LISTENER_THREW)).isEmpty();
  }

  @Test
  void listenerThatThrows_loggedOnceWhicheverMethodThrew() throws Exception {
    int mark = logMark();
    KeyEvents refreshedThrows =
        new KeyEvents() {
          @Override
          public void refreshed(URI source, int keyCount, Duration took) {
            throw new IllegalStateException("boom");
          }
        };
    RemoteJwks a =
        keep(
            RemoteJwks.builder(server.jwksUri())
                .allowPlainHttpOnLoopback()
                .clock(clock)
                .listener(refreshedThrows)
                .refreshInterval(Duration.ofSeconds(1))
                .staleIfError(Duration.ZERO)
                .prefetch()
                .build());
    assertThat(logSince(mark, LISTENER_THREW)).hasSize(1);
    clock.advance(Duration.ofSeconds(1));
    a.resolve(header(idp.keyId()));
    assertThat(requests()).isEqualTo(2);
    assertThat(logSince(mark, LISTENER_THREW)).hasSize(1);

    KeyEvents unknownThrows =
        new KeyEvents() {
          @Override
          public void unknownKeyId(UnknownKeyId outcome) {
            throw new IllegalStateException("boom");
          }
        };
    RemoteJwks b =
        keep(
            RemoteJwks.builder(server.jwksUri())
                .allowPlainHttpOnLoopback()
                .clock(clock)
                .listener(unknownThrows)
                .prefetch()
                .build());
    assertThat(logSince(mark, LISTENER_THREW)).hasSize(1);
    b.resolve(header("unknown"));
    assertThat(logSince(mark, LISTENER_THREW)).hasSize(2);

    KeyEvents failedThrows =
        new KeyEvents() {
          @Override
          public void refreshFailed(
              URI source, Failure failure, Duration took, Optional<Duration> keySetAge) {
            throw new IllegalStateException("boom");
          }
        };
    server.respondWith(500, "text/plain", "down");
    RemoteJwks c =
        keep(
            RemoteJwks.builder(server.jwksUri())
                .allowPlainHttpOnLoopback()
                .clock(clock)
                .listener(failedThrows)
                .build());
    assertUnavailable(c, idp.keyId());
    assertThat(logSince(mark, LISTENER_THREW)).hasSize(3);
  }

  // ---------------------------------------------------------------------------------------------
  // The refresh thread

  @Test
  void refreshAhead_runsOnADaemonThread_thatEndsOnClose() throws Exception {
    Set<Thread> before = refreshThreads();
    // The client completes fetches on threads that are not daemons: the refresh thread, made
    // from one of them, is a daemon only because RemoteJwks says so.
    java.util.concurrent.ExecutorService ordinary =
        java.util.concurrent.Executors.newFixedThreadPool(1);
    RemoteJwks keys =
        keep(
            RemoteJwks.builder(server.jwksUri())
                .allowPlainHttpOnLoopback()
                .httpClient(
                    java.net.http.HttpClient.newBuilder()
                        .executor(ordinary)
                        .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
                        .build())
                .listener(heard)
                .refreshInterval(Duration.ofHours(1))
                .refreshAhead()
                .build());
    executors.add(ordinary);
    assertThat(heard.next()).isEqualTo("ok:1");
    Thread thread = null;
    for (int i = 0; i < 500 && thread == null; i++) {
      Set<Thread> now = refreshThreads();
      now.removeAll(before);
      thread = now.isEmpty() ? null : now.iterator().next();
      if (thread == null) {
        Thread.sleep(10);
      }
    }
    assertThat(thread).as("the refresh thread").isNotNull();
    assertThat(thread.isDaemon()).isTrue();
    // The next refresh is due in 48 minutes, not at once and again.
    Thread.sleep(200);
    assertThat(requests()).isEqualTo(1);

    keys.close();
    thread.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(thread.isAlive()).isFalse();
  }

  @Test
  void refreshAhead_retriesAFailureAfterTheCooldown() throws Exception {
    server.respondWith(500, "text/plain", "down");
    keep(
        RemoteJwks.builder(server.jwksUri())
            .allowPlainHttpOnLoopback()
            .listener(heard)
            .unknownKidCooldown(Duration.ofMillis(100))
            .refreshAhead()
            .build());
    assertThat(heard.next()).isEqualTo("HTTP_STATUS");
    assertThat(heard.next()).isEqualTo("HTTP_STATUS");
  }

  @Test
  void withoutRefreshAhead_noRefreshThreadIsStarted() throws Exception {
    int mark = logMark();
    Set<Thread> before = refreshThreads();
    RemoteJwks keys = keep(remote().prefetch().build());
    assertThat(heard.next()).isEqualTo("ok:1");
    keys.resolve(header(idp.keyId()));
    Thread.sleep(100);
    Set<Thread> after = refreshThreads();
    after.removeAll(before);
    assertThat(after).isEmpty();
    assertThat(logSince(mark, "Finishing a key refresh failed")).isEmpty();
  }
}
