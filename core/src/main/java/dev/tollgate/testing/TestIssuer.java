package dev.tollgate.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtKey;
import dev.tollgate.JwtValidator;
import dev.tollgate.internal.Base64Url;
import dev.tollgate.internal.Json;
import dev.tollgate.keys.KeyResolver;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * A throwaway token issuer for tests: generated keys, a published key set, and tokens, valid or
 * deliberately broken, each in one call.
 *
 * <pre>{@code
 * TestIssuer issuer = TestIssuer.create(Algorithm.ES256);
 * JwtValidator validator = issuer.validator();
 * VerifiedJwt jwt = validator.validate(issuer.token().subject("alice").sign());
 * // jwt.subject() is Optional.of("alice")
 * }</pre>
 *
 * <p>Key pairs and secrets are generated once per JVM for each kind of key and rotation step, and
 * shared by every issuer of that kind: creating issuers is cheap, and RSA keys are made only once.
 * Keys are never read from files. All times come from the issuer's {@link #clock() clock}.
 *
 * <p>An issuer is immutable and thread-safe; {@link #rotate()} returns a new one.
 *
 * <p><b>Security:</b> for tests only. The keys are throwaway, the {@link #secret() secret} is
 * handed out to anyone who asks, and the broken tokens are real attacks.
 *
 * @since 0.1.0
 */
public final class TestIssuer {
  /** The key id of the attacker's key in the broken tokens that carry their own key. */
  static final String ATTACKER_KEY_ID = "attacker-1";

  /** Where {@link #jkuToken()} points. */
  static final String ATTACKER_JWKS_URL = "https://attacker.test/jwks";

  /** Where {@link #x5uToken()} points. */
  static final String ATTACKER_CERTIFICATE_URL = "https://attacker.test/cert.pem";

  private static final String DEFAULT_ISSUER = "https://issuer.test/";
  private static final String DEFAULT_AUDIENCE = "test-api";
  private static final String DEFAULT_SUBJECT = "user-123";
  private static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

  private final Algorithm algorithm;
  private final String issuer;
  private final String audience;
  private final Clock clock;
  private final Consumer<TokenBuilder> tokenDefaults;
  private final @Nullable String customKeyId;
  private final int index;
  private final String keyId;
  private final KeyMaterial key;
  private final List<Published> published;
  private final String jwks;
  private final KeyResolver keys;

  /** A key in the published set. */
  private record Published(String keyId, KeyMaterial key) {}

  private TestIssuer(
      Algorithm algorithm,
      String issuer,
      String audience,
      Clock clock,
      Consumer<TokenBuilder> tokenDefaults,
      @Nullable String customKeyId,
      int index,
      List<Published> published) {
    this.algorithm = algorithm;
    this.issuer = issuer;
    this.audience = audience;
    this.clock = clock;
    this.tokenDefaults = tokenDefaults;
    this.customKeyId = customKeyId;
    this.index = index;
    this.keyId = keyIdFor(algorithm, customKeyId, index);
    this.key = KeyMaterial.get(KeyMaterial.Family.of(algorithm), index);
    this.published = List.copyOf(published);
    List<Object> jwkList = new ArrayList<>(published.size());
    for (Published p : this.published) {
      jwkList.add(p.key().jwk(p.keyId(), algorithm));
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("keys", jwkList);
    this.jwks = Json.write(doc);
    this.keys = KeyResolver.jwks(jwks);
  }

  private static String keyIdFor(Algorithm algorithm, @Nullable String customKeyId, int index) {
    if (customKeyId == null) {
      return "test-" + algorithm.jwaName().toLowerCase(Locale.ROOT) + "-" + (index + 1);
    }
    return index == 0 ? customKeyId : customKeyId + "-" + (index + 1);
  }

  /**
   * Creates an issuer with default settings for an algorithm. RSA algorithms get a 2048-bit key,
   * {@code ES256}/{@code ES384}/{@code ES512} a P-256/P-384/P-521 key, {@code EdDSA} and {@code
   * Ed25519} an Ed25519 key, {@code Ed448} an Ed448 key, and {@code HS*} a random secret of exactly
   * the hash size.
   *
   * @param algorithm the algorithm the issuer signs with
   * @return the issuer
   * @throws NullPointerException if {@code algorithm} is null
   * @since 0.1.0
   */
  public static TestIssuer create(Algorithm algorithm) {
    return builder().algorithm(algorithm).build();
  }

  /**
   * Starts configuring an issuer; every option has a default.
   *
   * @return a new builder
   * @since 0.1.0
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a new issuer with the same settings that signs with the next key (a new key id, such as
   * {@code test-rs256-2}) and publishes the keys of this issuer and the new key: validators built
   * from the new issuer accept tokens of both keys, validators built from this one do not know the
   * new key.
   *
   * @return the rotated issuer
   * @since 0.1.0
   */
  public TestIssuer rotate() {
    List<Published> next = new ArrayList<>(published);
    next.add(
        new Published(
            keyIdFor(algorithm, customKeyId, index + 1),
            KeyMaterial.get(KeyMaterial.Family.of(algorithm), index + 1)));
    return new TestIssuer(
        algorithm, issuer, audience, clock, tokenDefaults, customKeyId, index + 1, next);
  }

  /**
   * Returns a new issuer with the same settings and signing key that no longer publishes one key,
   * for example the key before a {@link #rotate() rotation} (a retired key), or its own current key
   * (a revoked key).
   *
   * @param keyId the key id of a published key
   * @return the issuer without that key in its key set
   * @throws NullPointerException if {@code keyId} is null
   * @throws IllegalArgumentException if no published key has this id, or it is the only one
   * @since 0.1.0
   */
  public TestIssuer withoutKey(String keyId) {
    Objects.requireNonNull(keyId, "keyId");
    List<Published> next = new ArrayList<>(published);
    if (!next.removeIf(p -> p.keyId().equals(keyId))) {
      throw new IllegalArgumentException("no published key has the key id \"" + keyId + "\"");
    }
    if (next.isEmpty()) {
      throw new IllegalArgumentException("the key set cannot be empty; rotate() first");
    }
    return new TestIssuer(
        algorithm, issuer, audience, clock, tokenDefaults, customKeyId, index, next);
  }

  /**
   * Returns the issuer ({@code iss}) of the tokens.
   *
   * @return the issuer
   * @since 0.1.0
   */
  public String issuer() {
    return issuer;
  }

  /**
   * Returns the audience ({@code aud}) of the tokens.
   *
   * @return the audience
   * @since 0.1.0
   */
  public String audience() {
    return audience;
  }

  /**
   * Returns the algorithm the tokens are signed with.
   *
   * @return the algorithm
   * @since 0.1.0
   */
  public Algorithm algorithm() {
    return algorithm;
  }

  /**
   * Returns the key id ({@code kid}) of the current signing key.
   *
   * @return the key id
   * @since 0.1.0
   */
  public String keyId() {
    return keyId;
  }

  /**
   * Returns the clock the tokens' times come from.
   *
   * @return the clock
   * @since 0.1.0
   */
  public Clock clock() {
    return clock;
  }

  /**
   * Returns the current key as a JSON Web Key with {@code kid}, {@code use: "sig"} and {@code alg}:
   * the public key, or for an HMAC issuer the {@code oct} key with the secret in {@code k}.
   *
   * @return the JWK as compact JSON text
   * @since 0.1.0
   */
  public String publicJwk() {
    return Json.write(key.jwk(keyId, algorithm));
  }

  /**
   * Returns the published key set, {@code {"keys":[...]}}: the current key and, after {@link
   * #rotate()}, the earlier ones.
   *
   * @return the JWKS as compact JSON text
   * @since 0.1.0
   */
  public String jwks() {
    return jwks;
  }

  /**
   * Returns a key resolver over the published keys, as {@link KeyResolver#jwks(String)} makes it
   * from {@link #jwks()}.
   *
   * @return the resolver
   * @since 0.1.0
   */
  public KeyResolver keys() {
    return keys;
  }

  /**
   * Returns the current key as a trusted key, with its key id, restricted to the issuer's
   * algorithm.
   *
   * @return the key
   * @since 0.1.0
   */
  public JwtKey jwtKey() {
    JwtKey k =
        key.isSecret() ? JwtKey.secret(key.secret(), keyId) : JwtKey.of(key.publicKey(), keyId);
    return k.restrictedTo(algorithm);
  }

  /**
   * Returns the current public key.
   *
   * @return the public key
   * @throws IllegalStateException if this is an HMAC issuer
   * @since 0.1.0
   */
  public PublicKey publicKey() {
    return key.publicKey();
  }

  /**
   * Returns a copy of the current HMAC secret.
   *
   * @return the secret's bytes
   * @throws IllegalStateException if this issuer signs with a private key
   * @since 0.1.0
   */
  public byte[] secret() {
    return key.secret();
  }

  /** Returns the current key. */
  KeyMaterial key() {
    return key;
  }

  /** Returns the current private key, for tests that sign with another library. */
  PrivateKey privateKey() {
    return key.privateKey();
  }

  /**
   * Returns a validator builder already given this issuer's algorithm, issuer, audience, keys and
   * clock; add options and call {@code build()}.
   *
   * @return the builder; {@code algorithms}, {@code issuer}, {@code audience}, {@code keys} and
   *     {@code clock} are set and cannot be set again
   * @since 0.1.0
   */
  public JwtValidator.Builder validatorBuilder() {
    return JwtValidator.builder()
        .algorithms(algorithm)
        .issuer(issuer)
        .audience(audience)
        .keys(keys)
        .clock(clock);
  }

  /**
   * Returns a validator that accepts this issuer's valid tokens: {@code
   * validatorBuilder().build()}.
   *
   * @return the validator
   * @since 0.1.0
   */
  public JwtValidator validator() {
    return validatorBuilder().build();
  }

  /**
   * Starts a token whose defaults pass {@link #validator()}: header {@code alg}, {@code typ: "JWT"}
   * and {@code kid}; claims {@code iss}, {@code sub: "user-123"}, {@code aud}, {@code iat} (now),
   * {@code exp} (now plus five minutes) and a random {@code jti}; then the changes of {@link
   * Builder#tokenDefaults(Consumer)}, if any. Every token of this issuer, valid or broken, starts
   * here.
   *
   * @return a new token builder
   * @since 0.1.0
   */
  public TokenBuilder token() {
    Instant now = now();
    TokenBuilder t =
        new TokenBuilder(key, algorithm, now)
            .header("alg", algorithm.jwaName())
            .header("typ", "JWT")
            .header("kid", keyId)
            .claim("iss", issuer)
            .claim("sub", DEFAULT_SUBJECT)
            .claim("aud", audience)
            .claim("iat", now)
            .claim("exp", now.plus(DEFAULT_LIFETIME))
            .claim("jti", UUID.randomUUID().toString());
    tokenDefaults.accept(t);
    return t;
  }

  /**
   * Returns a valid token: {@code token().sign()}.
   *
   * @return the token
   * @since 0.1.0
   */
  public String validToken() {
    return token().sign();
  }

  // ---------------------------------------------------------------------------------------------
  // Broken tokens

  /**
   * Returns a token that expired ten minutes ago and was issued fifteen minutes ago.
   *
   * @return the token
   * @since 0.1.0
   */
  public String expiredToken() {
    Instant now = now();
    return token()
        .issuedAt(now.minus(Duration.ofMinutes(15)))
        .expiresAt(now.minus(Duration.ofMinutes(10)))
        .sign();
  }

  /**
   * Returns a token that becomes valid ({@code nbf}) ten minutes from now.
   *
   * @return the token
   * @since 0.1.0
   */
  public String notYetValidToken() {
    return token().notBefore(now().plus(Duration.ofMinutes(10))).sign();
  }

  /**
   * Returns a token from another issuer ({@code iss}), signed with this issuer's key.
   *
   * @return the token
   * @since 0.1.0
   */
  public String wrongIssuerToken() {
    return token().issuer(other(issuer, "https://other-issuer.test/")).sign();
  }

  /**
   * Returns a token for another audience ({@code aud}).
   *
   * @return the token
   * @since 0.1.0
   */
  public String wrongAudienceToken() {
    return token().audience(other(audience, "other-api")).sign();
  }

  /**
   * Returns an otherwise valid token without one claim.
   *
   * @param claim the claim to leave out, for example {@code "exp"}
   * @return the token
   * @throws NullPointerException if {@code claim} is null
   * @since 0.1.0
   */
  public String tokenWithout(String claim) {
    return token().withoutClaim(Objects.requireNonNull(claim, "claim")).sign();
  }

  /**
   * Returns an unsigned token: header {@code alg: "none"} and an empty signature ({@code
   * header.payload.}).
   *
   * @return the token
   * @since 0.1.0
   */
  public String unsignedToken() {
    return token().header("alg", "none").signingInput() + ".";
  }

  /**
   * Returns a valid token with one bit of its signature flipped, still canonical base64url.
   *
   * @return the token
   * @since 0.1.0
   */
  public String alteredSignatureToken() {
    String token = validToken();
    int dot = token.lastIndexOf('.');
    byte[] signature = Objects.requireNonNull(Base64Url.decode(token.substring(dot + 1)));
    signature[signature.length / 2] ^= 0x01;
    return token.substring(0, dot + 1) + Base64Url.encode(signature);
  }

  /**
   * Returns a token with this issuer's header, {@code kid} included, but signed by another key of
   * the same kind that no issuer publishes.
   *
   * @return the token
   * @since 0.1.0
   */
  public String signedByAnotherKeyToken() {
    TokenBuilder t = token();
    return t.sign(t.signingAlgorithm(), stranger().signingKey());
  }

  /**
   * Returns a token of another type: header {@code typ: "dpop+jwt"}, a DPoP proof (RFC 9449).
   *
   * @return the token
   * @since 0.1.0
   */
  public String wrongTypeToken() {
    return token().type("dpop+jwt").sign();
  }

  /**
   * Returns an algorithm-confusion token: header {@code alg: "HS256"}, MAC keyed with the UTF-8
   * bytes of this issuer's public key in PEM ({@code -----BEGIN PUBLIC KEY-----}, 64-character
   * lines, a final newline): the classic attack on validators that let the token pick the
   * algorithm.
   *
   * @return the token
   * @throws IllegalStateException if this is an HMAC issuer
   * @since 0.1.0
   */
  public String hmacConfusionToken() {
    return hmacConfusion(KeyMaterial.pem(asymmetricKey("hmacConfusionToken()")).getBytes(UTF_8));
  }

  /**
   * Returns an algorithm-confusion token like {@link #hmacConfusionToken()}, but with the MAC keyed
   * with the DER bytes of this issuer's public key (X.509 SubjectPublicKeyInfo).
   *
   * @return the token
   * @throws IllegalStateException if this is an HMAC issuer
   * @since 0.1.0
   */
  public String hmacConfusionTokenWithDerKey() {
    return hmacConfusion(asymmetricKey("hmacConfusionTokenWithDerKey()").getEncoded());
  }

  /**
   * Returns an HS256 token, the issuer's kid in its header, whose MAC is keyed with these bytes.
   */
  String hmacConfusion(byte[] macKey) {
    return token()
        .header("alg", Algorithm.HS256.jwaName())
        .sign(Algorithm.HS256, new SecretKeySpec(macKey, "HMAC"));
  }

  /**
   * Returns a token that carries the attacker's own key in a {@code jwk} header, with the
   * attacker's key id, signed by that key (CVE-2018-0114). For an HMAC issuer the header holds the
   * attacker's {@code oct} key.
   *
   * @return the token
   * @since 0.1.0
   */
  public String embeddedJwkToken() {
    KeyMaterial attacker = stranger();
    TokenBuilder t =
        token().keyId(ATTACKER_KEY_ID).header("jwk", attacker.jwk(ATTACKER_KEY_ID, algorithm));
    return t.sign(t.signingAlgorithm(), attacker.signingKey());
  }

  /**
   * Returns a token whose {@code jku} header points at the attacker's key set ({@code
   * https://attacker.test/jwks}), with the attacker's key id, signed by the attacker's key.
   *
   * @return the token
   * @since 0.1.0
   */
  public String jkuToken() {
    return attackerToken("jku", ATTACKER_JWKS_URL);
  }

  /**
   * Returns a token whose {@code x5u} header points at the attacker's certificate ({@code
   * https://attacker.test/cert.pem}), with the attacker's key id, signed by the attacker's key.
   *
   * @return the token
   * @since 0.1.0
   */
  public String x5uToken() {
    return attackerToken("x5u", ATTACKER_CERTIFICATE_URL);
  }

  private String attackerToken(String member, String url) {
    KeyMaterial attacker = stranger();
    TokenBuilder t = token().keyId(ATTACKER_KEY_ID).header(member, url);
    return t.sign(t.signingAlgorithm(), attacker.signingKey());
  }

  /**
   * Returns a token whose {@code x5c} header holds the attacker's self-signed certificate, with the
   * attacker's key id, signed by the attacker's key.
   *
   * @return the token
   * @throws IllegalStateException if this is an HMAC issuer
   * @since 0.1.0
   */
  public String x5cToken() {
    asymmetricKey("x5cToken()");
    KeyMaterial attacker = stranger();
    Instant now = now();
    byte[] certificate =
        SelfSignedCertificate.create(
            "attacker.test",
            attacker.publicKey(),
            attacker.privateKey(),
            now.minus(Duration.ofHours(1)),
            now.plus(Duration.ofDays(1)));
    TokenBuilder t =
        token()
            .keyId(ATTACKER_KEY_ID)
            .header("x5c", List.of(Base64.getEncoder().encodeToString(certificate)));
    return t.sign(t.signingAlgorithm(), attacker.signingKey());
  }

  /**
   * Returns a validly signed token with a critical header extension no validator knows: {@code
   * crit: ["exp-ext"]} and an {@code exp-ext} member.
   *
   * @return the token
   * @since 0.1.0
   */
  public String critToken() {
    return token()
        .header("exp-ext", now().plus(DEFAULT_LIFETIME).getEpochSecond())
        .header("crit", List.of("exp-ext"))
        .sign();
  }

  /**
   * Returns a validly signed token with an unencoded payload (RFC 7797): {@code b64: false} and
   * {@code crit: ["b64"]}. Its payload is the base64url text of the claims, so a validator that
   * ignores {@code b64} verifies it and reads the claims, while an RFC 7797 reader sees that text
   * as the payload.
   *
   * @return the token
   * @since 0.1.0
   */
  public String unencodedPayloadToken() {
    return token().header("b64", false).header("crit", List.of("b64")).sign();
  }

  /**
   * Returns a token whose ECDSA signature is all zero bytes (r = s = 0), of the right length: the
   * "psychic signature" that some JDKs accepted (CVE-2022-21449).
   *
   * @return the token
   * @throws IllegalStateException if this issuer does not sign with {@code ES*}
   * @since 0.1.0
   */
  public String ecdsaZeroSignatureToken() {
    int coordinate = key.family().ecCoordinateBytes();
    if (coordinate == 0) {
      throw new IllegalStateException(
          "ecdsaZeroSignatureToken() needs an ES256/ES384/ES512 issuer");
    }
    return token().signingInput() + "." + Base64Url.encode(new byte[2 * coordinate]);
  }

  /**
   * Returns an OpenID Connect ID token offered as an access token (RFC 8725 §3.12): {@code typ:
   * "JWT"}, the claims {@code iss}, {@code sub}, {@code aud}, {@code iat}, {@code exp}, {@code
   * nonce}, {@code auth_time} and {@code azp} (and any other claims of the {@link
   * Builder#tokenDefaults(Consumer) token defaults}), and no {@code client_id}, {@code scope},
   * {@code scp} or {@code jti}. A validator with an access-token profile refuses it; a default
   * validator accepts it.
   *
   * @return the token
   * @since 0.1.0
   */
  public String idTokenAsAccessToken() {
    return token()
        .type("JWT")
        .withoutClaim("jti")
        .withoutClaim("client_id")
        .withoutClaim("scope")
        .withoutClaim("scp")
        .claim("nonce", "n-0S6_WzA2Mj")
        .claim("auth_time", now().minus(Duration.ofMinutes(1)))
        .claim("azp", "test-client")
        .sign();
  }

  /**
   * Returns a validly signed token of exactly {@code length} characters, made long by a {@code pad}
   * claim (and, to hit the length exactly, up to two spaces of JSON whitespace in the header).
   *
   * @param length the token's length; at least a few hundred characters
   * @return the token
   * @throws IllegalArgumentException if {@code length} is shorter than the token without padding
   * @since 0.1.0
   */
  public String oversizedToken(int length) {
    TokenBuilder t = token().claim("pad", "");
    String header = t.headerJson();
    int headerBytes = header.getBytes(UTF_8).length;
    int claimsBytes = t.claimsJson().getBytes(UTF_8).length;
    String probe = t.sign();
    int signatureChars = probe.length() - probe.lastIndexOf('.') - 1;
    for (int spaces = 0; spaces <= 2; spaces++) {
      int payloadChars = length - 2 - signatureChars - base64Length(headerBytes + spaces);
      if (payloadChars % 4 == 1 || payloadChars < base64Length(claimsBytes)) {
        continue;
      }
      int payloadBytes = 3 * (payloadChars / 4) + Math.max(0, payloadChars % 4 - 1);
      String padded =
          t.claim("pad", "x".repeat(payloadBytes - claimsBytes))
              .rawHeader(header.substring(0, header.length() - 1) + " ".repeat(spaces) + "}")
              .sign();
      if (padded.length() != length) {
        throw new AssertionError("oversizedToken computed a wrong length");
      }
      return padded;
    }
    throw new IllegalArgumentException(
        "length must be at least " + probe.length() + " for this issuer's tokens");
  }

  private static int base64Length(int bytes) {
    return (4 * bytes + 2) / 3;
  }

  /**
   * Returns a validly signed token with a claim {@code nested} holding {@code depth} nested arrays
   * ({@code [[[...]]]}), for tests of JSON depth limits.
   *
   * @param depth how many arrays are nested, at least 1
   * @return the token
   * @throws IllegalArgumentException if {@code depth} is less than 1 or above 1,000,000
   * @since 0.1.0
   */
  public String deeplyNestedToken(int depth) {
    if (depth < 1 || depth > 1_000_000) {
      throw new IllegalArgumentException("depth must be between 1 and 1000000");
    }
    TokenBuilder t = token();
    String claims = t.claimsJson();
    return t.payload(
            claims.substring(0, claims.length() - 1)
                + ",\"nested\":"
                + "[".repeat(depth)
                + "]".repeat(depth)
                + "}")
        .sign();
  }

  /** Returns the issuer's clock's now, in whole seconds, as the tokens' times are written. */
  Instant now() {
    return Instant.ofEpochSecond(clock.instant().getEpochSecond());
  }

  /** Returns the key of this issuer's kind that nobody publishes: the attacker's key. */
  KeyMaterial stranger() {
    return KeyMaterial.get(key.family(), KeyMaterial.STRANGER);
  }

  private PublicKey asymmetricKey(String method) {
    if (key.isSecret()) {
      throw new IllegalStateException(method + " needs an issuer with a public key, not HMAC");
    }
    return key.publicKey();
  }

  private static String other(String value, String candidate) {
    return value.equals(candidate) ? candidate + "other" : candidate;
  }

  /**
   * Describes the issuer by its algorithm, key id, issuer and audience, without key material.
   *
   * @return a description safe to log
   */
  @Override
  public String toString() {
    return "TestIssuer[alg="
        + algorithm.jwaName()
        + ", kid="
        + keyId
        + ", issuer="
        + issuer
        + ", audience="
        + audience
        + "]";
  }

  /**
   * Configures a {@link TestIssuer}. Each option may be set once; every option has a default. Not
   * thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private @Nullable Algorithm algorithm;
    private @Nullable String issuer;
    private @Nullable String audience;
    private @Nullable String keyId;
    private @Nullable Clock clock;
    private @Nullable Consumer<TokenBuilder> tokenDefaults;

    private Builder() {}

    /**
     * Sets the algorithm the issuer signs with; it decides the kind of key. Default: {@code RS256}.
     *
     * @param algorithm the algorithm
     * @return this builder
     * @throws NullPointerException if {@code algorithm} is null
     * @throws IllegalStateException if the algorithm was already set
     * @since 0.1.0
     */
    public Builder algorithm(Algorithm algorithm) {
      once(this.algorithm == null, "algorithm");
      this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
      return this;
    }

    /**
     * Sets the issuer ({@code iss}) of the tokens. Default: {@code "https://issuer.test/"}.
     *
     * @param issuer a non-empty issuer
     * @return this builder
     * @throws NullPointerException if {@code issuer} is null
     * @throws IllegalArgumentException if {@code issuer} is empty
     * @throws IllegalStateException if the issuer was already set
     * @since 0.1.0
     */
    public Builder issuer(String issuer) {
      once(this.issuer == null, "issuer");
      this.issuer = nonEmpty(issuer, "issuer");
      return this;
    }

    /**
     * Sets the audience ({@code aud}) of the tokens. Default: {@code "test-api"}.
     *
     * @param audience a non-empty audience
     * @return this builder
     * @throws NullPointerException if {@code audience} is null
     * @throws IllegalArgumentException if {@code audience} is empty
     * @throws IllegalStateException if the audience was already set
     * @since 0.1.0
     */
    public Builder audience(String audience) {
      once(this.audience == null, "audience");
      this.audience = nonEmpty(audience, "audience");
      return this;
    }

    /**
     * Sets the key id ({@code kid}) of the first key; rotated keys get {@code "-2"}, {@code "-3"}
     * and so on appended. Default: {@code "test-<alg>-1"}, for example {@code "test-rs256-1"}, then
     * {@code "test-rs256-2"} after a rotation.
     *
     * @param keyId a non-empty key id
     * @return this builder
     * @throws NullPointerException if {@code keyId} is null
     * @throws IllegalArgumentException if {@code keyId} is empty
     * @throws IllegalStateException if the key id was already set
     * @since 0.1.0
     */
    public Builder keyId(String keyId) {
      once(this.keyId == null, "keyId");
      this.keyId = nonEmpty(keyId, "keyId");
      return this;
    }

    /**
     * Sets the clock the tokens' times come from; the issuer's validators use it too. Default:
     * {@link Clock#systemUTC()}.
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
     * Sets changes made to every token this issuer mints, valid or broken, after the standard
     * defaults and before the change that breaks it: for validators that need more than the
     * defaults, such as a {@code typ} or claims. Default: none.
     *
     * <pre>{@code
     * TestIssuer idp =
     *     TestIssuer.builder()
     *         .tokenDefaults(t -> t.type("at+jwt").claim("client_id", "shop").scope("orders:read"))
     *         .build();
     * }</pre>
     *
     * @param defaults edits a fresh token builder; it must be thread-safe and leave {@link
     *     TokenBuilder#payload(String)} and {@link TokenBuilder#rawHeader(String)} alone, since the
     *     broken tokens edit header and claims afterwards
     * @return this builder
     * @throws NullPointerException if {@code defaults} is null
     * @throws IllegalStateException if the token defaults were already set
     * @since 0.1.0
     */
    public Builder tokenDefaults(Consumer<TokenBuilder> defaults) {
      once(this.tokenDefaults == null, "tokenDefaults");
      this.tokenDefaults = Objects.requireNonNull(defaults, "defaults");
      return this;
    }

    /**
     * Builds the issuer, generating its key on first use in this JVM.
     *
     * @return the issuer, unaffected by later calls on this builder
     * @since 0.1.0
     */
    public TestIssuer build() {
      Algorithm alg = algorithm == null ? Algorithm.RS256 : algorithm;
      int first = 0;
      String kid = keyIdFor(alg, keyId, first);
      return new TestIssuer(
          alg,
          issuer == null ? DEFAULT_ISSUER : issuer,
          audience == null ? DEFAULT_AUDIENCE : audience,
          clock == null ? Clock.systemUTC() : clock,
          tokenDefaults == null ? t -> {} : tokenDefaults,
          keyId,
          first,
          List.of(new Published(kid, KeyMaterial.get(KeyMaterial.Family.of(alg), first))));
    }

    private static void once(boolean unset, String option) {
      if (!unset) {
        throw new IllegalStateException(option + " was already set");
      }
    }

    private static String nonEmpty(String value, String name) {
      if (Objects.requireNonNull(value, name).isEmpty()) {
        throw new IllegalArgumentException(name + " must not be empty");
      }
      return value;
    }
  }
}
