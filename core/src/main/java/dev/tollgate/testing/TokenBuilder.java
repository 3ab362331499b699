package dev.tollgate.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tollgate.Algorithm;
import dev.tollgate.internal.Base64Url;
import dev.tollgate.internal.Json;
import java.security.Key;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Mints one token: a mutable, fluent editor of a JWS header and a JWT claims set, signed with the
 * {@link TestIssuer}'s key by {@link #sign()}. Get one from {@link TestIssuer#token()}; its
 * defaults pass the issuer's {@link TestIssuer#validator() validator}, and each call changes one
 * thing, the last call winning:
 *
 * <pre>{@code
 * String token =
 *     issuer.token().subject("alice").scope("orders:read").expiresIn(Duration.ofHours(1)).sign();
 * }</pre>
 *
 * <p>Times are written as integer NumericDates (seconds since the epoch). Signing uses the JDK
 * ({@code java.security.Signature}, {@code javax.crypto.Mac}) directly, not the code under test.
 *
 * <p><b>Security:</b> for tests only. Not thread-safe.
 *
 * @since 0.1.0
 */
public final class TokenBuilder {
  private final KeyMaterial key;
  private final Algorithm issuerAlgorithm;
  private final Instant now;
  private Algorithm algorithm;
  private final Map<String, @Nullable Object> header = new LinkedHashMap<>();
  private final Map<String, @Nullable Object> claims = new LinkedHashMap<>();
  private @Nullable String rawHeader;
  private @Nullable String rawPayload;

  TokenBuilder(KeyMaterial key, Algorithm algorithm, Instant now) {
    this.key = key;
    this.issuerAlgorithm = algorithm;
    this.algorithm = algorithm;
    this.now = now;
  }

  /**
   * Sets a claim, replacing any earlier value.
   *
   * @param name the claim's name
   * @param value a JSON value: {@code null} (written as JSON {@code null}), a {@code String},
   *     {@code Boolean}, {@code Integer}, {@code Long}, {@code Double} or other number, a {@code
   *     Collection} or a {@code Map} with {@code String} keys of these (kept by reference and
   *     written as they are when the token is signed); an {@link Instant} is written as a
   *     NumericDate
   * @return this builder
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code value} cannot be written as JSON
   * @throws IllegalStateException if {@link #payload(String)} replaced the claims
   * @since 0.1.0
   */
  public TokenBuilder claim(String name, @Nullable Object value) {
    Objects.requireNonNull(name, "name");
    checkClaimsEditable();
    Object v = jsonValue(value);
    claims.put(name, v);
    return this;
  }

  /**
   * Removes a claim, including one the issuer set by default.
   *
   * @param name the claim's name
   * @return this builder
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalStateException if {@link #payload(String)} replaced the claims
   * @since 0.1.0
   */
  public TokenBuilder withoutClaim(String name) {
    Objects.requireNonNull(name, "name");
    checkClaimsEditable();
    claims.remove(name);
    return this;
  }

  /**
   * Sets a header member, replacing any earlier value. Setting {@code alg} here changes only the
   * header; use {@link #algorithm(Algorithm)} to change how the token is signed too.
   *
   * @param name the member's name
   * @param value a JSON value, as for {@link #claim(String, Object)}; {@code null} is written as
   *     JSON {@code null}
   * @return this builder
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code value} cannot be written as JSON
   * @throws IllegalStateException if {@link #rawHeader(String)} replaced the header
   * @since 0.1.0
   */
  public TokenBuilder header(String name, @Nullable Object value) {
    Objects.requireNonNull(name, "name");
    checkHeaderEditable();
    Object v = jsonValue(value);
    header.put(name, v);
    return this;
  }

  /**
   * Removes a header member, including one the issuer set by default ({@code alg}, {@code typ},
   * {@code kid}).
   *
   * @param name the member's name
   * @return this builder
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalStateException if {@link #rawHeader(String)} replaced the header
   * @since 0.1.0
   */
  public TokenBuilder withoutHeader(String name) {
    Objects.requireNonNull(name, "name");
    checkHeaderEditable();
    header.remove(name);
    return this;
  }

  /**
   * Sets the subject ({@code sub}). Default: {@code "user-123"}.
   *
   * @param subject the subject
   * @return this builder
   * @throws NullPointerException if {@code subject} is null
   * @throws IllegalStateException if {@link #payload(String)} replaced the claims
   * @since 0.1.0
   */
  public TokenBuilder subject(String subject) {
    return claim("sub", Objects.requireNonNull(subject, "subject"));
  }

  /**
   * Sets the audience ({@code aud}): one audience is written as a string, any other number as an
   * array. Default: the issuer's {@link TestIssuer#audience() audience}.
   *
   * @param audiences the audiences; none writes an empty array
   * @return this builder
   * @throws NullPointerException if {@code audiences} or one of them is null
   * @throws IllegalStateException if {@link #payload(String)} replaced the claims
   * @since 0.1.0
   */
  public TokenBuilder audience(String... audiences) {
    Objects.requireNonNull(audiences, "audiences");
    List<String> list = new ArrayList<>(audiences.length);
    for (String a : audiences) {
      list.add(Objects.requireNonNull(a, "audiences[]"));
    }
    return claim("aud", list.size() == 1 ? list.get(0) : list);
  }

  /**
   * Sets the issuer ({@code iss}). Default: the issuer's {@link TestIssuer#issuer() issuer}.
   *
   * @param issuer the issuer
   * @return this builder
   * @throws NullPointerException if {@code issuer} is null
   * @throws IllegalStateException if {@link #payload(String)} replaced the claims
   * @since 0.1.0
   */
  public TokenBuilder issuer(String issuer) {
    return claim("iss", Objects.requireNonNull(issuer, "issuer"));
  }

  /**
   * Sets the expiry ({@code exp}), in whole seconds. Default: five minutes after the issuer's
   * clock's now.
   *
   * @param expiresAt the expiry
   * @return this builder
   * @throws NullPointerException if {@code expiresAt} is null
   * @throws IllegalStateException if {@link #payload(String)} replaced the claims
   * @since 0.1.0
   */
  public TokenBuilder expiresAt(Instant expiresAt) {
    return claim("exp", Objects.requireNonNull(expiresAt, "expiresAt"));
  }

  /**
   * Sets the expiry ({@code exp}) relative to the issuer's clock's now when this builder was made.
   *
   * @param lifetime how long the token lives; negative for a token that has already expired
   * @return this builder
   * @throws NullPointerException if {@code lifetime} is null
   * @throws IllegalStateException if {@link #payload(String)} replaced the claims
   * @since 0.1.0
   */
  public TokenBuilder expiresIn(Duration lifetime) {
    return expiresAt(now.plus(Objects.requireNonNull(lifetime, "lifetime")));
  }

  /**
   * Sets the start of validity ({@code nbf}), in whole seconds. Default: none.
   *
   * @param notBefore the start of validity
   * @return this builder
   * @throws NullPointerException if {@code notBefore} is null
   * @throws IllegalStateException if {@link #payload(String)} replaced the claims
   * @since 0.1.0
   */
  public TokenBuilder notBefore(Instant notBefore) {
    return claim("nbf", Objects.requireNonNull(notBefore, "notBefore"));
  }

  /**
   * Sets the issue time ({@code iat}), in whole seconds. Default: the issuer's clock's now.
   *
   * @param issuedAt the issue time
   * @return this builder
   * @throws NullPointerException if {@code issuedAt} is null
   * @throws IllegalStateException if {@link #payload(String)} replaced the claims
   * @since 0.1.0
   */
  public TokenBuilder issuedAt(Instant issuedAt) {
    return claim("iat", Objects.requireNonNull(issuedAt, "issuedAt"));
  }

  /**
   * Sets the <code>scope</code> claim to the scopes joined by spaces (RFC 9068). Default: none.
   *
   * @param scopes the scopes; none writes an empty string
   * @return this builder
   * @throws NullPointerException if {@code scopes} or one of them is null
   * @throws IllegalStateException if {@link #payload(String)} replaced the claims
   * @since 0.1.0
   */
  public TokenBuilder scope(String... scopes) {
    Objects.requireNonNull(scopes, "scopes");
    for (String s : scopes) {
      Objects.requireNonNull(s, "scopes[]");
    }
    return claim("scope", String.join(" ", scopes));
  }

  /**
   * Sets the {@code typ} header. Default: {@code "JWT"}.
   *
   * @param type the media type, for example {@code "at+jwt"}
   * @return this builder
   * @throws NullPointerException if {@code type} is null
   * @throws IllegalStateException if {@link #rawHeader(String)} replaced the header
   * @since 0.1.0
   */
  public TokenBuilder type(String type) {
    return header("typ", Objects.requireNonNull(type, "type"));
  }

  /**
   * Sets the {@code kid} header. Default: the issuer's current {@link TestIssuer#keyId() key id}.
   *
   * @param keyId the key id
   * @return this builder
   * @throws NullPointerException if {@code keyId} is null
   * @throws IllegalStateException if {@link #rawHeader(String)} replaced the header
   * @since 0.1.0
   */
  public TokenBuilder keyId(String keyId) {
    return header("kid", Objects.requireNonNull(keyId, "keyId"));
  }

  /**
   * Sets the {@code alg} header and signs with that algorithm when the issuer's key can (an RSA key
   * makes every {@code RS*} and {@code PS*}, an Ed25519 key {@code EdDSA} and {@code Ed25519}, a
   * 64-byte secret every {@code HS*}). When it cannot, the token is signed with the issuer's own
   * algorithm, so the header lies: a token for algorithm-confusion tests. Default: the issuer's
   * algorithm.
   *
   * @param algorithm the algorithm
   * @return this builder
   * @throws NullPointerException if {@code algorithm} is null
   * @throws IllegalStateException if {@link #rawHeader(String)} replaced the header
   * @since 0.1.0
   */
  public TokenBuilder algorithm(Algorithm algorithm) {
    Objects.requireNonNull(algorithm, "algorithm");
    header("alg", algorithm.jwaName());
    this.algorithm = algorithm;
    return this;
  }

  /**
   * Replaces the claims with this text, written verbatim (UTF-8, then base64url): for tests of
   * malformed JSON, duplicate members and the like. Claim methods called afterwards throw.
   *
   * @param rawJson the payload text; it need not be JSON
   * @return this builder
   * @throws NullPointerException if {@code rawJson} is null
   * @since 0.1.0
   */
  public TokenBuilder payload(String rawJson) {
    rawPayload = Objects.requireNonNull(rawJson, "rawJson");
    return this;
  }

  /**
   * Replaces the header with this text, written verbatim (UTF-8, then base64url). The token is
   * still signed with the algorithm set before (the issuer's, unless {@link #algorithm(Algorithm)}
   * changed it). Header methods called afterwards throw.
   *
   * @param rawJson the header text; it need not be JSON
   * @return this builder
   * @throws NullPointerException if {@code rawJson} is null
   * @since 0.1.0
   */
  public TokenBuilder rawHeader(String rawJson) {
    rawHeader = Objects.requireNonNull(rawJson, "rawJson");
    return this;
  }

  /**
   * Signs the token with the issuer's current key.
   *
   * @return the compact JWS: {@code header.payload.signature}
   * @since 0.1.0
   */
  public String sign() {
    return sign(signingAlgorithm(), key.signingKey());
  }

  /**
   * Signs the token with another private key, for example one the validator does not trust, using
   * the algorithm of the {@code alg} header as set by {@link #algorithm(Algorithm)}. The key is not
   * checked against Tollgate's rules, so weak or mismatched keys can be tried.
   *
   * @param privateKey an RSA, EC or Edwards-curve private key that fits the algorithm
   * @return the compact JWS
   * @throws NullPointerException if {@code privateKey} is null
   * @throws IllegalArgumentException if the algorithm is {@code HS*} or the key cannot make it
   * @since 0.1.0
   */
  public String signWith(PrivateKey privateKey) {
    return sign(algorithm, Objects.requireNonNull(privateKey, "privateKey"));
  }

  /**
   * Signs the token with another HMAC secret, using the algorithm of the {@code alg} header as set
   * by {@link #algorithm(Algorithm)}. The secret's length is not checked, so short secrets can be
   * tried.
   *
   * @param secret a non-empty secret; the bytes are copied
   * @return the compact JWS
   * @throws NullPointerException if {@code secret} is null
   * @throws IllegalArgumentException if the secret is empty or the algorithm is not {@code HS*}
   * @since 0.1.0
   */
  public String signWith(byte[] secret) {
    Objects.requireNonNull(secret, "secret");
    if (secret.length == 0) {
      throw new IllegalArgumentException("secret must not be empty");
    }
    return sign(algorithm, new SecretKeySpec(secret.clone(), "HMAC"));
  }

  /** Signs with any key and algorithm, whatever the header says. */
  String sign(Algorithm alg, Key signingKey) {
    String input = signingInput();
    byte[] signature = KeyMaterial.sign(alg, signingKey, input.getBytes(US_ASCII));
    return input + "." + Base64Url.encode(signature);
  }

  /** Returns {@code base64url(header) "." base64url(payload)}. */
  String signingInput() {
    return Base64Url.encode(headerJson().getBytes(UTF_8))
        + "."
        + Base64Url.encode(claimsJson().getBytes(UTF_8));
  }

  /** Returns the header as it will be written. */
  String headerJson() {
    return rawHeader != null ? rawHeader : Json.write(header);
  }

  /** Returns the claims as they will be written. */
  String claimsJson() {
    return rawPayload != null ? rawPayload : Json.write(claims);
  }

  /** The algorithm {@link #sign()} signs with. */
  Algorithm signingAlgorithm() {
    return key.family().fits(algorithm) ? algorithm : issuerAlgorithm;
  }

  /** Turns an Instant into a NumericDate and checks that the value can be written as JSON. */
  private static @Nullable Object jsonValue(@Nullable Object value) {
    Object v = value instanceof Instant ? (Object) ((Instant) value).getEpochSecond() : value;
    Json.write(v); // fails now, at the caller's line, rather than in sign()
    return v;
  }

  private void checkClaimsEditable() {
    if (rawPayload != null) {
      throw new IllegalStateException("payload(...) replaced the claims; set claims before it");
    }
  }

  private void checkHeaderEditable() {
    if (rawHeader != null) {
      throw new IllegalStateException("rawHeader(...) replaced the header; set members before it");
    }
  }

  /**
   * Describes the builder by the names of its header members and claims, without their values.
   *
   * @return a description safe to log
   */
  @Override
  public String toString() {
    return "TokenBuilder[alg="
        + algorithm.jwaName()
        + ", header="
        + (rawHeader != null ? "raw" : header.keySet().toString())
        + ", claims="
        + (rawPayload != null ? "raw" : claims.keySet().toString())
        + "]";
  }
}
