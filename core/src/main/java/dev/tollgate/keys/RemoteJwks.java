package dev.tollgate.keys;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tollgate.JwsHeader;
import dev.tollgate.JwtKey;
import dev.tollgate.JwtValidationException;
import dev.tollgate.Reason;
import dev.tollgate.internal.Json;
import dev.tollgate.internal.JsonException;
import dev.tollgate.internal.JwksDocument;
import dev.tollgate.internal.StaticKeyResolver;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trusts the keys an identity provider publishes as a JSON Web Key Set (RFC 7517) at an HTTPS URI,
 * and follows its key rotation without a restart.
 *
 * <pre>{@code
 * RemoteJwks keys = RemoteJwks.builder(URI.create("https://idp.example.com/jwks")).build();
 * JwtValidator validator =
 *     JwtValidator.builder()
 *         .algorithms(Algorithm.RS256)
 *         .issuer("https://idp.example.com/")
 *         .audience("catalog-api")
 *         .keys(keys)
 *         .build();
 * }</pre>
 *
 * <p>or, reading the JWKS URI from the issuer's OpenID Connect Discovery metadata:
 *
 * <pre>{@code
 * RemoteJwks discovered = RemoteJwks.fromIssuer("https://idp.example.com/").build();
 * }</pre>
 *
 * <p><b>How keys are kept.</b> The keys live in one immutable snapshot; a lookup of a known key is
 * a read of that snapshot and a map lookup, with no lock and no I/O. The set is fetched on first
 * use (or in {@code build()} with {@link Builder#prefetch()}) and refreshed every {@link
 * Builder#refreshInterval(Duration) refresh interval}, sooner if the response's {@code
 * Cache-Control: max-age} says so. An expired set keeps serving while one thread refreshes it in
 * the background; no request waits for a routine refresh. Only one refresh is ever in flight,
 * however many threads need one.
 *
 * <p><b>Unknown key ids.</b> A token whose {@code kid} is not in the set may be signed by a key the
 * provider just rotated in, so it may trigger a refresh and wait for it (at most the timeouts). All
 * unknown key ids share one refresh slot: at most one such refresh per {@link
 * Builder#unknownKidCooldown(Duration) cool-down}, whatever the number of distinct key ids. Each
 * such refresh reads the whole set, so a key the provider publishes during a flood of made-up key
 * ids is picked up within one cool-down. A key id that a refresh has just shown to be missing is
 * remembered for one cool-down and then answered at once, without waiting or using the slot.
 *
 * <p><b>Failures.</b> A refresh that fails (connection, timeout, status other than 200, a redirect
 * to another host, a body over the size limit, a body that is not a key set, a set without a usable
 * key) never replaces a good set: the last good set keeps serving for the {@link
 * Builder#staleIfError(Duration) stale-if-error} window after it expired, and refreshes are retried
 * at most once per cool-down. Past that window, and before any set was ever fetched, tokens are
 * refused with {@link Reason#KEYS_UNAVAILABLE}; the resolver throws nothing but {@link
 * JwtValidationException}. Keys that cannot be used ({@code use} other than {@code sig}, unknown
 * {@code kty} or {@code alg}, weak or broken material, symmetric keys, keys with private members)
 * are skipped one by one with a warning that names the key id and the reason.
 *
 * <p>An instance is thread-safe. Build one per key source and share it. It logs through SLF4J,
 * never a token or key material.
 *
 * <p><b>Security:</b> keys are read over HTTPS only (plain HTTP only to a loopback address, and
 * only with {@link Builder#allowPlainHttpOnLoopback()}); redirects are followed only to the same
 * scheme, host and port. The certificate checks are those of the {@link HttpClient}: pass your own
 * with {@link Builder#httpClient(HttpClient)} for a custom trust store or a proxy.
 *
 * @since 0.1.0
 */
public final class RemoteJwks implements KeyResolver, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteJwks.class);

  static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMinutes(5);
  static final Duration DEFAULT_UNKNOWN_KID_COOLDOWN = Duration.ofSeconds(30);
  static final Duration DEFAULT_STALE_IF_ERROR = Duration.ofHours(12);
  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(3);
  static final int DEFAULT_MAX_RESPONSE_BYTES = 512 * 1024;

  /** A {@code Cache-Control: max-age} shorter than this (or than the interval) is raised to it. */
  static final Duration MAX_AGE_FLOOR = Duration.ofSeconds(30);

  /** How many key ids the negative cache remembers at most. */
  static final int NEGATIVE_CACHE_SIZE = 1024;

  /** Longer key ids are not remembered, so the negative cache stays small. */
  static final int MAX_REMEMBERED_KID_LENGTH = 256;

  private static final long NEVER = Long.MIN_VALUE;
  private static final int METADATA_MAX_DEPTH = 8;
  private static final KeyEvents NO_EVENTS = new KeyEvents() {};

  private final @Nullable String issuer;
  private final @Nullable URI metadataUri;
  private final HttpGet http;
  private final Clock clock;
  private final long refreshMillis;
  private final long cooldownMillis;
  private final long staleMillis;
  private final long fetchBudgetNanos;
  private final boolean allowPlainHttpOnLoopback;
  private final KeyEvents events;
  private final @Nullable ScheduledThreadPoolExecutor scheduler;

  private volatile @Nullable Snapshot snapshot;
  private volatile @Nullable URI jwksUri;
  private final AtomicReference<@Nullable Fetch> inFlight = new AtomicReference<>();
  // Clock time at which an unknown key id last started a refresh.
  private final AtomicLong unknownKidRefreshAt = new AtomicLong(NEVER);
  private volatile long lastFailureAt = NEVER;
  private volatile long lastSuccessAt = NEVER;
  private volatile List<String> lastWarnings = List.of();
  private final ConcurrentHashMap<String, Long> recentlyMissing = new ConcurrentHashMap<>();
  private final AtomicBoolean listenerFailed = new AtomicBoolean();
  private final Object scheduleLock = new Object();
  private @Nullable ScheduledFuture<?> pending;
  private volatile boolean closed;

  /** One immutable key set and its lifetime, in clock milliseconds. */
  private static final class Snapshot {
    final StaticKeyResolver index;
    final String json;
    final int keyCount;
    final long fetchedAt;
    final long freshUntil;
    final long usableUntil;

    Snapshot(JwksDocument doc, long fetchedAt, long ttlMillis, long staleMillis) {
      this.index = new StaticKeyResolver(doc.keys());
      this.json = doc.json();
      this.keyCount = doc.keys().size();
      this.fetchedAt = fetchedAt;
      this.freshUntil = fetchedAt + ttlMillis;
      this.usableUntil = freshUntil + staleMillis;
    }

    boolean fresh(long now) {
      return now < freshUntil && now >= fetchedAt;
    }

    /** A clock that went back leaves the set usable, but not fresh: it is then refreshed. */
    boolean usable(long now) {
      return now < usableUntil;
    }
  }

  /** The refresh in flight: its outcome and when waiting for it ends. */
  private static final class Fetch {
    final CompletableFuture<Snapshot> result = new CompletableFuture<>();
    final long startNanos;
    final long deadlineNanos;

    Fetch(long startNanos, long budgetNanos) {
      this.startNanos = startNanos;
      this.deadlineNanos = startNanos + budgetNanos;
    }
  }

  /** A fetched key set with the lifetime its response asked for. */
  private record Fetched(JwksDocument document, URI source, long ttlMillis) {}

  private RemoteJwks(Builder b, @Nullable URI metadataUri, HttpClient client) {
    this.issuer = b.issuer;
    this.metadataUri = metadataUri;
    this.jwksUri = b.jwksUri;
    int maxBytes = b.maxResponseBytes == null ? DEFAULT_MAX_RESPONSE_BYTES : b.maxResponseBytes;
    this.http = new HttpGet(client, maxBytes);
    this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
    this.refreshMillis = or(b.refreshInterval, DEFAULT_REFRESH_INTERVAL).toMillis();
    this.cooldownMillis = or(b.unknownKidCooldown, DEFAULT_UNKNOWN_KID_COOLDOWN).toMillis();
    this.staleMillis = or(b.staleIfError, DEFAULT_STALE_IF_ERROR).toMillis();
    // A client of the user's may have no connect timeout: the budget bounds the wait regardless.
    Duration connect =
        b.httpClient == null
            ? or(b.connectTimeout, DEFAULT_CONNECT_TIMEOUT)
            : client.connectTimeout().orElse(DEFAULT_CONNECT_TIMEOUT);
    this.fetchBudgetNanos = or(b.readTimeout, DEFAULT_READ_TIMEOUT).plus(connect).toNanos();
    this.allowPlainHttpOnLoopback = b.allowPlainHttpOnLoopback;
    this.events = b.listener == null ? NO_EVENTS : b.listener;
    if (b.refreshAhead) {
      ScheduledThreadPoolExecutor s =
          new ScheduledThreadPoolExecutor(
              1,
              r -> {
                Thread t = new Thread(r, "tollgate-jwks-refresh");
                t.setDaemon(true);
                return t;
              });
      s.setRemoveOnCancelPolicy(true);
      this.scheduler = s;
    } else {
      this.scheduler = null;
    }
    JwksDocument initial = b.initialKeySet;
    if (initial != null) {
      logWarnings(initial, "the initial key set");
      this.snapshot = new Snapshot(initial, clock.millis(), 0, staleMillis);
    }
  }

  private static Duration or(@Nullable Duration value, Duration fallback) {
    return value == null ? fallback : value;
  }

  /**
   * Starts configuring keys read from a JWKS URI.
   *
   * @param jwksUri the {@code https} URI of the key set, for example the {@code jwks_uri} of the
   *     issuer's metadata
   * @return a new builder
   * @throws NullPointerException if {@code jwksUri} is null
   * @throws IllegalArgumentException if the URI is not absolute, uses another scheme than {@code
   *     https} or {@code http}, holds credentials or a fragment, or uses plain {@code http} to a
   *     host that is not loopback
   * @since 0.1.0
   */
  public static Builder builder(URI jwksUri) {
    Objects.requireNonNull(jwksUri, "jwksUri");
    String problem = UriRules.problem(jwksUri, true);
    if (problem != null) {
      throw new IllegalArgumentException("jwksUri " + problem);
    }
    return new Builder(null, jwksUri);
  }

  /**
   * Starts configuring keys found through an issuer's metadata: OpenID Connect Discovery ({@code
   * <issuer>/.well-known/openid-configuration}) by default, RFC 8414 with {@link
   * Builder#oauthAuthorizationServerMetadata()}. The metadata's {@code issuer} must equal {@code
   * issuer} exactly, and its {@code jwks_uri} must pass the same rules as a URI given to {@link
   * #builder(URI)}; otherwise no key is trusted and tokens are refused with {@link
   * Reason#KEYS_UNAVAILABLE}. The metadata is read once, with the first key fetch; it is retried
   * with the next fetch until it succeeds.
   *
   * <p>This factory has its own name rather than a {@code builder(String)} overload because its
   * argument is an issuer, not the key set's URI.
   *
   * @param issuer the issuer identifier exactly as tokens carry it in {@code iss}, an {@code https}
   *     URL without query or fragment
   * @return a new builder
   * @throws NullPointerException if {@code issuer} is null
   * @throws IllegalArgumentException if the issuer is not such a URL
   * @since 0.1.0
   */
  public static Builder fromIssuer(String issuer) {
    Objects.requireNonNull(issuer, "issuer");
    URI uri;
    try {
      uri = new URI(issuer);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("issuer is not a URL");
    }
    String problem = UriRules.problem(uri, true);
    if (problem == null && uri.getRawQuery() != null) {
      problem = "must not have a query";
    }
    if (problem != null) {
      throw new IllegalArgumentException("issuer " + problem);
    }
    return new Builder(issuer, null);
  }

  // ---------------------------------------------------------------------------------------------
  // Lookups

  /**
   * Returns the keys that may verify a token with this header, fetching or refreshing the key set
   * when needed (see the class description).
   *
   * @param header the token's checked, still unverified header
   * @return candidate keys, possibly empty
   * @throws JwtValidationException with {@code KEYS_UNAVAILABLE} when no usable key set can be had
   *     in time, or with a refresh for an unknown key id failing
   * @throws NullPointerException if {@code header} is null
   * @since 0.1.0
   */
  @Override
  public List<JwtKey> resolve(JwsHeader header) {
    Objects.requireNonNull(header, "header");
    Snapshot s = snapshot;
    long now = clock.millis();
    if (s != null && s.fresh(now)) {
      List<JwtKey> found = s.index.resolveIfKnown(header);
      if (found != null) {
        return found;
      }
    }
    try {
      return resolveSlowly(header, s, now);
    } catch (JwtValidationException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.warn("Key lookup failed unexpectedly; refusing with KEYS_UNAVAILABLE", e);
      throw unavailable();
    }
  }

  private List<JwtKey> resolveSlowly(JwsHeader header, @Nullable Snapshot current, long now) {
    Snapshot s = current;
    boolean justFetched = false;
    if (s == null || !s.usable(now)) {
      s = awaitKeys(now);
      justFetched = true;
    } else if (!s.fresh(now)) {
      refreshInBackground(now);
    }
    List<JwtKey> found = s.index.resolveIfKnown(header);
    if (found != null) {
      return found;
    }
    String kid = header.keyId().orElse("");
    if (justFetched) {
      remember(kid, clock.millis());
      unknownKeyIdEvent(KeyEvents.UnknownKeyId.NOT_FOUND_AFTER_REFRESH);
      return s.index.resolveUnknown(header);
    }
    return unknownKeyId(header, kid, s, now);
  }

  /**
   * Looks up a key id that the usable set does not have: answered at once when it was just found
   * missing or the slot is cooling down, otherwise after a refresh.
   */
  private List<JwtKey> unknownKeyId(JwsHeader header, String kid, Snapshot s, long now) {
    Long missingSince = recentlyMissing.get(kid);
    if (missingSince != null) {
      if (within(now, missingSince, cooldownMillis)) {
        unknownKeyIdEvent(KeyEvents.UnknownKeyId.NOT_FOUND_RECENTLY_CHECKED);
        return s.index.resolveUnknown(header);
      }
      recentlyMissing.remove(kid, missingSince);
    }
    Fetch fetch = inFlight.get();
    if (fetch == null) {
      long last = unknownKidRefreshAt.get();
      if (within(now, last, cooldownMillis) || !unknownKidRefreshAt.compareAndSet(last, now)) {
        unknownKeyIdEvent(KeyEvents.UnknownKeyId.NOT_FOUND_COOLING_DOWN);
        return s.index.resolveUnknown(header);
      }
      fetch = startOrJoinFetch();
    }
    Snapshot after;
    try {
      after = await(fetch);
    } catch (JwtValidationException e) {
      unknownKeyIdEvent(KeyEvents.UnknownKeyId.REFRESH_FAILED);
      throw e;
    }
    List<JwtKey> found = after.index.resolveIfKnown(header);
    if (found != null) {
      unknownKeyIdEvent(KeyEvents.UnknownKeyId.FOUND_AFTER_REFRESH);
      return found;
    }
    remember(kid, clock.millis());
    unknownKeyIdEvent(KeyEvents.UnknownKeyId.NOT_FOUND_AFTER_REFRESH);
    return after.index.resolveUnknown(header);
  }

  /** Remembers a key id that a refresh showed to be missing, within the cache's bounds. */
  private void remember(String kid, long now) {
    if (kid.isEmpty() || kid.length() > MAX_REMEMBERED_KID_LENGTH) {
      return;
    }
    if (recentlyMissing.size() >= NEGATIVE_CACHE_SIZE) {
      recentlyMissing.values().removeIf(since -> !within(now, since, cooldownMillis));
      if (recentlyMissing.size() >= NEGATIVE_CACHE_SIZE) {
        return;
      }
    }
    recentlyMissing.put(kid, now);
  }

  /**
   * Tells whether {@code now} lies in {@code [since, since + window)}; a clock that went back
   * counts as outside, so that it can never stop refreshes.
   */
  private static boolean within(long now, long since, long window) {
    return since != NEVER && now >= since && now - since < window;
  }

  /** Waits for a usable key set when there is none: cold start, or past the stale window. */
  private Snapshot awaitKeys(long now) {
    Fetch fetch = inFlight.get();
    if (fetch == null) {
      if (within(now, lastFailureAt, cooldownMillis)) {
        throw unavailable();
      }
      fetch = startOrJoinFetch();
    }
    return await(fetch);
  }

  private void refreshInBackground(long now) {
    if (inFlight.get() == null && !within(now, lastFailureAt, cooldownMillis)) {
      startOrJoinFetch();
    }
  }

  private Snapshot await(Fetch fetch) {
    // The fetch ends itself at its deadline; no waiter stays past it either.
    long wait = fetch.deadlineNanos - System.nanoTime();
    try {
      return fetch.result.get(Math.max(wait, 0), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable();
    } catch (ExecutionException | TimeoutException e) {
      throw unavailable();
    }
  }

  private static JwtValidationException unavailable() {
    return new JwtValidationException(Reason.KEYS_UNAVAILABLE);
  }

  // ---------------------------------------------------------------------------------------------
  // Refreshing

  /** Returns the refresh in flight, starting one if there is none. Never blocks. */
  private Fetch startOrJoinFetch() {
    while (true) {
      Fetch current = inFlight.get();
      if (current != null) {
        return current;
      }
      Fetch mine = new Fetch(System.nanoTime(), fetchBudgetNanos);
      if (inFlight.compareAndSet(null, mine)) {
        run(mine);
        return mine;
      }
    }
  }

  private void run(Fetch fetch) {
    CompletableFuture<Fetched> chain;
    try {
      chain = fetchChain(fetch.deadlineNanos);
    } catch (RuntimeException e) {
      chain = CompletableFuture.failedFuture(e);
    }
    var unused =
        chain
            .orTimeout(fetchBudgetNanos, TimeUnit.NANOSECONDS)
            .whenComplete((fetched, error) -> finish(fetch, fetched, error));
  }

  private CompletableFuture<Fetched> fetchChain(long deadlineNanos) {
    URI known = jwksUri;
    CompletableFuture<URI> target =
        known != null ? CompletableFuture.completedFuture(known) : discover(deadlineNanos);
    return target.thenCompose(uri -> http.get(uri, deadlineNanos)).thenApply(this::readKeySet);
  }

  private Fetched readKeySet(HttpGet.Answer answer) {
    JwksDocument doc;
    try {
      doc = JwksDocument.parse(answer.body());
    } catch (JwksDocument.NoUsableKeyException e) {
      throw new FetchException(KeyEvents.Failure.NO_USABLE_KEY, String.valueOf(e.getMessage()));
    } catch (IllegalArgumentException e) {
      throw new FetchException(KeyEvents.Failure.NOT_A_KEY_SET, "not a key set: " + e.getMessage());
    }
    return new Fetched(doc, answer.uri(), ttlMillis(answer.headers()));
  }

  /** The set's lifetime: the refresh interval, shortened by {@code Cache-Control: max-age}. */
  private long ttlMillis(HttpHeaders headers) {
    long maxAge = maxAgeSeconds(headers);
    if (maxAge < 0) {
      return refreshMillis;
    }
    long floor = Math.min(MAX_AGE_FLOOR.toMillis(), refreshMillis);
    long millis = maxAge > refreshMillis / 1000 ? refreshMillis : maxAge * 1000;
    return Math.max(floor, Math.min(millis, refreshMillis));
  }

  /**
   * Reads {@code Cache-Control}: the smallest {@code max-age} in seconds, 0 for {@code no-cache} or
   * {@code no-store}, or -1 when it says nothing about freshness.
   */
  static long maxAgeSeconds(HttpHeaders headers) {
    long result = -1;
    for (String value : headers.allValues("Cache-Control")) {
      for (String part : value.split(",", -1)) {
        String d = part.trim().toLowerCase(Locale.ROOT);
        long seconds = -1;
        if (d.equals("no-store") || d.equals("no-cache")) {
          seconds = 0;
        } else if (d.startsWith("max-age=")) {
          String v = d.substring("max-age=".length());
          if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
          }
          if (!v.isEmpty() && v.length() <= 12 && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            seconds = Long.parseLong(v);
          }
        }
        if (seconds >= 0 && (result < 0 || seconds < result)) {
          result = seconds;
        }
      }
    }
    return result;
  }

  private CompletableFuture<URI> discover(long deadlineNanos) {
    URI metadata = Objects.requireNonNull(metadataUri, "metadataUri");
    String expected = Objects.requireNonNull(issuer, "issuer");
    return http.get(metadata, deadlineNanos).thenApply(answer -> jwksUriOf(answer, expected));
  }

  private URI jwksUriOf(HttpGet.Answer answer, String expected) {
    Map<String, @Nullable Object> doc;
    try {
      doc = Json.parseObject(answer.body(), METADATA_MAX_DEPTH);
    } catch (JsonException e) {
      throw new FetchException(
          KeyEvents.Failure.DISCOVERY, "metadata at " + answer.uri() + " is not a JSON object");
    }
    Object found = doc.get("issuer");
    if (!expected.equals(found)) {
      String named =
          found instanceof String ? "\"" + JwksDocument.safe((String) found) + "\"" : "none";
      throw new FetchException(
          KeyEvents.Failure.DISCOVERY,
          "metadata at "
              + answer.uri()
              + " names the issuer "
              + named
              + ", not the configured \""
              + expected
              + "\"");
    }
    Object value = doc.get("jwks_uri");
    if (!(value instanceof String)) {
      throw new FetchException(
          KeyEvents.Failure.DISCOVERY, "metadata at " + answer.uri() + " has no jwks_uri");
    }
    String text = (String) value;
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new FetchException(
          KeyEvents.Failure.DISCOVERY, "jwks_uri \"" + JwksDocument.safe(text) + "\" is no URI");
    }
    String problem = UriRules.problem(uri, allowPlainHttpOnLoopback);
    if (problem != null) {
      throw new FetchException(
          KeyEvents.Failure.DISCOVERY, "jwks_uri " + JwksDocument.safe(text) + " " + problem);
    }
    jwksUri = uri;
    return uri;
  }

  private void finish(Fetch fetch, @Nullable Fetched fetched, @Nullable Throwable error) {
    try {
      install(fetch, fetched, error);
    } catch (RuntimeException e) {
      // Never leave a refresh in flight forever, whatever a clock or logger does.
      LOG.warn("Finishing a key refresh failed", e);
      inFlight.compareAndSet(fetch, null);
      fetch.result.completeExceptionally(e);
    }
  }

  private void install(Fetch fetch, @Nullable Fetched fetched, @Nullable Throwable error) {
    long now = clock.millis();
    Duration took = Duration.ofNanos(System.nanoTime() - fetch.startNanos);
    if (fetched != null && error == null) {
      Snapshot next;
      try {
        next = new Snapshot(fetched.document(), now, fetched.ttlMillis(), staleMillis);
      } catch (RuntimeException e) {
        fail(fetch, new FetchException(KeyEvents.Failure.NO_USABLE_KEY, "unusable key set"), took);
        return;
      }
      boolean recovered = lastFailureAt != NEVER;
      snapshot = next;
      lastSuccessAt = now;
      lastFailureAt = NEVER;
      logWarnings(fetched.document(), fetched.source().toString());
      if (recovered) {
        LOG.info("Fetched {} keys from {} again", next.keyCount, fetched.source());
      } else {
        LOG.debug("Fetched {} keys from {} in {}", next.keyCount, fetched.source(), took);
      }
      inFlight.compareAndSet(fetch, null);
      // Before the waiters resume, so that the listener hears of refreshes in order.
      refreshedEvent(fetched.source(), next.keyCount, took);
      fetch.result.complete(next);
      scheduleNext(fetched.ttlMillis() - fetched.ttlMillis() / 5);
    } else {
      fail(fetch, classify(error), took);
    }
  }

  private void fail(Fetch fetch, FetchException failure, Duration took) {
    long now = clock.millis();
    lastFailureAt = now;
    URI source = source();
    Snapshot s = snapshot;
    if (s != null && s.usable(now)) {
      LOG.warn(
          "Refreshing keys from {} failed ({}): {}; the key set fetched {} s ago serves until {}",
          source,
          failure.failure(),
          failure.getMessage(),
          Math.max(0, now - s.fetchedAt) / 1000,
          Instant.ofEpochMilli(s.usableUntil));
    } else {
      LOG.warn(
          "Refreshing keys from {} failed ({}): {}; no usable key set, tokens are refused",
          source,
          failure.failure(),
          failure.getMessage());
    }
    inFlight.compareAndSet(fetch, null);
    refreshFailedEvent(source, failure.failure(), took, s == null ? NEVER : s.fetchedAt, now);
    fetch.result.completeExceptionally(failure);
    scheduleNext(cooldownMillis);
  }

  private FetchException classify(@Nullable Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof FetchException) {
      return (FetchException) t;
    }
    if (t instanceof HttpTimeoutException || t instanceof TimeoutException) {
      return new FetchException(
          KeyEvents.Failure.TIMEOUT,
          "no answer within " + Duration.ofNanos(fetchBudgetNanos).toMillis() + " ms");
    }
    if (t instanceof IOException) {
      String message = t.getMessage();
      return new FetchException(
          KeyEvents.Failure.CONNECTION,
          t.getClass().getSimpleName()
              + (message == null ? "" : ": " + JwksDocument.safe(message)));
    }
    LOG.debug("Unexpected failure of a key refresh", t);
    return new FetchException(
        KeyEvents.Failure.CONNECTION,
        "unexpected " + (t == null ? "failure" : t.getClass().getName()));
  }

  private URI source() {
    URI known = jwksUri;
    if (known != null) {
      return known;
    }
    return Objects.requireNonNull(metadataUri, "metadataUri");
  }

  private void logWarnings(JwksDocument doc, String source) {
    List<String> warnings = doc.warnings();
    if (warnings.equals(lastWarnings)) {
      for (String w : warnings) {
        LOG.debug("Key set from {}: {}", source, w);
      }
      return;
    }
    lastWarnings = warnings;
    for (String w : warnings) {
      LOG.warn("Key set from {}: {}", source, w);
    }
  }

  private void scheduleNext(long delayMillis) {
    ScheduledThreadPoolExecutor s = scheduler;
    if (s == null || closed) {
      return;
    }
    synchronized (scheduleLock) {
      ScheduledFuture<?> p = pending;
      if (p != null) {
        p.cancel(false);
      }
      try {
        pending = s.schedule(this::refreshAhead, Math.max(delayMillis, 1), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        pending = null;
      }
    }
  }

  private void refreshAhead() {
    if (!closed) {
      startOrJoinFetch();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Events

  private void refreshedEvent(URI source, int keyCount, Duration took) {
    try {
      events.refreshed(source, keyCount, took);
    } catch (RuntimeException e) {
      listenerFailed(e);
    }
  }

  private void refreshFailedEvent(
      URI source, KeyEvents.Failure failure, Duration took, long fetchedAt, long now) {
    try {
      Optional<Duration> age =
          fetchedAt == NEVER
              ? Optional.empty()
              : Optional.of(Duration.ofMillis(Math.max(0, now - fetchedAt)));
      events.refreshFailed(source, failure, took, age);
    } catch (RuntimeException e) {
      listenerFailed(e);
    }
  }

  private void unknownKeyIdEvent(KeyEvents.UnknownKeyId outcome) {
    try {
      events.unknownKeyId(outcome);
    } catch (RuntimeException e) {
      listenerFailed(e);
    }
  }

  private void listenerFailed(RuntimeException e) {
    if (listenerFailed.compareAndSet(false, true)) {
      LOG.warn("A KeyEvents listener threw; further failures of it are not logged", e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Observation

  /**
   * Returns the age of the key set being served: the time since it was fetched, or since {@code
   * build()} for an {@link Builder#initialKeySet(String) initial key set}.
   *
   * @return the age, or empty when no key set was ever had
   * @since 0.1.0
   */
  public Optional<Duration> keySetAge() {
    Snapshot s = snapshot;
    if (s == null) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofMillis(Math.max(0, clock.millis() - s.fetchedAt)));
  }

  /**
   * Returns when a key set was last fetched successfully.
   *
   * @return the instant, by the configured clock, or empty when no fetch has succeeded yet
   * @since 0.1.0
   */
  public Optional<Instant> lastRefresh() {
    long at = lastSuccessAt;
    return at == NEVER ? Optional.empty() : Optional.of(Instant.ofEpochMilli(at));
  }

  /**
   * Returns the key set being served as a JWKS document, to save and pass to {@link
   * Builder#initialKeySet(String)} after a restart. It holds the usable keys only, with their
   * public members only.
   *
   * @return the JWKS as JSON text, or empty when no key set was ever had
   * @since 0.1.0
   */
  public Optional<String> keySetJson() {
    Snapshot s = snapshot;
    return s == null ? Optional.empty() : Optional.of(s.json);
  }

  /**
   * Stops the background refresh of {@link Builder#refreshAhead()}. Keys are still served and
   * refreshed when a lookup needs it. Does nothing without {@code refreshAhead()}; calling it again
   * does nothing.
   *
   * @since 0.1.0
   */
  @Override
  public void close() {
    closed = true;
    ScheduledThreadPoolExecutor s = scheduler;
    if (s != null) {
      s.shutdownNow();
    }
  }

  /**
   * Describes the key source by its URI and the number of keys served, without key material.
   *
   * @return a description safe to log
   */
  @Override
  public String toString() {
    Snapshot s = snapshot;
    return "RemoteJwks["
        + (issuer != null ? "issuer=" + issuer : "uri=" + jwksUri)
        + ", keys="
        + (s == null ? 0 : s.keyCount)
        + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // Builder

  /**
   * Configures a {@link RemoteJwks}. Every option has a safe default and may be set once; {@link
   * #build()} checks the whole configuration. Not thread-safe; the resolver it builds is.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(1);
    private static final Duration MAX_REFRESH_INTERVAL = Duration.ofHours(24);
    private static final Duration MIN_COOLDOWN = Duration.ofMillis(100);
    private static final Duration MAX_COOLDOWN = Duration.ofHours(1);
    private static final Duration MAX_STALE_IF_ERROR = Duration.ofDays(7);
    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(1);
    private static final int MIN_RESPONSE_BYTES = 1024;
    private static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

    private final @Nullable String issuer;
    private final @Nullable URI jwksUri;
    private @Nullable Duration refreshInterval;
    private @Nullable Duration unknownKidCooldown;
    private @Nullable Duration staleIfError;
    private @Nullable Duration connectTimeout;
    private @Nullable Duration readTimeout;
    private @Nullable Integer maxResponseBytes;
    private boolean allowPlainHttpOnLoopback;
    private @Nullable HttpClient httpClient;
    private @Nullable Clock clock;
    private boolean prefetch;
    private boolean refreshAhead;
    private boolean oauthMetadata;
    private @Nullable JwksDocument initialKeySet;
    private @Nullable KeyEvents listener;

    private Builder(@Nullable String issuer, @Nullable URI jwksUri) {
      this.issuer = issuer;
      this.jwksUri = jwksUri;
    }

    /**
     * Sets how long a fetched key set is used before it is refreshed; a response's {@code
     * Cache-Control: max-age} (or {@code no-cache}, {@code no-store}) can shorten it, down to 30
     * seconds (or this interval, if shorter), never lengthen it. Default: 5 minutes.
     *
     * <p>It bounds how long a key the provider removed keeps verifying tokens.
     *
     * @param interval between 1 second and 24 hours
     * @return this builder
     * @throws NullPointerException if {@code interval} is null
     * @throws IllegalArgumentException if {@code interval} is out of range
     * @throws IllegalStateException if the interval was already set
     * @since 0.1.0
     */
    public Builder refreshInterval(Duration interval) {
      once(refreshInterval == null, "refreshInterval");
      refreshInterval = inRange(interval, "interval", MIN_REFRESH_INTERVAL, MAX_REFRESH_INTERVAL);
      return this;
    }

    /**
     * Sets the cool-down of refreshes for unknown key ids: at most one refresh per cool-down is
     * made for tokens whose {@code kid} the key set lacks, whatever their number, and a key id
     * found missing is answered from memory for one cool-down. It is also the least time between
     * retries after a failed refresh. Default: 30 seconds.
     *
     * <p><b>Security:</b> a short cool-down lets anyone who can send tokens make this service fetch
     * from the identity provider more often.
     *
     * @param cooldown between 100 milliseconds and 1 hour
     * @return this builder
     * @throws NullPointerException if {@code cooldown} is null
     * @throws IllegalArgumentException if {@code cooldown} is out of range
     * @throws IllegalStateException if the cool-down was already set
     * @since 0.1.0
     */
    public Builder unknownKidCooldown(Duration cooldown) {
      once(unknownKidCooldown == null, "unknownKidCooldown");
      unknownKidCooldown = inRange(cooldown, "cooldown", MIN_COOLDOWN, MAX_COOLDOWN);
      return this;
    }

    /**
     * Sets how long the last good key set keeps serving after it expired while refreshes fail (an
     * outage of the identity provider). Past it, tokens are refused with {@code KEYS_UNAVAILABLE}
     * until a refresh succeeds. Default: 12 hours.
     *
     * <p><b>Security:</b> during this window a key the provider removed is still trusted; zero
     * trades availability for that.
     *
     * @param window between zero and 7 days
     * @return this builder
     * @throws NullPointerException if {@code window} is null
     * @throws IllegalArgumentException if {@code window} is out of range
     * @throws IllegalStateException if the window was already set
     * @since 0.1.0
     */
    public Builder staleIfError(Duration window) {
      once(staleIfError == null, "staleIfError");
      staleIfError = inRange(window, "window", Duration.ZERO, MAX_STALE_IF_ERROR);
      return this;
    }

    /**
     * Sets how long opening a connection may take. Default: 2 seconds. Cannot be combined with
     * {@link #httpClient(HttpClient)}: set it on that client instead.
     *
     * @param timeout more than zero, at most 1 minute
     * @return this builder
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is out of range
     * @throws IllegalStateException if the timeout was already set
     * @since 0.1.0
     */
    public Builder connectTimeout(Duration timeout) {
      once(connectTimeout == null, "connectTimeout");
      connectTimeout = positive(timeout, "timeout");
      return this;
    }

    /**
     * Sets how long reading an answer may take once connected. A refresh, discovery and redirects
     * included, takes at most the connect timeout plus this; no thread waits longer for one.
     * Default: 3 seconds.
     *
     * @param timeout more than zero, at most 1 minute
     * @return this builder
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is out of range
     * @throws IllegalStateException if the timeout was already set
     * @since 0.1.0
     */
    public Builder readTimeout(Duration timeout) {
      once(readTimeout == null, "readTimeout");
      readTimeout = positive(timeout, "timeout");
      return this;
    }

    /**
     * Sets the largest response read, in bytes; a larger one is cut off as soon as it is seen to be
     * and counts as a failed refresh. Default: 524288 (512 KiB).
     *
     * @param bytes between 1024 and 16777216
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is out of range
     * @throws IllegalStateException if the maximum was already set
     * @since 0.1.0
     */
    public Builder maxResponseBytes(int bytes) {
      once(maxResponseBytes == null, "maxResponseBytes");
      if (bytes < MIN_RESPONSE_BYTES || bytes > MAX_RESPONSE_BYTES) {
        throw new IllegalArgumentException("maxResponseBytes must be between 1024 and 16777216");
      }
      maxResponseBytes = bytes;
      return this;
    }

    /**
     * Allows plain {@code http://} to a loopback address ({@code localhost}, {@code 127.0.0.0/8},
     * {@code ::1}), for tests against a local server such as {@code
     * dev.tollgate.testing.JwksServer}. Plain HTTP to any other host is always refused. Default:
     * HTTPS only.
     *
     * <p><b>Security:</b> for tests only: keys read over plain HTTP can be replaced by anyone on
     * the path.
     *
     * @return this builder
     * @throws IllegalStateException if it was already called
     * @since 0.1.0
     */
    public Builder allowPlainHttpOnLoopback() {
      once(!allowPlainHttpOnLoopback, "allowPlainHttpOnLoopback");
      allowPlainHttpOnLoopback = true;
      return this;
    }

    /**
     * Uses this HTTP client for every request, for example one with a proxy, a custom trust store
     * or an executor of your own. It must not follow redirects ({@link HttpClient.Redirect#NEVER}):
     * this resolver follows them itself, to the same scheme, host and port only. Default: a client
     * of its own with the {@link #connectTimeout(Duration) connect timeout}, no redirects, no
     * proxy, and the JDK's default TLS settings.
     *
     * @param client the client
     * @return this builder
     * @throws NullPointerException if {@code client} is null
     * @throws IllegalArgumentException if the client follows redirects
     * @throws IllegalStateException if a client was already set
     * @since 0.1.0
     */
    public Builder httpClient(HttpClient client) {
      once(httpClient == null, "httpClient");
      Objects.requireNonNull(client, "client");
      if (client.followRedirects() != HttpClient.Redirect.NEVER) {
        throw new IllegalArgumentException(
            "the HttpClient must not follow redirects (HttpClient.Redirect.NEVER); RemoteJwks"
                + " follows them itself, to the same host only");
      }
      httpClient = client;
      return this;
    }

    /**
     * Sets the clock that decides key-set age, refresh times, cool-downs and the stale window
     * (timeouts run on real time). Default: {@link Clock#systemUTC()}.
     *
     * @param clock the clock; tests pass one they control
     * @return this builder
     * @throws NullPointerException if {@code clock} is null
     * @throws IllegalStateException if the clock was already set
     * @since 0.1.0
     */
    public Builder clock(Clock clock) {
      once(this.clock == null, "clock");
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Fetches the key set in {@link #build()}, which then waits at most the connect plus read
     * timeouts. A failure is logged and does not fail {@code build()}: tokens are refused with
     * {@code KEYS_UNAVAILABLE} until a later fetch succeeds. Default: the first lookup fetches.
     *
     * @return this builder
     * @throws IllegalStateException if it was already called
     * @since 0.1.0
     */
    public Builder prefetch() {
      once(!prefetch, "prefetch");
      prefetch = true;
      return this;
    }

    /**
     * Refreshes the key set in the background, on one daemon thread, when 80% of its lifetime has
     * passed (and after a failure, once per cool-down), so that it stays fresh without traffic.
     * Without {@link #prefetch()}, the first fetch starts in {@link #build()} without waiting.
     * {@link RemoteJwks#close()} stops it. Default: a set is refreshed when a lookup finds it
     * expired (in the background too: the lookup is answered from the expired set).
     *
     * @return this builder
     * @throws IllegalStateException if it was already called
     * @since 0.1.0
     */
    public Builder refreshAhead() {
      once(!refreshAhead, "refreshAhead");
      refreshAhead = true;
      return this;
    }

    /**
     * Reads RFC 8414 authorization server metadata ({@code /.well-known/oauth-authorization-server}
     * inserted before the issuer's path) instead of OpenID Connect Discovery. Only for {@link
     * RemoteJwks#fromIssuer(String)}. Default: OpenID Connect Discovery.
     *
     * @return this builder
     * @throws IllegalStateException if it was already called
     * @since 0.1.0
     */
    public Builder oauthAuthorizationServerMetadata() {
      once(!oauthMetadata, "oauthAuthorizationServerMetadata");
      oauthMetadata = true;
      return this;
    }

    /**
     * Starts with a key set saved earlier (from {@link RemoteJwks#keySetJson()}), so that a restart
     * during an outage of the identity provider still verifies tokens. The set is served at once
     * and refreshed on first use; if refreshes fail, it serves for the {@link
     * #staleIfError(Duration) stale-if-error} window counted from {@code build()}. Unusable keys in
     * it are skipped as in a fetched set. Default: none.
     *
     * <p><b>Security:</b> the saved set is trusted like a fetched one: keep it where only this
     * service can write.
     *
     * @param jwksJson a JWKS document
     * @return this builder
     * @throws NullPointerException if {@code jwksJson} is null
     * @throws IllegalArgumentException if it is not a JWKS with at least one usable key
     * @throws IllegalStateException if an initial key set was already set
     * @since 0.1.0
     */
    public Builder initialKeySet(String jwksJson) {
      once(initialKeySet == null, "initialKeySet");
      Objects.requireNonNull(jwksJson, "jwksJson");
      try {
        initialKeySet = JwksDocument.parse(jwksJson.getBytes(UTF_8));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("initialKeySet: " + e.getMessage());
      }
      return this;
    }

    /**
     * Sets the listener of refreshes and unknown key ids, for metrics. Default: none.
     *
     * @param listener the listener; it must be thread-safe and fast
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     * @throws IllegalStateException if a listener was already set
     * @since 0.1.0
     */
    public Builder listener(KeyEvents listener) {
      once(this.listener == null, "listener");
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Builds the resolver after checking the configuration as a whole; with {@link #prefetch()} it
     * also fetches the key set.
     *
     * @return a thread-safe resolver, unaffected by later calls on this builder
     * @throws IllegalArgumentException if the URI uses plain {@code http} without {@link
     *     #allowPlainHttpOnLoopback()}
     * @throws IllegalStateException if options conflict: {@code connectTimeout} with {@code
     *     httpClient}, or {@code oauthAuthorizationServerMetadata} without an issuer
     * @since 0.1.0
     */
    public RemoteJwks build() {
      if (connectTimeout != null && httpClient != null) {
        throw new IllegalStateException(
            "connectTimeout(...) applies to RemoteJwks's own client; set the connect timeout on"
                + " the HttpClient passed to httpClient(...) instead");
      }
      if (oauthMetadata && issuer == null) {
        throw new IllegalStateException(
            "oauthAuthorizationServerMetadata() needs RemoteJwks.fromIssuer(...), not a JWKS URI");
      }
      URI checked = jwksUri != null ? jwksUri : URI.create(Objects.requireNonNull(issuer));
      String problem = UriRules.problem(checked, allowPlainHttpOnLoopback);
      if (problem != null) {
        throw new IllegalArgumentException((jwksUri != null ? "jwksUri " : "issuer ") + problem);
      }
      URI metadata = null;
      if (issuer != null) {
        metadata =
            oauthMetadata
                ? UriRules.oauthAuthorizationServer(checked)
                : UriRules.openIdConfiguration(checked);
      }
      HttpClient client = httpClient;
      if (client == null) {
        client =
            HttpClient.newBuilder()
                .connectTimeout(or(connectTimeout, DEFAULT_CONNECT_TIMEOUT))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
      }
      RemoteJwks jwks = new RemoteJwks(this, metadata, client);
      if (prefetch) {
        jwks.prefetchNow();
      } else if (refreshAhead) {
        jwks.startOrJoinFetch();
      }
      return jwks;
    }

    private static void once(boolean unset, String option) {
      if (!unset) {
        throw new IllegalStateException(option + " was already set");
      }
    }

    private static Duration positive(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero() || value.compareTo(MAX_TIMEOUT) > 0) {
        throw new IllegalArgumentException(name + " must be more than zero and at most 1 minute");
      }
      return value;
    }

    private static Duration inRange(Duration value, String name, Duration min, Duration max) {
      Objects.requireNonNull(value, name);
      if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            name + " must be between " + describe(min) + " and " + describe(max));
      }
      return value;
    }

    private static String describe(Duration d) {
      if (d.isZero()) {
        return "zero";
      }
      if (d.toMillis() < 1000) {
        return d.toMillis() + " ms";
      }
      if (d.compareTo(Duration.ofDays(2)) >= 0) {
        return d.toDays() + " days";
      }
      if (d.compareTo(Duration.ofHours(1)) >= 0) {
        return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
      }
      if (d.compareTo(Duration.ofMinutes(1)) >= 0) {
        return d.toMinutes() + (d.toMinutes() == 1 ? " minute" : " minutes");
      }
      return d.toSeconds() + (d.toSeconds() == 1 ? " second" : " seconds");
    }
  }

  private void prefetchNow() {
    try {
      await(startOrJoinFetch());
    } catch (JwtValidationException e) {
      // Logged by the fetch; lookups retry once the cool-down has passed.
    }
  }
}
