package dev.tollgate;

import dev.tollgate.internal.Base64Url;
import dev.tollgate.internal.Json;
import dev.tollgate.internal.JsonException;
import dev.tollgate.internal.JsonMembers;
import dev.tollgate.internal.StaticKeyResolver;
import dev.tollgate.keys.KeyResolver;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates signed JWTs (compact JWS) against a fixed policy: the allowed algorithms, the trusted
 * keys, the issuer, the audience and the token's lifetime. Build one at start-up with {@link
 * #builder()} and share it: it is immutable and thread-safe.
 *
 * <pre>{@code
 * JwtValidator validator =
 *     JwtValidator.builder()
 *         .algorithms(Algorithm.RS256)
 *         .issuer("https://idp.example.com/")
 *         .audience("catalog-api")
 *         .keys(KeyResolver.pem(pemText))
 *         .build();
 * VerifiedJwt jwt = validator.validate(token); // or JwtValidationException
 * }</pre>
 *
 * <p>Checks run cheapest first and the claims are parsed only once the signature verified: length,
 * header (three segments; the first canonical base64url of strict JSON, {@code alg} in the
 * allow-list, {@code typ}, no {@code crit}, no {@code b64: false}), payload and signature as
 * canonical base64url, key lookup (a key that fits the algorithm and is strong enough), signature,
 * then claims ({@code iss}, {@code aud}, {@code exp}, {@code nbf}, {@code iat}, maximum age,
 * required claims, claim checks).
 *
 * @since 0.1.0
 */
public final class JwtValidator {
  /** Deepest JSON accepted in a header. */
  static final int HEADER_MAX_DEPTH = 8;

  /** Deepest JSON accepted in a claims set. */
  static final int CLAIMS_MAX_DEPTH = 32;

  /** The last instant a NumericDate may name: 9999-12-31T23:59:59Z. */
  static final long MAX_NUMERIC_DATE = 253_402_300_799L;

  /**
   * What {@link #numericDate} returns for a value that is no NumericDate (all valid ones are 0 or
   * more).
   */
  private static final long INVALID_DATE = -1;

  private static final Logger LOG = LoggerFactory.getLogger(JwtValidator.class);
  private static final Set<String> DEFAULT_TYPES = Set.of("jwt", "at+jwt");
  private static final List<String> ACCESS_TOKEN_CLAIMS =
      List.of("iss", "exp", "aud", "sub", "client_id", "iat", "jti");

  private final Set<Algorithm> algorithms;
  private final Set<String> issuers;
  private final Set<String> audiences;

  /**
   * The allowed algorithms, issuers and audiences again, each with its UTF-8 name at the same
   * index.
   */
  private final Algorithm[] algorithmList;

  private final byte[][] algorithmBytes;

  private final String[] issuerList;

  /** Null when the set is compared as strings instead (see {@link #utf8(String[])}). */
  private final byte @Nullable [][] issuerBytes;

  private final String[] audienceList;
  private final byte @Nullable [][] audienceBytes;
  private final KeyResolver keys;
  private final Clock clock;
  private final long skewMillis;
  private final long maxAgeMillis;
  private final Set<String> types;
  private final boolean typeRequired;
  private final List<String> requiredClaims;
  private final Map<String, Predicate<Object>> claimChecks;
  private final int minimumRsaKeyBits;
  private final int maxTokenLength;
  private final @Nullable ValidationEvents events;
  private final @Nullable VerifiedTokenCache cache;
  private final AtomicBoolean listenerFailed = new AtomicBoolean();

  private static final int RECENT_HEADERS = 4;

  /** The longest header segment remembered, accepted or refused. */
  static final int REMEMBERED_HEADER_MAX = 2048;

  private final AtomicReferenceArray<@Nullable RecentHeader> recentHeaders =
      new AtomicReferenceArray<>(RECENT_HEADERS);
  // Which slot the next new header takes; races only pick another slot.
  private int nextRecent;

  /**
   * Recently refused header segments and why (kept apart, so bad headers never evict good ones).
   */
  private final AtomicReferenceArray<@Nullable RefusedHeader> refusedHeaders =
      new AtomicReferenceArray<>(RECENT_HEADERS);

  private int nextRefused;

  private JwtValidator(Builder b) {
    this.algorithms =
        Collections.unmodifiableSet(EnumSet.copyOf(Objects.requireNonNull(b.algorithms)));
    this.issuers = Set.copyOf(Objects.requireNonNull(b.issuers));
    this.audiences = Set.copyOf(Objects.requireNonNull(b.audiences));
    this.algorithmList = algorithms.toArray(new Algorithm[0]);
    this.algorithmBytes = new byte[algorithmList.length][];
    for (int i = 0; i < algorithmList.length; i++) {
      algorithmBytes[i] = algorithmList[i].jwaName().getBytes(StandardCharsets.UTF_8);
    }
    this.issuerList = issuers.toArray(new String[0]);
    this.issuerBytes = utf8(issuerList);
    this.audienceList = audiences.toArray(new String[0]);
    this.audienceBytes = utf8(audienceList);
    this.keys = Objects.requireNonNull(b.keys);
    this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
    this.skewMillis = b.clockSkew == null ? 60_000 : b.clockSkew.toMillis();
    this.maxAgeMillis = b.maxTokenAge == null ? -1 : b.maxTokenAge.toMillis();
    Set<String> wantedTypes = b.types;
    if (b.accessTokenProfile) {
      wantedTypes = Set.of("at+jwt");
    }
    this.typeRequired = wantedTypes != null;
    this.types = wantedTypes == null ? DEFAULT_TYPES : Set.copyOf(wantedTypes);
    LinkedHashSet<String> required = new LinkedHashSet<>(b.requiredClaims);
    if (b.accessTokenProfile) {
      required.addAll(ACCESS_TOKEN_CLAIMS);
    }
    this.requiredClaims = List.copyOf(required);
    this.claimChecks = Collections.unmodifiableMap(new LinkedHashMap<>(b.claimChecks));
    this.minimumRsaKeyBits = b.minimumRsaKeyBits == null ? 2048 : b.minimumRsaKeyBits;
    this.maxTokenLength = b.maxTokenLength == null ? 16 * 1024 : b.maxTokenLength;
    this.events = b.listener;
    this.cache = b.cacheEntries == null ? null : new VerifiedTokenCache(b.cacheEntries);
  }

  /**
   * The UTF-8 encodings of a few configured strings, which claims are compared with in place; null
   * for more than {@link #COMPARED_IN_PLACE} strings (a set lookup is then cheaper) or when one is
   * not well-formed UTF-16 (its encoding would hold a replacement character a token could match).
   */
  private static byte @Nullable [][] utf8(String[] texts) {
    if (texts.length > COMPARED_IN_PLACE) {
      return null;
    }
    byte[][] bytes = new byte[texts.length][];
    for (int i = 0; i < texts.length; i++) {
      bytes[i] = texts[i].getBytes(StandardCharsets.UTF_8);
      if (!new String(bytes[i], StandardCharsets.UTF_8).equals(texts[i])) {
        return null;
      }
    }
    return bytes;
  }

  private static final int COMPARED_IN_PLACE = 4;

  /**
   * Starts configuring a validator. Nothing is accepted by default: {@code algorithms}, {@code
   * issuer}, {@code audience} and {@code keys} must be given.
   *
   * @return a new builder
   * @since 0.1.0
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Validates a token and returns its verified claims.
   *
   * @param token a compact JWS (three base64url segments), for example from an {@code
   *     Authorization: Bearer} header
   * @return the verified token
   * @throws JwtValidationException if any check fails; its {@link JwtValidationException#reason()}
   *     says which
   * @throws NullPointerException if {@code token} is null
   * @since 0.1.0
   */
  public VerifiedJwt validate(String token) {
    // The checks return their outcome and only this method throws: a throw costs about 0.13 µs
    // for each compiled frame it unwinds, more than most refusals cost to decide.
    ValidationEvents listener = events;
    if (listener == null) {
      Object outcome = outcome(token);
      if (outcome instanceof VerifiedJwt jwt) {
        return jwt;
      }
      throw refusal(outcome, token);
    }
    long start = System.nanoTime();
    Object outcome = outcome(token);
    if (outcome instanceof VerifiedJwt jwt) {
      acceptedEvent(listener, start);
      return jwt;
    }
    JwtValidationException refusal = refusal(outcome, token);
    refusedEvent(listener, refusal.reason(), start);
    throw refusal;
  }

  /** The exception for a refused outcome: a {@link Reason} or a {@link ResolverFailure}. */
  private static JwtValidationException refusal(Object outcome, String token) {
    if (outcome instanceof Reason reason) {
      return refuse(reason, token);
    }
    ResolverFailure failure = (ResolverFailure) outcome;
    return new JwtValidationException(failure.reason, token, failure.cause);
  }

  /** A key resolver's failure, kept as the refusal's cause. */
  private static final class ResolverFailure {
    final Reason reason;
    final @Nullable Throwable cause;

    ResolverFailure(Reason reason, @Nullable Throwable cause) {
      this.reason = reason;
      this.cause = cause;
    }
  }

  private void acceptedEvent(ValidationEvents listener, long start) {
    try {
      listener.accepted(Duration.ofNanos(System.nanoTime() - start));
    } catch (RuntimeException e) {
      listenerFailed(e);
    }
  }

  private void refusedEvent(ValidationEvents listener, Reason reason, long start) {
    try {
      listener.refused(reason, Duration.ofNanos(System.nanoTime() - start));
    } catch (RuntimeException e) {
      listenerFailed(e);
    }
  }

  private void listenerFailed(RuntimeException e) {
    if (listenerFailed.compareAndSet(false, true)) {
      LOG.warn("A ValidationEvents listener threw; further failures of it are not logged", e);
    }
  }

  /**
   * Validates a token: returns the {@link VerifiedJwt}, or the {@link Reason} it is refused for, or
   * (when the key resolver failed) a {@link ResolverFailure}.
   */
  private Object outcome(String token) {
    Objects.requireNonNull(token, "token");
    if (token.length() > maxTokenLength) {
      return Reason.TOO_LARGE;
    }
    Scratch scratch = Scratch.acquire();
    try {
      VerifiedTokenCache c = cache;
      VerifiedTokenCache.Digest digest = null;
      byte[] text = null;
      if (c != null) {
        text = latin1(token);
        digest = VerifiedTokenCache.digest(text, scratch.sha256(), scratch.digestBytes);
        VerifiedTokenCache.Entry hit = c.get(digest, clock.millis(), keys);
        if (hit != null && (claimChecks.isEmpty() || claimChecksPass(hit.jwt))) {
          return hit.jwt;
        }
      }
      Object jws = verifyJws(token, text, scratch);
      if (!(jws instanceof JwsHeader header)) {
        return jws;
      }
      JsonMembers claims = scratch.members;
      try {
        Json.index(scratch.payload, 0, scratch.payloadLength, CLAIMS_MAX_DEPTH, claims);
      } catch (JsonException e) {
        return Reason.MALFORMED;
      }
      long now = clock.millis();
      Reason refused = checkClaims(claims, now, scratch);
      if (refused != null) {
        return refused;
      }
      String issuer = Objects.requireNonNull(scratch.issuer);
      VerifiedJwt jwt =
          new VerifiedJwt(
              header.algorithm(),
              header.rawKeyId(),
              header.rawType(),
              issuer,
              claims.copy(),
              scratch.expMillis);
      if (c != null && digest != null) {
        JwtKey key = Objects.requireNonNull(scratch.verifiedBy);
        c.put(
            digest,
            new VerifiedTokenCache.Entry(
                jwt, header, key, scratch.validFromMillis, scratch.validUntilMillis),
            now);
      }
      return jwt;
    } finally {
      scratch.release();
    }
  }

  /** Tells whether this validator accepts tokens of this issuer (for routing by issuer). */
  boolean acceptsIssuer(String issuer) {
    return issuers.contains(issuer);
  }

  /** The verified-token cache, which tests inspect. */
  VerifiedTokenCache verifiedTokenCacheForTests() {
    return Objects.requireNonNull(cache, "no verifiedTokenCache configured");
  }

  /** The longest token this validator reads (for routing by issuer). */
  int maxTokenLength() {
    return maxTokenLength;
  }

  /** A JWS whose signature verified; its payload is still unread bytes. */
  static final class Verified {
    final JwsHeader header;
    final byte[] payload;

    Verified(JwsHeader header, byte[] payload) {
      this.header = header;
      this.payload = payload;
    }
  }

  /**
   * Runs every check up to and including the signature, but reads no claims: the JWS layer alone
   * (for the JWS conformance tests).
   */
  Verified verifyJws(String token) {
    Objects.requireNonNull(token, "token");
    if (token.length() > maxTokenLength) {
      throw refuse(Reason.TOO_LARGE, token);
    }
    Scratch scratch = new Scratch();
    Object jws = verifyJws(token, null, scratch);
    if (!(jws instanceof JwsHeader header)) {
      throw refusal(jws, token);
    }
    return new Verified(header, Arrays.copyOf(scratch.payload, scratch.payloadLength));
  }

  /**
   * Per-thread buffers for one validation: the token's characters, the signing input as bytes, the
   * decoded payload and the digest engine. A validation borrows its thread's buffers and gives them
   * back; a nested validation on the same thread (a key resolver or claim check that validates a
   * token itself) gets buffers of its own. Buffers that grow beyond {@link #RETAINED_BYTES} are not
   * kept.
   */
  private static final class Scratch {
    static final int RETAINED_BYTES = 16 * 1024;
    private static final ThreadLocal<Scratch> PER_THREAD = ThreadLocal.withInitial(Scratch::new);

    byte[] input = new byte[1024];
    char[] chars = new char[1024];
    byte[] payload = new byte[1024];
    final byte[] digestBytes = new byte[32];
    int payloadLength;

    /** The members of the header, then of the claims, as the JSON reader found them. */
    final JsonMembers members = new JsonMembers();

    /** The key whose signature check passed. */
    @Nullable JwtKey verifiedBy;

    /** The configured issuer the claims name, once they passed. */
    @Nullable String issuer;

    /** The claims' expiry, and the window in which every time check passes [from, until). */
    long expMillis;

    long validFromMillis;
    long validUntilMillis;
    private @Nullable MessageDigest sha256;
    private boolean busy;

    MessageDigest sha256() {
      MessageDigest d = sha256;
      if (d == null) {
        d = VerifiedTokenCache.newSha256();
        sha256 = d;
      }
      return d;
    }

    static Scratch acquire() {
      Scratch s = PER_THREAD.get();
      if (s.busy) {
        s = new Scratch();
      }
      s.busy = true;
      return s;
    }

    void release() {
      busy = false;
      verifiedBy = null;
      issuer = null;
      if (input.length > RETAINED_BYTES) {
        input = new byte[1024];
      }
      if (chars.length > RETAINED_BYTES / 2) {
        chars = new char[1024];
      }
      if (payload.length > RETAINED_BYTES) {
        payload = new byte[1024];
        // It indexed the dropped buffer; keep it from holding on to it.
        members.clear();
      }
    }

    byte[] input(int length) {
      if (input.length < length) {
        input = new byte[Math.max(length, 2 * input.length)];
      }
      return input;
    }

    char[] chars(int length) {
      if (chars.length < length) {
        chars = new char[Math.max(length, 2 * chars.length)];
      }
      return chars;
    }

    byte[] payload(int length) {
      if (payload.length < length) {
        // Room after the bytes lets the decoder store its last groups eight bytes at a time.
        payload = new byte[Math.max(length + 8, 2 * payload.length)];
      }
      return payload;
    }
  }

  /**
   * Runs every check up to and including the signature; leaves the decoded payload in {@code
   * scratch}. Order: length, the three segments, the header (decoded and checked, or found among
   * the recently accepted ones), the payload and signature as canonical base64url, the key, the
   * signature.
   *
   * @param latin1 the token as {@link #latin1(String)} gave it, or null
   * @return the checked header, or why the token is refused (a {@link Reason} or a {@link
   *     ResolverFailure})
   */
  private Object verifyJws(String token, byte @Nullable [] latin1, Scratch scratch) {
    int length = token.length();
    int dot1 = token.indexOf('.');
    int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    // An empty payload or signature is well-formed (zero bytes): an empty signature fails later,
    // at the algorithm (none) or at the signature; an empty payload is not a claims set.
    if (dot1 <= 0 || dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) {
      return Reason.MALFORMED;
    }
    // Everything is read from a copy of the characters: bulk copies, then loops over an array
    // (and vectorized comparisons of remembered headers), cost less than reading each character
    // from the string. The rest is copied once the header passed: a refused header costs the same
    // however long the token.
    char[] chars = scratch.chars(length);
    token.getChars(0, dot1, chars, 0);
    Object checked = checkedHeader(chars, dot1, scratch);
    if (!(checked instanceof JwsHeader jwsHeader)) {
      return checked;
    }
    token.getChars(dot1, length, chars, dot1);
    int payloadChars = dot2 - dot1 - 1;
    int payloadLength = Base64Url.decodedLength(payloadChars);
    byte[] signature = new byte[Math.max(0, Base64Url.decodedLength(length - dot2 - 1))];
    if (payloadLength < 0
        || Base64Url.decode(chars, dot1 + 1, payloadChars, scratch.payload(payloadLength)) < 0
        || Base64Url.decode(chars, dot2 + 1, length - dot2 - 1, signature) < 0) {
      return Reason.MALFORMED;
    }
    scratch.payloadLength = payloadLength;
    // Every character before dot2 is now known to be ASCII (a base64url character or the dot):
    // the header matched an accepted header character for character or decoded, and the payload
    // decoded. So the low byte of each character is exact.
    byte[] input = latin1;
    if (input == null) {
      input = scratch.input(dot2);
      copyAscii(token, dot2, input);
    }
    Object verified = verifySignature(jwsHeader, input, dot2, signature);
    if (!(verified instanceof JwtKey key)) {
      return verified;
    }
    scratch.verifiedBy = key;
    return jwsHeader;
  }

  @SuppressWarnings("deprecation") // exact for ASCII text, which is all the caller passes
  private static void copyAscii(String text, int length, byte[] into) {
    text.getBytes(0, length, into, 0);
  }

  /**
   * The token's characters as bytes, one each, for the verified-token cache's digest: exact for
   * ASCII; a character above U+00FF becomes {@code ?} and one from U+0080 to U+00FF a byte above
   * 0x7f, neither of which a valid token contains. One bulk copy, where testing each character
   * would cost more than the digest.
   */
  static byte[] latin1(String token) {
    return token.getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * Decodes and checks the header segment {@code chars[0, end)}. A few recently accepted header
   * segments are remembered character for character: tokens of one issuer share their header, so
   * the common case skips decoding and parsing. A few recently refused segments are remembered too,
   * with their reason, so a client (or attacker) repeating a bad header costs a comparison. The
   * header checks depend only on the segment and this validator's fixed policy, and a hit requires
   * the identical characters, so the outcome is the same as parsing again.
   */
  private Object checkedHeader(char[] chars, int end, Scratch scratch) {
    for (int i = 0; i < RECENT_HEADERS; i++) {
      RecentHeader r = recentHeaders.get(i);
      if (r != null && sameSegment(r.segment, chars, end)) {
        return r.header;
      }
    }
    for (int i = 0; i < RECENT_HEADERS; i++) {
      RefusedHeader r = refusedHeaders.get(i);
      if (r != null && sameSegment(r.segment, chars, end)) {
        return r.reason;
      }
    }
    Object outcome = checkHeader(chars, end, scratch);
    // Long segments are not kept: real headers are a few hundred characters, and a validator
    // should not hold on to megabytes an attacker sent.
    boolean keep = end <= REMEMBERED_HEADER_MAX;
    if (outcome instanceof Reason reason) {
      if (keep) {
        refusedHeaders.lazySet(
            nextRefused++ & (RECENT_HEADERS - 1),
            new RefusedHeader(Arrays.copyOf(chars, end), reason));
      }
      return reason;
    }
    JwsHeader checked = (JwsHeader) outcome;
    if (keep) {
      recentHeaders.set(
          nextRecent++ & (RECENT_HEADERS - 1),
          new RecentHeader(Arrays.copyOf(chars, end), checked));
    }
    return checked;
  }

  /**
   * Decodes and checks a header segment: returns the {@link JwsHeader} or the {@link Reason}. The
   * header is decoded into the payload buffer, which is free until the header passed.
   */
  private Object checkHeader(char[] chars, int end, Scratch scratch) {
    int headerLength = Base64Url.decodedLength(end);
    if (headerLength < 0) {
      return Reason.MALFORMED;
    }
    byte[] headerBytes = scratch.payload(headerLength);
    if (Base64Url.decode(chars, 0, end, headerBytes) < 0) {
      return Reason.MALFORMED;
    }
    JsonMembers header = scratch.members;
    try {
      Json.index(headerBytes, 0, headerLength, HEADER_MAX_DEPTH, header);
    } catch (JsonException e) {
      return Reason.MALFORMED;
    }
    int algMember = header.member(JsonMembers.ALG);
    if (algMember < 0 || !header.isString(algMember)) {
      return Reason.MALFORMED;
    }
    Algorithm alg = algorithm(header, algMember);
    if (alg == null) {
      return Reason.ALGORITHM_NOT_ALLOWED;
    }
    int kidMember = header.member(JsonMembers.KID);
    int typMember = header.member(JsonMembers.TYP);
    if (!stringOrNull(header, kidMember) || !stringOrNull(header, typMember)) {
      return Reason.MALFORMED;
    }
    String typ = present(header, typMember) ? header.string(typMember) : null;
    if (!typeAccepted(typ)) {
      return Reason.TYPE_MISMATCH;
    }
    int b64 = header.member(JsonMembers.B64);
    if (header.member(JsonMembers.CRIT) >= 0
        || (b64 >= 0 && header.kind(b64) != JsonMembers.TRUE)) {
      return Reason.UNSUPPORTED_CRITICAL_HEADER;
    }
    String kid = present(header, kidMember) ? header.string(kidMember) : null;
    return new JwsHeader(alg, kid, typ);
  }

  /** The allowed algorithm the string member {@code i} names, or null. */
  private @Nullable Algorithm algorithm(JsonMembers header, int i) {
    for (int k = 0; k < algorithmList.length; k++) {
      Algorithm a = algorithmList[k];
      if (header.stringEquals(i, algorithmBytes[k], a.jwaName())) {
        return a;
      }
    }
    return null;
  }

  /** Whether member {@code i} is present with a value other than {@code null}. */
  private static boolean present(JsonMembers members, int i) {
    return i >= 0 && members.kind(i) != JsonMembers.NULL;
  }

  /** Whether member {@code i} is absent, {@code null} or a string. */
  private static boolean stringOrNull(JsonMembers members, int i) {
    return !present(members, i) || members.isString(i);
  }

  /** Whether {@code chars[0, end)} is {@code segment}, compared vectorized. */
  private static boolean sameSegment(char[] segment, char[] chars, int end) {
    return segment.length == end && Arrays.equals(segment, 0, end, chars, 0, end);
  }

  private static final class RecentHeader {
    final char[] segment;
    final JwsHeader header;

    RecentHeader(char[] segment, JwsHeader header) {
      this.segment = segment;
      this.header = header;
    }
  }

  private static final class RefusedHeader {
    final char[] segment;
    final Reason reason;

    RefusedHeader(char[] segment, Reason reason) {
      this.segment = segment;
      this.reason = reason;
    }
  }

  private boolean typeAccepted(@Nullable String typ) {
    if (typ == null) {
      return !typeRequired;
    }
    return types.contains(normalizeType(typ));
  }

  /** Lower-cases a media type and drops an {@code application/} prefix (RFC 7515 §4.1.9). */
  static String normalizeType(String typ) {
    String t = typ.toLowerCase(Locale.ROOT);
    if (t.startsWith("application/") && t.indexOf('/', "application/".length()) < 0) {
      return t.substring("application/".length());
    }
    return t;
  }

  /**
   * Returns the key that verified the signature, or why none did (a {@link Reason}, or a {@link
   * ResolverFailure} keeping the resolver's exception as the cause).
   */
  private Object verifySignature(
      JwsHeader header, byte[] ascii, int signedLength, byte[] signature) {
    List<JwtKey> candidates;
    try {
      candidates = keys.resolve(header);
    } catch (JwtValidationException e) {
      return new ResolverFailure(e.reason(), e.getCause());
    } catch (RuntimeException e) {
      return new ResolverFailure(Reason.KEYS_UNAVAILABLE, e);
    }
    Algorithm alg = header.algorithm();
    int fitting = 0;
    int weak = 0;
    int tried = 0;
    for (int i = 0, n = candidates.size(); i < n && tried < KeyResolver.MAX_CANDIDATES; i++) {
      JwtKey key = candidates.get(i);
      if (!key.algorithms().contains(alg)) {
        continue;
      }
      fitting++;
      if (key.isRsa() && key.bits() < minimumRsaKeyBits) {
        weak++;
        continue;
      }
      tried++;
      if (key.verify(alg, ascii, signedLength, signature)) {
        return key;
      }
    }
    if (fitting == 0) {
      return Reason.KEY_NOT_FOUND;
    }
    return weak == fitting ? Reason.WEAK_KEY : Reason.BAD_SIGNATURE;
  }

  /**
   * Checks the claims at {@code now}; leaves the expiry and the window in which every time check
   * passes, and the configured issuer the token names, in {@code out}.
   *
   * @return null when the claims pass, else why not
   */
  private @Nullable Reason checkClaims(JsonMembers claims, long now, Scratch out) {
    int iss = claims.member(JsonMembers.ISS);
    if (!present(claims, iss)) {
      return Reason.MISSING_CLAIM;
    }
    if (!claims.isString(iss)) {
      return Reason.CLAIM_INVALID;
    }
    String issuer = issuerNamed(claims, iss);
    if (issuer == null) {
      return Reason.ISSUER_MISMATCH;
    }
    Reason audience = checkAudience(claims);
    if (audience != null) {
      return audience;
    }

    int exp = claims.member(JsonMembers.EXP);
    if (!present(claims, exp)) {
      return Reason.MISSING_CLAIM;
    }
    long expMillis = numericDate(claims, exp, false);
    if (expMillis == INVALID_DATE) {
      return Reason.CLAIM_INVALID;
    }
    if (now >= expMillis + skewMillis) {
      return Reason.EXPIRED;
    }
    long validFrom = Long.MIN_VALUE;
    long validUntil = expMillis + skewMillis;
    int nbf = claims.member(JsonMembers.NBF);
    if (present(claims, nbf)) {
      long nbfMillis = numericDate(claims, nbf, true);
      if (nbfMillis == INVALID_DATE) {
        return Reason.CLAIM_INVALID;
      }
      if (now + skewMillis < nbfMillis) {
        return Reason.NOT_YET_VALID;
      }
      validFrom = nbfMillis - skewMillis;
    }
    int iat = claims.member(JsonMembers.IAT);
    if (present(claims, iat)) {
      long iatMillis = numericDate(claims, iat, true);
      if (iatMillis == INVALID_DATE) {
        return Reason.CLAIM_INVALID;
      }
      if (iatMillis > now + skewMillis) {
        return Reason.NOT_YET_VALID;
      }
      validFrom = Math.max(validFrom, iatMillis - skewMillis);
      if (maxAgeMillis >= 0) {
        long tooOldFrom = iatMillis + maxAgeMillis + skewMillis;
        if (now >= tooOldFrom) {
          return Reason.TOO_OLD;
        }
        validUntil = Math.min(validUntil, tooOldFrom);
      }
    } else if (maxAgeMillis >= 0) {
      return Reason.MISSING_CLAIM;
    }
    if (!stringOrNull(claims, claims.member(JsonMembers.SUB))
        || !stringOrNull(claims, claims.member(JsonMembers.JTI))) {
      return Reason.CLAIM_INVALID;
    }
    if (!scopesWellFormed(claims)) {
      return Reason.CLAIM_INVALID;
    }
    for (int i = 0, n = requiredClaims.size(); i < n; i++) {
      if (!present(claims, claims.find(requiredClaims.get(i)))) {
        return Reason.MISSING_CLAIM;
      }
    }
    if (!claimChecks.isEmpty()) {
      for (Map.Entry<String, Predicate<Object>> check : claimChecks.entrySet()) {
        int m = claims.find(check.getKey());
        if (!present(claims, m)) {
          return Reason.MISSING_CLAIM;
        }
        if (!passes(check.getValue(), Objects.requireNonNull(claims.value(m)))) {
          return Reason.CLAIM_INVALID;
        }
      }
    }
    out.expMillis = expMillis;
    out.validFromMillis = validFrom;
    out.validUntilMillis = validUntil;
    out.issuer = issuer;
    return null;
  }

  /** The configured issuer equal to the string member {@code i}, or null. */
  private @Nullable String issuerNamed(JsonMembers claims, int i) {
    byte[][] bytes = issuerBytes;
    if (bytes == null) {
      String issuer = claims.string(i);
      return issuers.contains(issuer) ? issuer : null;
    }
    for (int k = 0; k < bytes.length; k++) {
      if (claims.stringEquals(i, bytes[k], issuerList[k])) {
        return issuerList[k];
      }
    }
    return null;
  }

  /**
   * Runs the claim checks again, for a remembered token (they may depend on more than claims).
   * Reads only the checked claims: building the token's whole claims map here would keep one per
   * cached token.
   */
  private boolean claimChecksPass(VerifiedJwt jwt) {
    for (Map.Entry<String, Predicate<Object>> check : claimChecks.entrySet()) {
      Object value = jwt.value(check.getKey());
      if (value == null || !passes(check.getValue(), value)) {
        return false;
      }
    }
    return true;
  }

  private static boolean passes(Predicate<Object> check, Object value) {
    try {
      return check.test(value);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Returns null when the audience passes, else why not. */
  private @Nullable Reason checkAudience(JsonMembers claims) {
    int aud = claims.member(JsonMembers.AUD);
    if (!present(claims, aud)) {
      return Reason.MISSING_CLAIM;
    }
    if (claims.isString(aud)) {
      byte[][] bytes = audienceBytes;
      if (bytes == null) {
        return audiences.contains(claims.string(aud)) ? null : Reason.AUDIENCE_MISMATCH;
      }
      for (int k = 0; k < bytes.length; k++) {
        if (claims.stringEquals(aud, bytes[k], audienceList[k])) {
          return null;
        }
      }
      return Reason.AUDIENCE_MISMATCH;
    }
    if (claims.kind(aud) != JsonMembers.ARRAY) {
      return Reason.CLAIM_INVALID;
    }
    boolean match = false;
    for (Object a : (List<?>) Objects.requireNonNull(claims.value(aud))) {
      if (!(a instanceof String)) {
        return Reason.CLAIM_INVALID;
      }
      match |= audiences.contains(a);
    }
    return match ? null : Reason.AUDIENCE_MISMATCH;
  }

  /** Whether {@code scope} is a string and {@code scp} a string or an array of strings. */
  private static boolean scopesWellFormed(JsonMembers claims) {
    if (!stringOrNull(claims, claims.member(JsonMembers.SCOPE))) {
      return false;
    }
    int scp = claims.member(JsonMembers.SCP);
    if (scp >= 0 && claims.kind(scp) == JsonMembers.ARRAY) {
      for (Object s : (List<?>) Objects.requireNonNull(claims.value(scp))) {
        if (!(s instanceof String)) {
          return false;
        }
      }
      return true;
    }
    return stringOrNull(claims, scp);
  }

  /**
   * Reads a NumericDate (RFC 7519 §2) as milliseconds. Fractions round towards the stricter side:
   * down for {@code exp}, up for {@code nbf} and {@code iat}.
   *
   * @return the milliseconds, or {@link #INVALID_DATE} when the value is no NumericDate
   */
  private static long numericDate(JsonMembers claims, int i, boolean roundUp) {
    int kind = claims.kind(i);
    if (kind == JsonMembers.INTEGER) {
      long seconds = claims.integer(i);
      if (seconds < 0 || seconds > MAX_NUMERIC_DATE) {
        return INVALID_DATE;
      }
      return seconds * 1000;
    }
    if (kind == JsonMembers.NUMBER) {
      double seconds = claims.number(i);
      if (!(seconds >= 0 && seconds <= MAX_NUMERIC_DATE)) {
        return INVALID_DATE;
      }
      double millis = seconds * 1000;
      return (long) (roundUp ? Math.ceil(millis) : Math.floor(millis));
    }
    return INVALID_DATE;
  }

  private static JwtValidationException refuse(Reason reason, String token) {
    return new JwtValidationException(reason, token, null);
  }

  /**
   * Describes the policy (algorithms, issuers, audiences), without keys or secrets.
   *
   * @return a description safe to log
   */
  @Override
  public String toString() {
    return "JwtValidator[algorithms="
        + algorithms
        + ", issuers="
        + issuers
        + ", audiences="
        + audiences
        + "]";
  }

  /**
   * Configures a {@link JwtValidator}. Each option may be set once; {@link #build()} checks the
   * whole configuration. Not thread-safe; the validator it builds is.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private @Nullable EnumSet<Algorithm> algorithms;
    private @Nullable Set<String> issuers;
    private @Nullable Set<String> audiences;
    private @Nullable KeyResolver keys;
    private @Nullable Clock clock;
    private @Nullable Duration clockSkew;
    private @Nullable Duration maxTokenAge;
    private @Nullable Set<String> types;
    private boolean accessTokenProfile;
    private final Set<String> requiredClaims = new LinkedHashSet<>();
    private boolean requiredClaimsSet;
    private final Map<String, Predicate<Object>> claimChecks = new LinkedHashMap<>();
    private @Nullable Integer minimumRsaKeyBits;
    private @Nullable Integer maxTokenLength;
    private @Nullable ValidationEvents listener;
    private @Nullable Integer cacheEntries;

    private Builder() {}

    /**
     * Sets the algorithms a token may be signed with. Required; there is no default.
     *
     * <p><b>Security:</b> allow only what your issuer uses. Allowing {@code HS*} next to an
     * asymmetric algorithm is safe here (a key only verifies algorithms of its kind), but it is
     * seldom what an issuer does.
     *
     * @param first an allowed algorithm
     * @param more further allowed algorithms
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if algorithms were already set
     * @since 0.1.0
     */
    public Builder algorithms(Algorithm first, Algorithm... more) {
      once(algorithms == null, "algorithms");
      EnumSet<Algorithm> set = EnumSet.of(Objects.requireNonNull(first, "first"));
      for (Algorithm a : Objects.requireNonNull(more, "more")) {
        set.add(Objects.requireNonNull(a, "more[]"));
      }
      algorithms = set;
      return this;
    }

    /**
     * Sets the accepted issuers; a token's {@code iss} must equal one of them exactly (no
     * normalisation: {@code https://idp/} and {@code https://idp} differ). Required.
     *
     * @param first an accepted issuer
     * @param more further accepted issuers
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if an issuer is empty
     * @throws IllegalStateException if issuers were already set
     * @since 0.1.0
     */
    public Builder issuer(String first, String... more) {
      once(issuers == null, "issuer");
      issuers = nonEmptyStrings("issuer", first, more);
      return this;
    }

    /**
     * Sets the accepted audiences; a token's {@code aud} (a string or an array) must contain at
     * least one of them. Required.
     *
     * @param first an accepted audience, usually this API's identifier
     * @param more further accepted audiences
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if an audience is empty
     * @throws IllegalStateException if audiences were already set
     * @since 0.1.0
     */
    public Builder audience(String first, String... more) {
      once(audiences == null, "audience");
      audiences = nonEmptyStrings("audience", first, more);
      return this;
    }

    /**
     * Sets where trusted keys come from. Required. Keys known up front (the static factories of
     * {@link KeyResolver}) are checked against this builder's key-size floor in {@link #build()}.
     *
     * @param resolver the key source
     * @return this builder
     * @throws NullPointerException if {@code resolver} is null
     * @throws IllegalStateException if keys were already set
     * @since 0.1.0
     */
    public Builder keys(KeyResolver resolver) {
      once(keys == null, "keys");
      keys = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /**
     * Sets the clock that decides expiry. Default: {@link Clock#systemUTC()}.
     *
     * @param clock the clock; tests pass a fixed one
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
     * Sets how far the issuer's clock may be off from ours, applied to {@code exp}, {@code nbf},
     * {@code iat} and the maximum age. Default: 60 seconds.
     *
     * @param skew between zero and five minutes
     * @return this builder
     * @throws NullPointerException if {@code skew} is null
     * @throws IllegalArgumentException if {@code skew} is negative or above five minutes
     * @throws IllegalStateException if the skew was already set
     * @since 0.1.0
     */
    public Builder clockSkew(Duration skew) {
      once(clockSkew == null, "clockSkew");
      Objects.requireNonNull(skew, "skew");
      if (skew.isNegative() || skew.compareTo(MAX_SKEW) > 0) {
        throw new IllegalArgumentException("clockSkew must be between 0 and 5 minutes");
      }
      clockSkew = skew;
      return this;
    }

    /**
     * Refuses tokens issued ({@code iat}) longer ago than this, and tokens without {@code iat}.
     * Default: no maximum age (only {@code exp} limits a token's life).
     *
     * @param maxAge a positive duration
     * @return this builder
     * @throws NullPointerException if {@code maxAge} is null
     * @throws IllegalArgumentException if {@code maxAge} is zero or negative
     * @throws IllegalStateException if the maximum age was already set
     * @since 0.1.0
     */
    public Builder maxTokenAge(Duration maxAge) {
      once(maxTokenAge == null, "maxTokenAge");
      Objects.requireNonNull(maxAge, "maxAge");
      if (maxAge.isNegative() || maxAge.isZero()) {
        throw new IllegalArgumentException("maxTokenAge must be positive");
      }
      maxTokenAge = maxAge;
      return this;
    }

    /**
     * Requires the header's {@code typ} to be one of these media types (RFC 8725 §3.11); a token
     * without {@code typ} is then refused. Matching ignores case and an {@code application/} prefix
     * (RFC 7515 §4.1.9): {@code at+jwt} matches {@code application/at+jwt}.
     *
     * <p>Default: a token may have no {@code typ}, or {@code JWT}, or {@code at+jwt}; any other
     * type (for example {@code dpop+jwt} or {@code logout+jwt}) is refused.
     *
     * @param first an accepted type, for example {@code "at+jwt"}
     * @param more further accepted types
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a type is empty
     * @throws IllegalStateException if types were already set
     * @since 0.1.0
     */
    public Builder type(String first, String... more) {
      once(types == null, "type");
      Set<String> raw = nonEmptyStrings("type", first, more);
      Set<String> normalized = new LinkedHashSet<>();
      for (String t : raw) {
        normalized.add(normalizeType(t));
      }
      types = normalized;
      return this;
    }

    /**
     * Validates JWT access tokens as RFC 9068 profiles them: {@code typ} must be {@code at+jwt},
     * and {@code iss}, {@code exp}, {@code aud}, {@code sub}, {@code client_id}, {@code iat} and
     * {@code jti} are required. ID tokens, DPoP proofs and logout tokens presented as access tokens
     * are refused (RFC 8725 §3.12). Cannot be combined with {@link #type(String, String...)}.
     *
     * @return this builder
     * @throws IllegalStateException if the profile was already chosen
     * @since 0.1.0
     */
    public Builder accessTokenProfile() {
      once(!accessTokenProfile, "accessTokenProfile");
      accessTokenProfile = true;
      return this;
    }

    /**
     * Requires these claims to be present and not {@code null}. Default: only {@code iss}, {@code
     * aud} and {@code exp} are required.
     *
     * @param names claim names
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if no name is given, or one is empty
     * @throws IllegalStateException if required claims were already set
     * @since 0.1.0
     */
    public Builder requireClaims(String... names) {
      once(!requiredClaimsSet, "requireClaims");
      Objects.requireNonNull(names, "names");
      if (names.length == 0) {
        throw new IllegalArgumentException("requireClaims needs at least one name");
      }
      for (String n : names) {
        if (Objects.requireNonNull(n, "names[]").isEmpty()) {
          throw new IllegalArgumentException("claim names must not be empty");
        }
        requiredClaims.add(n);
      }
      requiredClaimsSet = true;
      return this;
    }

    /**
     * Requires a claim to be present and to satisfy a check. The check sees the JSON value ({@code
     * String}, {@code Long}, {@code Double}, {@code Boolean}, unmodifiable {@code List} or {@code
     * Map}); a check that returns false or throws refuses the token with {@code CLAIM_INVALID}.
     *
     * @param name the claim's name
     * @param check the test the value must pass; it must be thread-safe and fast
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code name} is empty
     * @throws IllegalStateException if a check for this claim was already set
     * @since 0.1.0
     */
    public Builder requireClaim(String name, Predicate<Object> check) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(check, "check");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("claim names must not be empty");
      }
      once(!claimChecks.containsKey(name), "requireClaim(\"" + name + "\")");
      claimChecks.put(name, check);
      return this;
    }

    /**
     * Raises the smallest RSA key size accepted. Default: 2048 bits; it cannot be lowered.
     *
     * @param bits at least 2048, at most 16384
     * @return this builder
     * @throws IllegalArgumentException if {@code bits} is out of range
     * @throws IllegalStateException if the minimum was already set
     * @since 0.1.0
     */
    public Builder minimumRsaKeyBits(int bits) {
      once(minimumRsaKeyBits == null, "minimumRsaKeyBits");
      if (bits < 2048 || bits > JwtKey.MAX_RSA_BITS) {
        throw new IllegalArgumentException("minimumRsaKeyBits must be between 2048 and 16384");
      }
      minimumRsaKeyBits = bits;
      return this;
    }

    /**
     * Remembers up to {@code maxEntries} tokens that passed every check, so a client that presents
     * the same token on many requests pays for its signature once. Default: no cache.
     *
     * <p>A remembered token is found by the SHA-256 digest of the whole token, compared in constant
     * time, and is served again only while every time check ({@code exp}, {@code nbf}, {@code iat},
     * {@link #maxTokenAge(Duration)}, with the clock skew) still passes at the clock's current
     * time, and only while the key that verified it is still among the keys the resolver gives for
     * its header (a key removed from the key set stops serving its tokens at once). The {@link
     * #requireClaim(String, Predicate)} checks run again on every hit. Whenever any of this does
     * not hold, the token is validated in full. Only accepted tokens are remembered; when the cache
     * is full, a quarter of it is freed: tokens past their expiry first, then tokens not presented
     * again since it was last full.
     *
     * <p>Memory: about the size of the claims per entry (roughly 1 to 2 KB for a typical access
     * token). A hit costs a SHA-256 of the token, which is still cheaper than an HMAC, and far
     * cheaper than an RSA, ECDSA or EdDSA verification.
     *
     * <p><b>Security:</b> a hit returns the same {@link VerifiedJwt} instance as the first
     * validation; it is immutable. Revocation lists checked in a claim check keep working, since
     * those run on every hit.
     *
     * @param maxEntries how many tokens to remember, between 1 and 1000000
     * @return this builder
     * @throws IllegalArgumentException if {@code maxEntries} is out of range
     * @throws IllegalStateException if the cache was already configured
     * @since 0.1.0
     */
    public Builder verifiedTokenCache(int maxEntries) {
      once(cacheEntries == null, "verifiedTokenCache");
      if (maxEntries < 1 || maxEntries > 1_000_000) {
        throw new IllegalArgumentException("verifiedTokenCache must hold between 1 and 1000000");
      }
      cacheEntries = maxEntries;
      return this;
    }

    /**
     * Sets the longest token accepted, in characters; longer ones are refused with {@code
     * TOO_LARGE} before anything else is read. Default: 16384.
     *
     * @param length between 128 and 1048576
     * @return this builder
     * @throws IllegalArgumentException if {@code length} is out of range
     * @throws IllegalStateException if the maximum was already set
     * @since 0.1.0
     */
    public Builder maxTokenLength(int length) {
      once(maxTokenLength == null, "maxTokenLength");
      if (length < 128 || length > 1 << 20) {
        throw new IllegalArgumentException("maxTokenLength must be between 128 and 1048576");
      }
      maxTokenLength = length;
      return this;
    }

    /**
     * Sets the listener of validation outcomes, for metrics: it hears of every accepted and every
     * refused token, with the time validation took. Default: none (and then no time is taken).
     *
     * @param listener the listener; it must be thread-safe and fast
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     * @throws IllegalStateException if a listener was already set
     * @since 0.1.0
     */
    public Builder listener(ValidationEvents listener) {
      once(this.listener == null, "listener");
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Builds the validator after checking the configuration as a whole.
     *
     * @return an immutable, thread-safe validator, unaffected by later calls on this builder
     * @throws IllegalStateException if a required option is missing or options conflict
     * @throws IllegalArgumentException if a key known up front is below the RSA key-size floor or
     *     none of them fits an allowed algorithm
     * @since 0.1.0
     */
    public JwtValidator build() {
      if (algorithms == null) {
        throw new IllegalStateException("algorithms(...) is required: name the allowed algorithms");
      }
      if (issuers == null) {
        throw new IllegalStateException("issuer(...) is required: name the accepted issuers");
      }
      if (audiences == null) {
        throw new IllegalStateException("audience(...) is required: name the accepted audiences");
      }
      if (keys == null) {
        throw new IllegalStateException("keys(...) is required: name where trusted keys come from");
      }
      if (accessTokenProfile && types != null) {
        throw new IllegalStateException(
            "accessTokenProfile() fixes the type to at+jwt; do not also call type(...)");
      }
      if (keys instanceof StaticKeyResolver) {
        checkStaticKeys(((StaticKeyResolver) keys).keys());
      }
      return new JwtValidator(this);
    }

    private void checkStaticKeys(List<JwtKey> staticKeys) {
      int floor = minimumRsaKeyBits == null ? 2048 : minimumRsaKeyBits;
      List<String> weak = new ArrayList<>();
      boolean anyFits = false;
      for (JwtKey k : staticKeys) {
        if (k.isRsa() && k.bits() < floor) {
          weak.add(k.toString());
        }
        for (Algorithm a : k.algorithms()) {
          anyFits |= Objects.requireNonNull(algorithms).contains(a);
        }
      }
      if (!weak.isEmpty()) {
        throw new IllegalArgumentException(
            "keys below minimumRsaKeyBits(" + floor + "): " + String.join(", ", weak));
      }
      if (!anyFits) {
        throw new IllegalArgumentException(
            "none of the keys can verify any of the allowed algorithms " + algorithms);
      }
    }

    private static void once(boolean unset, String option) {
      if (!unset) {
        throw new IllegalStateException(option + " was already set");
      }
    }

    private static Set<String> nonEmptyStrings(String what, String first, String... more) {
      Objects.requireNonNull(first, "first");
      Objects.requireNonNull(more, "more");
      Set<String> set = new LinkedHashSet<>();
      set.add(first);
      for (String s : more) {
        set.add(Objects.requireNonNull(s, "more[]"));
      }
      for (String s : set) {
        if (s.isEmpty()) {
          throw new IllegalArgumentException(what + " must not be empty");
        }
      }
      return set;
    }
  }
}
