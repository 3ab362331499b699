package dev.tollgate.keys;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtValidationException;
import dev.tollgate.JwtValidator;
import dev.tollgate.Reason;
import dev.tollgate.VerifiedJwt;
import dev.tollgate.internal.Base64Url;
import dev.tollgate.internal.Json;
import dev.tollgate.testing.JwksServer;
import dev.tollgate.testing.TestIssuer;
import java.math.BigInteger;
import java.net.URI;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link RemoteJwks} against a real HTTP server on loopback ({@link JwksServer}); every test counts
 * the requests the server received.
 */
class RemoteJwksTest {
  static final Instant START = Instant.parse("2026-11-27T12:00:00Z");
  static final String JWKS = "/jwks";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final MutableClock clock = new MutableClock(START);
  private final JwksServer server = JwksServer.start();
  private final TestIssuer idp =
      TestIssuer.builder()
          .algorithm(Algorithm.ES256)
          .issuer(server.issuerUri().toString())
          .clock(clock)
          .build();
  private final Recorder events = new Recorder();
  private final List<RemoteJwks> made = new ArrayList<>();

  RemoteJwksTest() {
    server.publish(idp);
  }

  @AfterEach
  void stop() {
    made.forEach(RemoteJwks::close);
    server.close();
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private final AtomicLong millis;

    MutableClock(Instant start) {
      this.millis = new AtomicLong(start.toEpochMilli());
    }

    void advance(Duration d) {
      millis.addAndGet(d.toMillis());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public long millis() {
      return millis.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }
  }

  /** Records refresh outcomes ("ok:<keys>" or the failure) and unknown-kid outcomes. */
  static final class Recorder implements KeyEvents {
    final BlockingQueue<String> refreshes = new LinkedBlockingQueue<>();
    final Map<UnknownKeyId, AtomicInteger> unknown = new ConcurrentHashMap<>();
    volatile Optional<Duration> lastAge = Optional.empty();

    @Override
    public void refreshed(URI source, int keyCount, Duration took) {
      refreshes.add("ok:" + keyCount);
    }

    @Override
    public void refreshFailed(
        URI source, Failure failure, Duration took, Optional<Duration> keySetAge) {
      lastAge = keySetAge;
      refreshes.add(failure.name());
    }

    @Override
    public void unknownKeyId(UnknownKeyId outcome) {
      unknown.computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet();
    }

    /** Waits for the next refresh outcome. */
    String next() throws InterruptedException {
      String s = refreshes.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(s).as("a refresh outcome within " + WAIT).isNotNull();
      return s;
    }

    int unknown(UnknownKeyId outcome) {
      AtomicInteger n = unknown.get(outcome);
      return n == null ? 0 : n.get();
    }
  }

  /** A builder for the test server's key set, on the test clock, reporting to the recorder. */
  private RemoteJwks.Builder remote() {
    return RemoteJwks.builder(server.jwksUri())
        .allowPlainHttpOnLoopback()
        .clock(clock)
        .listener(events);
  }

  private RemoteJwks keep(RemoteJwks jwks) {
    made.add(jwks);
    return jwks;
  }

  private JwtValidator validator(KeyResolver keys) {
    return JwtValidator.builder()
        .algorithms(idp.algorithm())
        .issuer(idp.issuer())
        .audience(idp.audience())
        .keys(keys)
        .clock(clock)
        .build();
  }

  static void assertRefused(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            JwtValidationException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  private static Map<String, Object> members(String jwkJson) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    Json.parseObject(jwkJson.getBytes(UTF_8), 4).forEach((k, v) -> m.put(k, v));
    return m;
  }

  private static String set(Object... keys) {
    return Json.write(Map.of("keys", List.of(keys)));
  }

  // ---------------------------------------------------------------------------------------------
  // Fetching and caching

  @Test
  void resolve_firstUse_fetchesOnceThenAnswersFromMemory() {
    RemoteJwks keys = keep(remote().build());
    JwtValidator validator = validator(keys);
    assertThat(server.requestCount()).isZero();
    assertThat(keys.keySetAge()).isEmpty();

    for (int i = 0; i < 20; i++) {
      assertThat(validator.validate(idp.validToken()).keyId()).contains(idp.keyId());
    }

    assertThat(server.requestCount(JWKS)).isEqualTo(1);
    assertThat(server.requestCount()).isEqualTo(1);
    assertThat(keys.lastRefresh()).contains(START);
    clock.advance(Duration.ofSeconds(7));
    assertThat(keys.keySetAge()).contains(Duration.ofSeconds(7));
    assertThat(keys.toString()).contains("keys=1").contains(server.jwksUri().toString());
  }

  @Test
  void resolve_manyThreadsOnFirstUse_makeOneRequest() throws Exception {
    server.delay(Duration.ofMillis(300));
    RemoteJwks keys = keep(remote().build());
    JwtValidator validator = validator(keys);
    String token = idp.validToken();
    int threads = 16;
    CyclicBarrier barrier = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<VerifiedJwt>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            pool.submit(
                () -> {
                  barrier.await();
                  return validator.validate(token);
                }));
      }
      for (Future<VerifiedJwt> r : results) {
        assertThat(r.get(10, TimeUnit.SECONDS).keyId()).contains(idp.keyId());
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(server.requestCount(JWKS)).isEqualTo(1);
  }

  @Test
  void prefetch_fetchesInBuild() {
    RemoteJwks keys = keep(remote().prefetch().build());
    assertThat(server.requestCount(JWKS)).isEqualTo(1);
    assertThat(keys.keySetJson()).get().asString().contains(idp.keyId());
    validator(keys).validate(idp.validToken());
    assertThat(server.requestCount(JWKS)).isEqualTo(1);
  }

  @Test
  void resolve_unknownKidOnFirstUse_fetchesOnlyOnce() {
    RemoteJwks keys = keep(remote().build());
    assertRefused(
        () -> validator(keys).validate(idp.token().keyId("nobody").sign()), Reason.KEY_NOT_FOUND);
    assertThat(server.requestCount(JWKS)).isEqualTo(1);
    assertThat(events.unknown(KeyEvents.UnknownKeyId.NOT_FOUND_AFTER_REFRESH)).isEqualTo(1);
  }

  @Test
  void resolve_tokenWithoutKid_triesTheKeysThatFit() {
    JwtValidator validator = validator(keep(remote().build()));
    validator.validate(idp.token().withoutHeader("kid").sign());
    assertThat(server.requestCount(JWKS)).isEqualTo(1);
  }

  @Test
  void cacheControlMaxAge_shortensTheRefreshInterval() throws Exception {
    server.cacheControl("public, max-age=60");
    RemoteJwks keys = keep(remote().refreshInterval(Duration.ofMinutes(10)).prefetch().build());
    JwtValidator validator = validator(keys);
    assertThat(events.next()).isEqualTo("ok:1");

    clock.advance(Duration.ofSeconds(59));
    validator.validate(idp.validToken());
    assertThat(server.requestCount(JWKS)).isEqualTo(1);

    clock.advance(Duration.ofSeconds(2));
    validator.validate(idp.validToken()); // served from the expired set, refreshed behind it
    assertThat(events.next()).isEqualTo("ok:1");
    assertThat(server.requestCount(JWKS)).isEqualTo(2);
  }

  // ---------------------------------------------------------------------------------------------
  // What must show: rotation

  @Test
  void rotation_keyAddedByTheProvider_acceptedWithoutRestart() {
    RemoteJwks keys = keep(remote().prefetch().build());
    JwtValidator validator = validator(keys);
    validator.validate(idp.validToken());

    TestIssuer rotated = idp.rotate();
    server.publish(rotated);
    VerifiedJwt jwt = validator.validate(rotated.validToken());

    assertThat(jwt.keyId()).contains(rotated.keyId());
    validator.validate(idp.validToken());
    assertThat(server.requestCount(JWKS)).isEqualTo(2);
    assertThat(events.unknown(KeyEvents.UnknownKeyId.FOUND_AFTER_REFRESH)).isEqualTo(1);
  }

  @Test
  void rotation_keyRemovedByTheProvider_stopsVerifyingAfterTheNextRefresh() throws Exception {
    TestIssuer rotated = idp.rotate();
    server.publish(rotated);
    RemoteJwks keys = keep(remote().refreshInterval(Duration.ofMinutes(1)).prefetch().build());
    JwtValidator validator = validator(keys);
    assertThat(events.next()).isEqualTo("ok:2");
    validator.validate(idp.validToken());

    server.publish(rotated.withoutKey(idp.keyId()));
    validator.validate(idp.validToken()); // the set is still fresh
    assertThat(server.requestCount(JWKS)).isEqualTo(1);

    clock.advance(Duration.ofSeconds(61));
    validator.validate(idp.validToken()); // the expired set serves while it is refreshed
    assertThat(events.next()).isEqualTo("ok:1");

    assertRefused(() -> validator.validate(idp.validToken()), Reason.KEY_NOT_FOUND);
    assertRefused(() -> validator.validate(idp.validToken()), Reason.KEY_NOT_FOUND);
    validator.validate(rotated.validToken());
    // The refresh, then one more for the unknown kid; the second refusal came from memory.
    assertThat(server.requestCount(JWKS)).isEqualTo(3);
    assertThat(events.unknown(KeyEvents.UnknownKeyId.NOT_FOUND_AFTER_REFRESH)).isEqualTo(1);
    assertThat(events.unknown(KeyEvents.UnknownKeyId.NOT_FOUND_RECENTLY_CHECKED)).isEqualTo(1);
  }

  // ---------------------------------------------------------------------------------------------
  // What must show: a flood of unknown kids

  @Test
  void flood_ofUnknownKids_fetchesAtMostOncePerCooldown_andStillPicksUpARealRotation()
      throws Exception {
    Duration cooldown = Duration.ofMillis(500);
    Duration flood = Duration.ofSeconds(2);
    // The flood runs on real time, so this test uses the system clock.
    TestIssuer issuer = TestIssuer.builder().algorithm(Algorithm.ES256).build();
    server.publish(issuer);
    RemoteJwks keys =
        keep(
            RemoteJwks.builder(server.jwksUri())
                .allowPlainHttpOnLoopback()
                .unknownKidCooldown(cooldown)
                .refreshInterval(Duration.ofHours(1))
                .listener(events)
                .prefetch()
                .build());
    JwtValidator remoteValidator =
        JwtValidator.builder()
            .algorithms(issuer.algorithm())
            .issuer(issuer.issuer())
            .audience(issuer.audience())
            .keys(keys)
            .build();
    remoteValidator.validate(issuer.validToken());
    int before = server.requestCount(JWKS);
    assertThat(before).isEqualTo(1);

    // Tokens with a new made-up kid each: the header changes, the rest is a real token's (the
    // kid is looked up before any signature is checked).
    String real = issuer.validToken();
    String rest = real.substring(real.indexOf('.'));
    String headerStart = "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"forged-";
    TestIssuer rotated = issuer.rotate();
    String genuine = rotated.validToken();

    int threads = 50;
    Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    CountDownLatch started = new CountDownLatch(threads);
    long floodStart = System.nanoTime();
    long end = floodStart + flood.toNanos();
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      workers.add(
          pool.submit(
              () -> {
                started.countDown();
                while (System.nanoTime() < end) {
                  String kid = UUID.randomUUID().toString();
                  String token =
                      Base64Url.encode((headerStart + kid + "\"}").getBytes(UTF_8)) + rest;
                  String outcome;
                  try {
                    remoteValidator.validate(token);
                    outcome = "accepted";
                  } catch (JwtValidationException e) {
                    outcome = e.reason().name();
                  }
                  outcomes.computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet();
                }
              }));
    }
    started.await();
    Thread.sleep(700);

    // A real rotation in the middle of the flood.
    int atPublish = server.requestCount(JWKS);
    long published = System.nanoTime();
    server.publish(rotated);
    long pickedUp = -1;
    int atPickUp = -1;
    while (System.nanoTime() < end + TimeUnit.SECONDS.toNanos(1)) {
      try {
        remoteValidator.validate(genuine);
        pickedUp = System.nanoTime() - published;
        atPickUp = server.requestCount(JWKS);
        break;
      } catch (JwtValidationException e) {
        assertThat(e.reason()).isEqualTo(Reason.KEY_NOT_FOUND);
        Thread.sleep(10);
      }
    }
    for (Future<?> w : workers) {
      w.get(30, TimeUnit.SECONDS);
    }
    pool.shutdownNow();
    int fetches = server.requestCount(JWKS) - before;
    // On a loaded machine the last validations (and the rotation check) can run past the planned
    // flood: the bound is one fetch per cool-down of the time that actually passed.
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - floodStart);

    assertThat(outcomes).containsOnlyKeys("KEY_NOT_FOUND");
    assertThat(outcomes.get("KEY_NOT_FOUND").get()).isGreaterThan(threads);
    assertThat(fetches)
        .as(
            "fetches during a %s flood (%d ms in all) with a %s cool-down",
            flood, elapsedMillis, cooldown)
        .isBetween(1, (int) (elapsedMillis / cooldown.toMillis()) + 1);
    assertThat(pickedUp).as("the rotated-in key was accepted during the flood").isPositive();
    // Picked up by the first fetch after it was published, within one cool-down (plus the
    // fetch itself, with a generous margin for a loaded machine).
    assertThat(atPickUp - atPublish).isEqualTo(1);
    assertThat(Duration.ofNanos(pickedUp)).isLessThan(cooldown.plusSeconds(1));
    assertThat(events.unknown(KeyEvents.UnknownKeyId.NOT_FOUND_COOLING_DOWN)).isPositive();
  }

  // ---------------------------------------------------------------------------------------------
  // What must show: outage

  @Test
  void outage_knownKeysVerifyUntilStaleIfErrorEnds_thenRecover() throws Exception {
    RemoteJwks keys =
        keep(
            remote()
                .refreshInterval(Duration.ofMinutes(5))
                .staleIfError(Duration.ofHours(1))
                .unknownKidCooldown(Duration.ofSeconds(30))
                .prefetch()
                .build());
    JwtValidator validator = validator(keys);
    assertThat(events.next()).isEqualTo("ok:1");
    server.refuseConnections();

    // Expired, refresh fails: the last good set keeps serving.
    clock.advance(Duration.ofMinutes(6));
    validator.validate(idp.validToken());
    assertThat(events.next()).isEqualTo("CONNECTION");
    assertThat(events.lastAge).contains(Duration.ofMinutes(6));
    clock.advance(Duration.ofMinutes(58)); // 1 h 4 min old: 5 min fresh + 1 h stale not over yet
    validator.validate(idp.validToken());
    assertThat(events.next()).isEqualTo("CONNECTION");
    assertThat(keys.keySetAge()).contains(Duration.ofMinutes(64));

    // Past the window: refused.
    clock.advance(Duration.ofMinutes(2));
    assertRefused(() -> validator.validate(idp.validToken()), Reason.KEYS_UNAVAILABLE);
    assertThat(events.next()).isEqualTo("CONNECTION");

    // Back up: within the cool-down no retry is made; after it, recovery.
    server.acceptConnections();
    assertRefused(() -> validator.validate(idp.validToken()), Reason.KEYS_UNAVAILABLE);
    assertThat(server.requestCount(JWKS)).isEqualTo(1);
    clock.advance(Duration.ofSeconds(30));
    validator.validate(idp.validToken());
    assertThat(events.next()).isEqualTo("ok:1");
    assertThat(server.requestCount(JWKS)).isEqualTo(2);
    assertThat(keys.keySetAge()).contains(Duration.ZERO);
  }

  @Test
  void outage_atFirstUse_refusedWithKeysUnavailable() throws Exception {
    server.refuseConnections();
    JwtValidator validator = validator(keep(remote().build()));
    assertRefused(() -> validator.validate(idp.validToken()), Reason.KEYS_UNAVAILABLE);
    assertThat(events.next()).isEqualTo("CONNECTION");
    assertThat(events.lastAge).isEmpty();
    server.acceptConnections();
    clock.advance(Duration.ofSeconds(30));
    validator.validate(idp.validToken());
    assertThat(server.requestCount(JWKS)).isEqualTo(1);
  }

  @Test
  void initialKeySet_servesThroughAnOutageAfterARestart() throws Exception {
    RemoteJwks first = keep(remote().prefetch().build());
    String saved = first.keySetJson().orElseThrow();
    server.refuseConnections();

    Recorder afterRestart = new Recorder();
    RemoteJwks restarted =
        keep(
            RemoteJwks.builder(server.jwksUri())
                .allowPlainHttpOnLoopback()
                .clock(clock)
                .listener(afterRestart)
                .initialKeySet(saved)
                .build());
    assertThat(restarted.keySetAge()).contains(Duration.ZERO);
    assertThat(restarted.lastRefresh()).isEmpty();
    validator(restarted).validate(idp.validToken());
    assertThat(afterRestart.next()).isEqualTo("CONNECTION");
    validator(restarted).validate(idp.validToken());
    assertThat(server.requestCount(JWKS)).isEqualTo(1);
  }

  // ---------------------------------------------------------------------------------------------
  // What must show: slow server

  @Test
  void slowServer_validationGivesUpWithinTheTimeouts() throws Exception {
    server.delay(Duration.ofSeconds(10));
    Duration connect = Duration.ofMillis(500);
    Duration read = Duration.ofSeconds(1);
    JwtValidator validator =
        validator(keep(remote().connectTimeout(connect).readTimeout(read).build()));

    long start = System.nanoTime();
    assertRefused(() -> validator.validate(idp.validToken()), Reason.KEYS_UNAVAILABLE);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(elapsed).isLessThan(connect.plus(read).plusMillis(1000));
    assertThat(events.next()).isEqualTo("TIMEOUT");
    assertThat(server.requestCount(JWKS)).isEqualTo(1);
  }

  // ---------------------------------------------------------------------------------------------
  // What must show: garbage keeps the last good set

  static Stream<Arguments> garbage() throws Exception {
    TestIssuer es = TestIssuer.create(Algorithm.ES256);
    Map<String, Object> enc = members(es.publicJwk());
    enc.put("use", "enc");
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    RSAPublicKey weak = (RSAPublicKey) g.generateKeyPair().getPublic();
    Map<String, Object> weakJwk = new LinkedHashMap<>();
    weakJwk.put("kty", "RSA");
    weakJwk.put("kid", "weak-1");
    weakJwk.put("n", Base64Url.encode(unsigned(weak.getModulus())));
    weakJwk.put("e", Base64Url.encode(unsigned(weak.getPublicExponent())));
    String oct = set(Map.of("kty", "oct", "kid", "s", "k", Base64Url.encode(new byte[64])));
    String html = "<html><body>Internal Server Error</body></html>";
    String fiveMegabytes = "{\"keys\":[]," + "\"pad\":\"" + "x".repeat(5 << 20) + "\"}";
    return Stream.of(
        garbage("HTML 500", s -> s.respondWith(500, "text/html", html), "HTTP_STATUS"),
        garbage("HTML 200", s -> s.respondWith(200, "text/html", html), "NOT_A_KEY_SET"),
        garbage(
            "invalid JSON",
            s -> s.respondWith(200, "application/json", "{\"keys\":[{\"kty\":"),
            "NOT_A_KEY_SET"),
        garbage("empty body", s -> s.respondWith(200, "application/json", ""), "NOT_A_KEY_SET"),
        garbage(
            "empty key set",
            s -> s.respondWith(200, "application/json", "{\"keys\":[]}"),
            "NOT_A_KEY_SET"),
        garbage("5 MB streamed", s -> s.respondWithOversizedBody(5 << 20), "TOO_LARGE"),
        garbage(
            "5 MB with Content-Length",
            s -> s.respondWith(200, "application/json", fiveMegabytes),
            "TOO_LARGE"),
        garbage(
            "only weak keys",
            s -> s.respondWith(200, "application/json", set(weakJwk)),
            "NO_USABLE_KEY"),
        garbage(
            "only enc keys",
            s -> s.respondWith(200, "application/json", set(enc)),
            "NO_USABLE_KEY"),
        garbage(
            "only a symmetric key",
            s -> s.respondWith(200, "application/json", oct),
            "NO_USABLE_KEY"),
        garbage("404", s -> s.respondWith(404, "text/plain", "gone"), "HTTP_STATUS"));
  }

  private static Arguments garbage(String name, Consumer<JwksServer> serve, String failure) {
    return Arguments.of(name, serve, failure);
  }

  private static byte[] unsigned(BigInteger v) {
    byte[] b = v.toByteArray();
    return b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("garbage")
  void garbageResponse_keepsTheLastGoodKeySet(
      String name, Consumer<JwksServer> serve, String failure) throws Exception {
    RemoteJwks keys = keep(remote().refreshInterval(Duration.ofMinutes(5)).prefetch().build());
    JwtValidator validator = validator(keys);
    assertThat(events.next()).isEqualTo("ok:1");
    String good = keys.keySetJson().orElseThrow();

    serve.accept(server);
    clock.advance(Duration.ofMinutes(6));
    validator.validate(idp.validToken());
    assertThat(events.next()).isEqualTo(failure);

    validator.validate(idp.validToken());
    assertThat(keys.keySetJson()).contains(good);
    assertThat(keys.keySetAge()).contains(Duration.ofMinutes(6));
    assertThat(server.requestCount(JWKS)).isEqualTo(2);
  }

  @Test
  void keySetWithSomeUnusableKeys_usesTheRest() throws Exception {
    Map<String, Object> enc = members(idp.rotate().publicJwk());
    enc.put("use", "enc");
    server.respondWith(200, "application/json", set(members(idp.publicJwk()), enc));
    JwtValidator validator = validator(keep(remote().build()));

    validator.validate(idp.validToken());
    assertRefused(() -> validator.validate(idp.rotate().validToken()), Reason.KEY_NOT_FOUND);
    assertThat(server.requestCount(JWKS)).isEqualTo(2); // the first fetch, then the unknown kid
  }

  // ---------------------------------------------------------------------------------------------
  // Redirects

  @Test
  void redirect_toTheSameHost_followed() {
    server.redirectTo("/jwks/v2");
    validator(keep(remote().build())).validate(idp.validToken());
    assertThat(server.requestCount(JWKS)).isEqualTo(1);
    assertThat(server.requestCount("/jwks/v2")).isEqualTo(1);
  }

  @Test
  void redirect_toAnotherHost_refused() throws Exception {
    // 127.0.0.1 and localhost are the same machine, but not the same host.
    server.redirectTo("http://localhost:" + server.jwksUri().getPort() + "/jwks/v2");
    JwtValidator validator = validator(keep(remote().build()));
    assertRefused(() -> validator.validate(idp.validToken()), Reason.KEYS_UNAVAILABLE);
    assertThat(events.next()).isEqualTo("REDIRECT");
    assertThat(server.requestCount(JWKS)).isEqualTo(1);
    assertThat(server.requestCount("/jwks/v2")).isZero();
  }

  @Test
  void redirect_loop_stopsAfterThreeHops() throws Exception {
    server.redirectTo("/jwks");
    JwtValidator validator = validator(keep(remote().build()));
    assertRefused(() -> validator.validate(idp.validToken()), Reason.KEYS_UNAVAILABLE);
    assertThat(events.next()).isEqualTo("REDIRECT");
    assertThat(server.requestCount(JWKS)).isEqualTo(1 + HttpGet.MAX_REDIRECTS);
  }

  // ---------------------------------------------------------------------------------------------
  // Discovery

  private RemoteJwks.Builder discovered(String issuer) {
    return RemoteJwks.fromIssuer(issuer).allowPlainHttpOnLoopback().clock(clock).listener(events);
  }

  @Test
  void discovery_openIdConfiguration_givesTheJwksUri() {
    RemoteJwks keys = keep(discovered(idp.issuer()).build());
    JwtValidator validator = validator(keys);
    validator.validate(idp.validToken());
    validator.validate(idp.validToken());

    assertThat(server.requestCount("/.well-known/openid-configuration")).isEqualTo(1);
    assertThat(server.requestCount(JWKS)).isEqualTo(1);
    assertThat(keys.toString()).contains(idp.issuer());
  }

  @Test
  void discovery_issuerWithAPath_readsMetadataWhereEachSpecPutsIt() {
    String issuer = server.issuerUri() + "tenant-a";
    TestIssuer tenant =
        TestIssuer.builder().algorithm(Algorithm.ES256).issuer(issuer).clock(clock).build();
    server.publish(tenant);

    validator(keep(discovered(issuer).build()), tenant).validate(tenant.validToken());
    assertThat(server.requestCount("/tenant-a/.well-known/openid-configuration")).isEqualTo(1);

    validator(keep(discovered(issuer).oauthAuthorizationServerMetadata().build()), tenant)
        .validate(tenant.validToken());
    assertThat(server.requestCount("/.well-known/oauth-authorization-server/tenant-a"))
        .isEqualTo(1);
    assertThat(server.requestCount(JWKS)).isEqualTo(2);
    assertThat(server.requestCount()).isEqualTo(4);
  }

  private JwtValidator validator(KeyResolver keys, TestIssuer issuer) {
    return JwtValidator.builder()
        .algorithms(issuer.algorithm())
        .issuer(issuer.issuer())
        .audience(issuer.audience())
        .keys(keys)
        .clock(clock)
        .build();
  }

  @Test
  void discovery_metadataNamingAnotherIssuer_refused() throws Exception {
    server.discoveryIssuer("https://evil.example/");
    JwtValidator validator = validator(keep(discovered(idp.issuer()).build()));

    assertRefused(() -> validator.validate(idp.validToken()), Reason.KEYS_UNAVAILABLE);
    assertThat(events.next()).isEqualTo("DISCOVERY");
    assertThat(server.requestCount("/.well-known/openid-configuration")).isEqualTo(1);
    assertThat(server.requestCount(JWKS)).isZero();
  }

  @Test
  void discovery_issuerDifferingOnlyInTheTrailingSlash_refused() throws Exception {
    String withoutSlash = idp.issuer().substring(0, idp.issuer().length() - 1);
    JwtValidator validator = validator(keep(discovered(withoutSlash).build()));
    assertRefused(() -> validator.validate(idp.validToken()), Reason.KEYS_UNAVAILABLE);
    assertThat(events.next()).isEqualTo("DISCOVERY");
    assertThat(server.requestCount(JWKS)).isZero();
  }

  @Test
  void plainHttpToANonLoopbackHost_refusedBeforeAnyRequest() {
    assertThatThrownBy(
            () ->
                RemoteJwks.builder(URI.create("http://idp.example.com/jwks"))
                    .allowPlainHttpOnLoopback()
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not loopback");
    assertThatThrownBy(() -> RemoteJwks.fromIssuer("http://idp.example.com/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not loopback");
    assertThatThrownBy(() -> RemoteJwks.builder(server.jwksUri()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("allowPlainHttpOnLoopback");
    assertThat(server.requestCount()).isZero();
  }

  // ---------------------------------------------------------------------------------------------
  // Background refresh, events, misc

  @Test
  void refreshAhead_refreshesWithoutTraffic_untilClosed() throws Exception {
    RemoteJwks keys =
        keep(
            RemoteJwks.builder(server.jwksUri())
                .allowPlainHttpOnLoopback()
                .refreshInterval(Duration.ofSeconds(1))
                .listener(events)
                .refreshAhead()
                .build());
    assertThat(events.next()).isEqualTo("ok:1");
    assertThat(events.next()).isEqualTo("ok:1");
    keys.close();
    keys.close();
    int atClose = server.requestCount(JWKS);
    assertThat(events.refreshes.poll(1500, TimeUnit.MILLISECONDS)).isNull();
    assertThat(server.requestCount(JWKS)).isBetween(2, 3).isEqualTo(atClose);
    // Still serves, and refreshes on demand.
    validator(keys, idp).validate(idp.validToken());
  }

  @Test
  void listenerThatThrows_neverBreaksLookups() {
    KeyEvents broken =
        new KeyEvents() {
          @Override
          public void refreshed(URI source, int keyCount, Duration took) {
            throw new IllegalStateException("boom");
          }

          @Override
          public void unknownKeyId(UnknownKeyId outcome) {
            throw new IllegalStateException("boom");
          }
        };
    RemoteJwks keys =
        keep(
            RemoteJwks.builder(server.jwksUri())
                .allowPlainHttpOnLoopback()
                .clock(clock)
                .listener(broken)
                .build());
    JwtValidator validator = validator(keys);
    validator.validate(idp.validToken());
    assertRefused(() -> validator.validate(idp.token().keyId("x").sign()), Reason.KEY_NOT_FOUND);
    assertThat(server.requestCount(JWKS)).isEqualTo(2);
  }

  @Test
  void resolve_nullHeader_throwsNullPointer() {
    RemoteJwks keys = keep(remote().build());
    assertThatThrownBy(() -> keys.resolve(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("header");
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void javadocExamples_build() {
    RemoteJwks keys = RemoteJwks.builder(URI.create("https://idp.example.com/jwks")).build();
    JwtValidator validator =
        JwtValidator.builder()
            .algorithms(Algorithm.RS256)
            .issuer("https://idp.example.com/")
            .audience("catalog-api")
            .keys(keys)
            .build();
    assertThat(validator.toString()).contains("idp.example.com");

    RemoteJwks discovered = RemoteJwks.fromIssuer("https://idp.example.com/").build();
    assertThat(discovered.keySetAge()).isEmpty();

    AtomicInteger failures = new AtomicInteger();
    KeyEvents events =
        new KeyEvents() {
          @Override
          public void refreshFailed(
              URI source, Failure failure, Duration took, Optional<Duration> keySetAge) {
            failures.incrementAndGet();
          }
        };
    events.refreshFailed(
        URI.create("https://x/"), KeyEvents.Failure.TIMEOUT, Duration.ZERO, Optional.empty());
    assertThat(failures).hasValue(1);
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void readmeExample_builds() {
    RemoteJwks keys =
        RemoteJwks.fromIssuer("https://idp.example.com/")
            .staleIfError(Duration.ofHours(6))
            .listener(events)
            .build();
    JwtValidator validator =
        JwtValidator.builder()
            .algorithms(Algorithm.RS256)
            .issuer("https://idp.example.com/")
            .audience("catalog-api")
            .keys(keys)
            .build();
    assertThat(validator.toString()).contains("catalog-api");
    assertThat(server.requestCount()).isZero();
  }
}
