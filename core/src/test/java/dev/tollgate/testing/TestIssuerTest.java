package dev.tollgate.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtKey;
import dev.tollgate.JwtValidationException;
import dev.tollgate.JwtValidator;
import dev.tollgate.Reason;
import dev.tollgate.VerifiedJwt;
import dev.tollgate.internal.Base64Url;
import dev.tollgate.internal.Json;
import dev.tollgate.internal.JsonException;
import dev.tollgate.keys.KeyResolver;
import java.io.ByteArrayInputStream;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class TestIssuerTest {
  private static final Instant NOW = Instant.parse("2031-05-06T07:08:09Z");
  private static final Clock FIXED = Clock.fixed(NOW, ZoneOffset.UTC);

  private static final Set<Algorithm> HMAC =
      EnumSet.of(Algorithm.HS256, Algorithm.HS384, Algorithm.HS512);

  // ---------------------------------------------------------------------------------------------
  // Helpers

  static void assertRefused(JwtValidator validator, String token, Reason reason) {
    assertThatThrownBy(() -> validator.validate(token))
        .isInstanceOfSatisfying(
            JwtValidationException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  static Map<String, @Nullable Object> header(String token) throws JsonException {
    return segment(token, 0);
  }

  static Map<String, @Nullable Object> claims(String token) throws JsonException {
    return segment(token, 1);
  }

  private static Map<String, @Nullable Object> segment(String token, int index)
      throws JsonException {
    String part = token.split("\\.", -1)[index];
    return Json.parseObject(Objects.requireNonNull(Base64Url.decode(part)), 64);
  }

  static String segmentText(String token, int index) {
    String part = token.split("\\.", -1)[index];
    return new String(Objects.requireNonNull(Base64Url.decode(part)), UTF_8);
  }

  static byte[] signature(String token) {
    return Objects.requireNonNull(Base64Url.decode(token.substring(token.lastIndexOf('.') + 1)));
  }

  private static TestIssuer fixed(Algorithm alg) {
    return TestIssuer.builder().algorithm(alg).clock(FIXED).build();
  }

  private static String defaultKeyId(Algorithm alg, int n) {
    return "test-" + alg.jwaName().toLowerCase(java.util.Locale.ROOT) + "-" + n;
  }

  // ---------------------------------------------------------------------------------------------
  // Valid tokens, one case per algorithm

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void validToken_everyAlgorithm_acceptedByValidator(Algorithm alg) {
    TestIssuer issuer = TestIssuer.create(alg);

    VerifiedJwt jwt = issuer.validator().validate(issuer.validToken());

    assertThat(jwt.issuer()).isEqualTo("https://issuer.test/");
    assertThat(jwt.subject()).contains("user-123");
    assertThat(jwt.audience()).containsExactly("test-api");
    assertThat(jwt.algorithm()).isEqualTo(alg);
    assertThat(jwt.keyId()).contains(defaultKeyId(alg, 1));
    assertThat(jwt.type()).contains("JWT");
    assertThat(jwt.jwtId()).isPresent();
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void validToken_fixedClock_hasDefaultHeaderAndClaims(Algorithm alg) throws Exception {
    TestIssuer issuer = fixed(alg);
    String token = issuer.validToken();

    assertThat(segmentText(token, 0))
        .isEqualTo(
            "{\"alg\":\""
                + alg.jwaName()
                + "\",\"typ\":\"JWT\",\"kid\":\""
                + issuer.keyId()
                + "\"}");
    Map<String, @Nullable Object> claims = claims(token);
    assertThat(claims.keySet()).containsExactly("iss", "sub", "aud", "iat", "exp", "jti");
    assertThat(claims.get("iss")).isEqualTo("https://issuer.test/");
    assertThat(claims.get("sub")).isEqualTo("user-123");
    assertThat(claims.get("aud")).isEqualTo("test-api");
    assertThat(claims.get("iat")).isEqualTo(NOW.getEpochSecond());
    assertThat(claims.get("exp")).isEqualTo(NOW.getEpochSecond() + 300);
    assertThat((String) claims.get("jti"))
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    VerifiedJwt jwt = issuer.validator().validate(token);
    assertThat(jwt.expiresAt()).isEqualTo(NOW.plusSeconds(300));
    assertThat(jwt.issuedAt()).contains(NOW);
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void validToken_twice_differentJti(Algorithm alg) throws Exception {
    TestIssuer issuer = TestIssuer.create(alg);
    assertThat(claims(issuer.validToken()).get("jti"))
        .isNotEqualTo(claims(issuer.validToken()).get("jti"));
  }

  @Test
  void classJavadocExample_runs() {
    TestIssuer issuer = TestIssuer.create(Algorithm.ES256);
    JwtValidator validator = issuer.validator();
    VerifiedJwt jwt = validator.validate(issuer.token().subject("alice").sign());
    // jwt.subject() is Optional.of("alice")
    assertThat(jwt.subject()).isEqualTo(Optional.of("alice"));
  }

  // ---------------------------------------------------------------------------------------------
  // Broken tokens

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void expiredToken_refusedWithExpired(Algorithm alg) throws Exception {
    TestIssuer issuer = fixed(alg);
    String token = issuer.expiredToken();
    assertRefused(issuer.validator(), token, Reason.EXPIRED);
    assertThat(claims(token).get("exp")).isEqualTo(NOW.getEpochSecond() - 600);
    assertThat(claims(token).get("iat")).isEqualTo(NOW.getEpochSecond() - 900);
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void notYetValidToken_refusedWithNotYetValid(Algorithm alg) throws Exception {
    TestIssuer issuer = fixed(alg);
    String token = issuer.notYetValidToken();
    assertRefused(issuer.validator(), token, Reason.NOT_YET_VALID);
    assertThat(claims(token).get("nbf")).isEqualTo(NOW.getEpochSecond() + 600);
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void wrongIssuerToken_refusedWithIssuerMismatch(Algorithm alg) {
    TestIssuer issuer = TestIssuer.create(alg);
    assertRefused(issuer.validator(), issuer.wrongIssuerToken(), Reason.ISSUER_MISMATCH);
  }

  @Test
  void wrongIssuerToken_issuerNamedLikeTheWrongOne_stillDiffers() {
    TestIssuer issuer = TestIssuer.builder().issuer("https://other-issuer.test/").build();
    assertRefused(issuer.validator(), issuer.wrongIssuerToken(), Reason.ISSUER_MISMATCH);
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void wrongAudienceToken_refusedWithAudienceMismatch(Algorithm alg) {
    TestIssuer issuer = TestIssuer.create(alg);
    assertRefused(issuer.validator(), issuer.wrongAudienceToken(), Reason.AUDIENCE_MISMATCH);
  }

  @Test
  void wrongAudienceToken_audienceNamedLikeTheWrongOne_stillDiffers() {
    TestIssuer issuer = TestIssuer.builder().audience("other-api").build();
    assertRefused(issuer.validator(), issuer.wrongAudienceToken(), Reason.AUDIENCE_MISMATCH);
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void tokenWithoutExp_refusedWithMissingClaim(Algorithm alg) throws Exception {
    TestIssuer issuer = TestIssuer.create(alg);
    String token = issuer.tokenWithout("exp");
    assertRefused(issuer.validator(), token, Reason.MISSING_CLAIM);
    assertThat(claims(token)).doesNotContainKey("exp").containsKey("iss");
  }

  @ParameterizedTest
  @ValueSource(strings = {"iss", "aud"})
  void tokenWithoutRequiredClaim_refusedWithMissingClaim(String claim) {
    TestIssuer issuer = TestIssuer.create(Algorithm.ES256);
    assertRefused(issuer.validator(), issuer.tokenWithout(claim), Reason.MISSING_CLAIM);
  }

  @Test
  void tokenWithoutOptionalClaim_accepted() {
    TestIssuer issuer = TestIssuer.create(Algorithm.ES256);
    assertThat(issuer.validator().validate(issuer.tokenWithout("sub")).subject()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void unsignedToken_refusedWithAlgorithmNotAllowed(Algorithm alg) throws Exception {
    TestIssuer issuer = TestIssuer.create(alg);
    String token = issuer.unsignedToken();
    assertRefused(issuer.validator(), token, Reason.ALGORITHM_NOT_ALLOWED);
    assertThat(token).endsWith(".").matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.");
    assertThat(header(token).get("alg")).isEqualTo("none");
    assertThat(header(token).get("kid")).isEqualTo(issuer.keyId());
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void algNoneWithSignature_refusedWithAlgorithmNotAllowed(Algorithm alg) {
    TestIssuer issuer = TestIssuer.create(alg);
    String token = issuer.token().header("alg", "none").sign();
    assertRefused(issuer.validator(), token, Reason.ALGORITHM_NOT_ALLOWED);
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void alteredSignatureToken_refusedWithBadSignature(Algorithm alg) {
    TestIssuer issuer = TestIssuer.create(alg);
    String token = issuer.alteredSignatureToken();
    assertRefused(issuer.validator(), token, Reason.BAD_SIGNATURE);
    // Still canonical base64url of a signature of the right length.
    byte[] sig = signature(token);
    assertThat(Base64Url.encode(sig)).isEqualTo(token.substring(token.lastIndexOf('.') + 1));
    assertThat(sig).hasSameSizeAs(signature(issuer.validToken()));
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void signedByAnotherKeyToken_refusedWithBadSignature(Algorithm alg) throws Exception {
    TestIssuer issuer = TestIssuer.create(alg);
    String token = issuer.signedByAnotherKeyToken();
    assertRefused(issuer.validator(), token, Reason.BAD_SIGNATURE);
    assertThat(header(token).get("kid")).isEqualTo(issuer.keyId());
    assertThat(header(token).get("alg")).isEqualTo(alg.jwaName());
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void wrongTypeToken_refusedWithTypeMismatch(Algorithm alg) throws Exception {
    TestIssuer issuer = TestIssuer.create(alg);
    String token = issuer.wrongTypeToken();
    assertRefused(issuer.validator(), token, Reason.TYPE_MISMATCH);
    assertThat(header(token).get("typ")).isEqualTo("dpop+jwt");
  }

  @ParameterizedTest
  @EnumSource(
      value = Algorithm.class,
      mode = EnumSource.Mode.EXCLUDE,
      names = {"HS256", "HS384", "HS512"})
  void hmacConfusionToken_refusedWithAlgorithmNotAllowed(Algorithm alg) throws Exception {
    TestIssuer issuer = TestIssuer.create(alg);
    String token = issuer.hmacConfusionToken();

    assertRefused(issuer.validator(), token, Reason.ALGORITHM_NOT_ALLOWED);
    assertThat(header(token).get("alg")).isEqualTo("HS256");
    assertThat(header(token).get("kid")).isEqualTo(issuer.keyId());
    // The MAC really is keyed with the PEM text of the public key.
    assertThat(signature(token)).isEqualTo(hmacSha256(pem(issuer.publicKey()), token));
    // Allowing HS256 too does not help: the public key never verifies HS256.
    JwtValidator both =
        JwtValidator.builder()
            .algorithms(alg, Algorithm.HS256)
            .issuer(issuer.issuer())
            .audience(issuer.audience())
            .keys(issuer.keys())
            .build();
    assertRefused(both, token, Reason.KEY_NOT_FOUND);
  }

  @Test
  void hmacConfusionToken_rs256OnlyValidator_refusedWithAlgorithmNotAllowed() {
    TestIssuer issuer = TestIssuer.create(Algorithm.RS256);
    JwtValidator rs256Only =
        JwtValidator.builder()
            .algorithms(Algorithm.RS256)
            .issuer(issuer.issuer())
            .audience(issuer.audience())
            .keys(KeyResolver.publicKey(issuer.publicKey()))
            .build();
    assertRefused(rs256Only, issuer.hmacConfusionToken(), Reason.ALGORITHM_NOT_ALLOWED);
    assertRefused(rs256Only, issuer.hmacConfusionTokenWithDerKey(), Reason.ALGORITHM_NOT_ALLOWED);
  }

  @ParameterizedTest
  @EnumSource(
      value = Algorithm.class,
      names = {"RS256", "PS256", "ES256", "ES384", "ES512", "EdDSA", "Ed448"})
  void hmacConfusionTokenWithDerKey_macKeyedWithSpki(Algorithm alg) throws Exception {
    TestIssuer issuer = TestIssuer.create(alg);
    String token = issuer.hmacConfusionTokenWithDerKey();
    assertRefused(issuer.validator(), token, Reason.ALGORITHM_NOT_ALLOWED);
    assertThat(header(token).get("alg")).isEqualTo("HS256");
    assertThat(signature(token)).isEqualTo(hmacSha256(issuer.publicKey().getEncoded(), token));
  }

  @ParameterizedTest
  @EnumSource(
      value = Algorithm.class,
      names = {"HS256", "HS384", "HS512"})
  void asymmetricOnlyHelpers_hmacIssuer_throwIllegalState(Algorithm alg) {
    TestIssuer issuer = TestIssuer.create(alg);
    assertThatThrownBy(issuer::hmacConfusionToken).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(issuer::hmacConfusionTokenWithDerKey)
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(issuer::x5cToken).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(issuer::publicKey).isInstanceOf(IllegalStateException.class);
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void embeddedJwkToken_refusedWithKeyNotFound(Algorithm alg) throws Exception {
    TestIssuer issuer = fixed(alg);
    String token = issuer.embeddedJwkToken();

    assertRefused(issuer.validator(), token, Reason.KEY_NOT_FOUND);
    Map<String, @Nullable Object> header = header(token);
    assertThat(header.get("kid")).isEqualTo("attacker-1");
    assertThat(header.get("alg")).isEqualTo(alg.jwaName());
    // The token really is signed by the key it carries.
    String embedded = Json.write(header.get("jwk"));
    assertThat(attackerTrustingValidator(issuer, KeyResolver.jwk(embedded)).validate(token))
        .isNotNull();
    assertThat(embedded).isNotEqualTo(issuer.publicJwk());
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void jkuToken_refusedWithKeyNotFound(Algorithm alg) throws Exception {
    TestIssuer issuer = TestIssuer.create(alg);
    String token = issuer.jkuToken();
    assertRefused(issuer.validator(), token, Reason.KEY_NOT_FOUND);
    assertThat(header(token)).containsEntry("jku", "https://attacker.test/jwks");
    assertThat(header(token)).containsEntry("kid", "attacker-1");
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void x5uToken_refusedWithKeyNotFound(Algorithm alg) throws Exception {
    TestIssuer issuer = TestIssuer.create(alg);
    String token = issuer.x5uToken();
    assertRefused(issuer.validator(), token, Reason.KEY_NOT_FOUND);
    assertThat(header(token)).containsEntry("x5u", "https://attacker.test/cert.pem");
    assertThat(header(token)).containsEntry("kid", "attacker-1");
  }

  @ParameterizedTest
  @EnumSource(
      value = Algorithm.class,
      mode = EnumSource.Mode.EXCLUDE,
      names = {"HS256", "HS384", "HS512"})
  void x5cToken_refusedWithKeyNotFound(Algorithm alg) throws Exception {
    TestIssuer issuer = fixed(alg);
    String token = issuer.x5cToken();

    assertRefused(issuer.validator(), token, Reason.KEY_NOT_FOUND);
    Object x5c = header(token).get("x5c");
    assertThat(x5c).isInstanceOf(List.class);
    byte[] der = Base64.getDecoder().decode((String) ((List<?>) x5c).get(0));
    X509Certificate cert =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    // A well-formed, self-signed certificate whose key signed the token.
    cert.verify(cert.getPublicKey());
    cert.checkValidity(java.util.Date.from(NOW));
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=attacker.test");
    assertThat(cert.getVersion()).isEqualTo(3);
    assertThat(cert.getPublicKey()).isNotEqualTo(issuer.publicKey());
    assertThat(attackerTrustingValidator(issuer, KeyResolver.certificate(cert)).validate(token))
        .isNotNull();
  }

  private static JwtValidator attackerTrustingValidator(TestIssuer issuer, KeyResolver keys) {
    return JwtValidator.builder()
        .algorithms(issuer.algorithm())
        .issuer(issuer.issuer())
        .audience(issuer.audience())
        .keys(keys)
        .clock(issuer.clock())
        .build();
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void critToken_refusedWithUnsupportedCriticalHeader(Algorithm alg) throws Exception {
    TestIssuer issuer = TestIssuer.create(alg);
    String token = issuer.critToken();
    assertRefused(issuer.validator(), token, Reason.UNSUPPORTED_CRITICAL_HEADER);
    assertThat(header(token)).containsEntry("crit", List.of("exp-ext")).containsKey("exp-ext");
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void unencodedPayloadToken_refusedWithUnsupportedCriticalHeader(Algorithm alg) throws Exception {
    TestIssuer issuer = TestIssuer.create(alg);
    String token = issuer.unencodedPayloadToken();
    assertRefused(issuer.validator(), token, Reason.UNSUPPORTED_CRITICAL_HEADER);
    assertThat(header(token)).containsEntry("b64", false).containsEntry("crit", List.of("b64"));
  }

  @ParameterizedTest
  @EnumSource(
      value = Algorithm.class,
      names = {"ES256", "ES384", "ES512"})
  void ecdsaZeroSignatureToken_refusedWithBadSignature(Algorithm alg) {
    TestIssuer issuer = TestIssuer.create(alg);
    String token = issuer.ecdsaZeroSignatureToken();
    assertRefused(issuer.validator(), token, Reason.BAD_SIGNATURE);
    int expected = alg == Algorithm.ES256 ? 64 : alg == Algorithm.ES384 ? 96 : 132;
    assertThat(signature(token)).hasSize(expected).containsOnly(0);
  }

  @ParameterizedTest
  @EnumSource(
      value = Algorithm.class,
      mode = EnumSource.Mode.EXCLUDE,
      names = {"ES256", "ES384", "ES512"})
  void ecdsaZeroSignatureToken_otherIssuer_throwsIllegalState(Algorithm alg) {
    TestIssuer issuer = TestIssuer.create(alg);
    assertThatThrownBy(issuer::ecdsaZeroSignatureToken).isInstanceOf(IllegalStateException.class);
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void idTokenAsAccessToken_accessTokenProfile_refusedWithTypeMismatch(Algorithm alg)
      throws Exception {
    TestIssuer issuer = TestIssuer.create(alg);
    String token = issuer.idTokenAsAccessToken();

    assertRefused(
        issuer.validatorBuilder().accessTokenProfile().build(), token, Reason.TYPE_MISMATCH);
    assertThat(header(token)).containsEntry("typ", "JWT");
    assertThat(claims(token))
        .containsKeys("nonce", "auth_time", "azp", "iss", "sub", "aud", "exp", "iat")
        .doesNotContainKeys("client_id", "scope", "scp", "jti");
    // A default validator cannot tell an ID token from an access token.
    assertThat(issuer.validator().validate(token).subject()).contains("user-123");
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void oversizedToken_refusedWithTooLarge(Algorithm alg) {
    TestIssuer issuer = TestIssuer.create(alg);
    String token = issuer.oversizedToken(20000);
    assertThat(token).hasSize(20000);
    assertRefused(issuer.validator(), token, Reason.TOO_LARGE);
    // Validly signed: a validator that allows long tokens accepts it.
    assertThat(issuer.validatorBuilder().maxTokenLength(1 << 20).build().validate(token))
        .isNotNull();
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void oversizedToken_anyLength_exact(Algorithm alg) {
    TestIssuer issuer = TestIssuer.create(alg);
    int shortest = issuer.validToken().length() + 12;
    for (int length = shortest; length < shortest + 8; length++) {
      assertThat(issuer.oversizedToken(length)).hasSize(length);
    }
    String token = issuer.oversizedToken(16385);
    assertThat(token).hasSize(16385);
    assertRefused(issuer.validator(), token, Reason.TOO_LARGE);
    assertThat(issuer.validator().validate(issuer.oversizedToken(16384))).isNotNull();
  }

  @Test
  void oversizedToken_tooShort_throwsIllegalArgument() {
    TestIssuer issuer = TestIssuer.create(Algorithm.HS256);
    assertThatThrownBy(() -> issuer.oversizedToken(100))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void deeplyNestedToken_refusedWithMalformed(Algorithm alg) {
    TestIssuer issuer = TestIssuer.create(alg);
    String token = issuer.deeplyNestedToken(100);
    assertRefused(issuer.validator(), token, Reason.MALFORMED);
    String payload = segmentText(token, 1);
    assertThat(payload).contains("\"nested\":" + "[".repeat(100) + "]".repeat(100) + "}");
  }

  @Test
  void deeplyNestedToken_shallow_acceptedSoValidlySigned() {
    TestIssuer issuer = TestIssuer.create(Algorithm.EdDSA);
    VerifiedJwt jwt = issuer.validator().validate(issuer.deeplyNestedToken(10));
    assertThat(jwt.claim("nested", List.class)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 1_000_001})
  void deeplyNestedToken_depthOutOfRange_throwsIllegalArgument(int depth) {
    TestIssuer issuer = TestIssuer.create(Algorithm.HS256);
    assertThatThrownBy(() -> issuer.deeplyNestedToken(depth))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---------------------------------------------------------------------------------------------
  // Rotation and key caching

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void rotate_newValidatorAcceptsBothKeys_oldValidatorRefusesNewKey(Algorithm alg) {
    TestIssuer original = TestIssuer.create(alg);
    TestIssuer rotated = original.rotate();

    assertThat(rotated.keyId()).isEqualTo(defaultKeyId(alg, 2));
    assertThat(rotated.issuer()).isEqualTo(original.issuer());
    assertThat(rotated.audience()).isEqualTo(original.audience());
    assertThat(rotated.algorithm()).isEqualTo(alg);
    assertThat(rotated.clock()).isSameAs(original.clock());
    JwtValidator both = rotated.validatorBuilder().build();
    assertThat(both.validate(original.validToken()).keyId()).contains(original.keyId());
    assertThat(both.validate(rotated.validToken()).keyId()).contains(rotated.keyId());
    assertRefused(original.validator(), rotated.validToken(), Reason.KEY_NOT_FOUND);
    assertThat(rotated.jwks()).contains(original.keyId(), rotated.keyId());
  }

  @Test
  void rotate_twice_publishesThreeKeysWithFreshIds() {
    TestIssuer first = TestIssuer.create(Algorithm.ES384);
    TestIssuer third = first.rotate().rotate();
    assertThat(third.keyId()).isEqualTo("test-es384-3");
    assertThat(third.jwks()).contains("test-es384-1", "test-es384-2", "test-es384-3");
    assertThat(third.validator().validate(first.validToken())).isNotNull();
  }

  @Test
  void rotate_customKeyId_appendsIndex() {
    TestIssuer issuer = TestIssuer.builder().algorithm(Algorithm.HS512).keyId("key-a").build();
    assertThat(issuer.keyId()).isEqualTo("key-a");
    assertThat(issuer.rotate().keyId()).isEqualTo("key-a-2");
    assertThat(issuer.rotate().validator().validate(issuer.validToken()).keyId()).contains("key-a");
  }

  @Test
  void withoutKey_retiredKey_refusedWithKeyNotFound() {
    TestIssuer original = TestIssuer.create(Algorithm.ES256);
    TestIssuer retired = original.rotate().withoutKey(original.keyId());

    assertRefused(retired.validator(), original.validToken(), Reason.KEY_NOT_FOUND);
    assertThat(retired.validator().validate(retired.validToken())).isNotNull();
    assertThat(retired.jwks()).doesNotContain(original.keyId());
  }

  @Test
  void withoutKey_revokedCurrentKey_refusedWithKeyNotFound() {
    TestIssuer original = TestIssuer.create(Algorithm.ES256);
    TestIssuer rotated = original.rotate();
    TestIssuer revoked = rotated.withoutKey(rotated.keyId());
    assertRefused(revoked.validator(), revoked.validToken(), Reason.KEY_NOT_FOUND);
    assertThat(revoked.validator().validate(original.validToken())).isNotNull();
  }

  @Test
  void withoutKey_unknownOrLastKey_throwsIllegalArgument() {
    TestIssuer issuer = TestIssuer.create(Algorithm.ES256);
    assertThatThrownBy(() -> issuer.withoutKey("nope"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> issuer.withoutKey(issuer.keyId()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keys_generatedOncePerFamilyAndIndex() {
    PublicKey rs256 = TestIssuer.create(Algorithm.RS256).publicKey();
    assertThat(TestIssuer.create(Algorithm.PS512).publicKey()).isSameAs(rs256);
    assertThat(TestIssuer.builder().issuer("https://x/").build().publicKey()).isSameAs(rs256);
    assertThat(TestIssuer.create(Algorithm.RS256).rotate().publicKey()).isNotEqualTo(rs256);
    assertThat(TestIssuer.create(Algorithm.EdDSA).publicKey())
        .isSameAs(TestIssuer.create(Algorithm.Ed25519).publicKey());
    assertThat(TestIssuer.create(Algorithm.HS256).secret())
        .isEqualTo(TestIssuer.create(Algorithm.HS256).secret());
    assertThat(KeyMaterial.get(KeyMaterial.Family.RSA, KeyMaterial.STRANGER))
        .isNotSameAs(KeyMaterial.get(KeyMaterial.Family.RSA, 0));
  }

  // ---------------------------------------------------------------------------------------------
  // Keys and accessors

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void keySizes_matchAlgorithm(Algorithm alg) {
    TestIssuer issuer = TestIssuer.create(alg);
    JwtKey key = issuer.jwtKey();
    int expected =
        switch (alg) {
          case RS256, RS384, RS512, PS256, PS384, PS512 -> 2048;
          case ES256, HS256 -> 256;
          case ES384, HS384 -> 384;
          case ES512 -> 521;
          case HS512 -> 512;
          case EdDSA, Ed25519 -> 255;
          case Ed448 -> 448;
        };
    assertThat(key.bits()).isEqualTo(expected);
    assertThat(key.algorithms()).containsExactly(alg);
    assertThat(key.keyId()).contains(issuer.keyId());
    if (HMAC.contains(alg)) {
      assertThat(issuer.secret()).hasSize(expected / 8);
    }
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void publicJwk_isAValidJwkWithKidAlgAndUse(Algorithm alg) throws Exception {
    TestIssuer issuer = TestIssuer.create(alg);
    Map<String, @Nullable Object> jwk = Json.parseObject(issuer.publicJwk().getBytes(UTF_8), 8);

    assertThat(jwk)
        .containsEntry("kid", issuer.keyId())
        .containsEntry("alg", alg.jwaName())
        .containsEntry("use", "sig")
        .doesNotContainKeys("d", "p", "q", "dp", "dq", "qi");
    String kty = (String) jwk.get("kty");
    if (HMAC.contains(alg)) {
      assertThat(kty).isEqualTo("oct");
      assertThat(Base64Url.decode((String) Objects.requireNonNull(jwk.get("k"))))
          .isEqualTo(issuer.secret());
    } else {
      assertThat(kty).isIn("RSA", "EC", "OKP");
    }
    JwtValidator fromJwk =
        JwtValidator.builder()
            .algorithms(alg)
            .issuer(issuer.issuer())
            .audience(issuer.audience())
            .keys(KeyResolver.jwk(issuer.publicJwk()))
            .build();
    assertThat(fromJwk.validate(issuer.validToken())).isNotNull();
    assertThat(issuer.jwks()).isEqualTo("{\"keys\":[" + issuer.publicJwk() + "]}");
  }

  @ParameterizedTest
  @EnumSource(
      value = Algorithm.class,
      names = {"ES256", "ES384", "ES512"})
  void publicJwk_ecCoordinatesHaveFieldLength(Algorithm alg) throws Exception {
    TestIssuer issuer = TestIssuer.create(alg);
    Map<String, @Nullable Object> jwk = Json.parseObject(issuer.publicJwk().getBytes(UTF_8), 8);
    int len = alg == Algorithm.ES256 ? 32 : alg == Algorithm.ES384 ? 48 : 66;
    assertThat(Base64Url.decode((String) Objects.requireNonNull(jwk.get("x")))).hasSize(len);
    assertThat(Base64Url.decode((String) Objects.requireNonNull(jwk.get("y")))).hasSize(len);
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void jwtKeyAndPublicKey_verifyTokens(Algorithm alg) {
    TestIssuer issuer = TestIssuer.create(alg);
    KeyResolver resolver =
        HMAC.contains(alg)
            ? KeyResolver.of(issuer.jwtKey())
            : KeyResolver.publicKey(issuer.publicKey());
    JwtValidator v =
        JwtValidator.builder()
            .algorithms(alg)
            .issuer(issuer.issuer())
            .audience(issuer.audience())
            .keys(resolver)
            .build();
    assertThat(v.validate(issuer.validToken())).isNotNull();
  }

  @Test
  void secret_isACopy() {
    TestIssuer issuer = TestIssuer.create(Algorithm.HS256);
    byte[] secret = issuer.secret();
    secret[0] ^= 1;
    assertThat(issuer.secret()).isNotEqualTo(secret);
    assertThat(issuer.validator().validate(issuer.validToken())).isNotNull();
  }

  @ParameterizedTest
  @EnumSource(
      value = Algorithm.class,
      mode = EnumSource.Mode.EXCLUDE,
      names = {"HS256", "HS384", "HS512"})
  void secret_asymmetricIssuer_throwsIllegalState(Algorithm alg) {
    assertThatThrownBy(TestIssuer.create(alg)::secret).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void validatorBuilder_acceptsMoreOptions_butNotTheGivenOnesAgain() {
    TestIssuer issuer = fixed(Algorithm.ES256);
    JwtValidator strict =
        issuer.validatorBuilder().requireClaims("jti").maxTokenAge(Duration.ofMinutes(1)).build();
    assertThat(strict.validate(issuer.validToken())).isNotNull();
    assertThatThrownBy(() -> issuer.validatorBuilder().algorithms(Algorithm.ES256))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> issuer.validatorBuilder().issuer("x"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> issuer.validatorBuilder().audience("x"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> issuer.validatorBuilder().keys(issuer.keys()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> issuer.validatorBuilder().clock(FIXED))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void validator_usesIssuerClock() {
    TestIssuer past =
        TestIssuer.builder()
            .clock(Clock.fixed(Instant.parse("2001-01-01T00:00:00Z"), ZoneOffset.UTC))
            .build();
    String token = past.validToken();
    assertThat(past.validator().validate(token)).isNotNull();
    // The same token seen by a validator on the system clock expired long ago.
    assertRefused(TestIssuer.create(Algorithm.RS256).validator(), token, Reason.EXPIRED);
  }

  @Test
  void toString_showsSettingsButNoKeyMaterial() {
    TestIssuer issuer = TestIssuer.create(Algorithm.HS256);
    String text = issuer.toString() + issuer.token();
    assertThat(text).contains("HS256", issuer.keyId(), issuer.issuer());
    assertThat(text).doesNotContain(Base64Url.encode(issuer.secret()));
    assertThat(text).doesNotContain(issuer.validToken().substring(0, 20));
  }

  // ---------------------------------------------------------------------------------------------
  // Builder rules

  @Test
  void builder_defaults() {
    TestIssuer issuer = TestIssuer.builder().build();
    assertThat(issuer.algorithm()).isEqualTo(Algorithm.RS256);
    assertThat(issuer.issuer()).isEqualTo("https://issuer.test/");
    assertThat(issuer.audience()).isEqualTo("test-api");
    assertThat(issuer.keyId()).isEqualTo("test-rs256-1");
    assertThat(issuer.clock()).isEqualTo(Clock.systemUTC());
  }

  @Test
  void builder_allOptions_used() {
    TestIssuer issuer =
        TestIssuer.builder()
            .algorithm(Algorithm.ES512)
            .issuer("https://idp.example/")
            .audience("orders")
            .keyId("k1")
            .clock(FIXED)
            .build();
    VerifiedJwt jwt = issuer.validator().validate(issuer.validToken());
    assertThat(jwt.issuer()).isEqualTo("https://idp.example/");
    assertThat(jwt.audience()).containsExactly("orders");
    assertThat(jwt.keyId()).contains("k1");
    assertThat(jwt.algorithm()).isEqualTo(Algorithm.ES512);
    assertThat(jwt.issuedAt()).contains(NOW);
  }

  @Test
  void builder_eachOptionTwice_throwsIllegalState() {
    assertThatThrownBy(
            () -> TestIssuer.builder().algorithm(Algorithm.RS256).algorithm(Algorithm.RS256))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("algorithm");
    assertThatThrownBy(() -> TestIssuer.builder().issuer("a").issuer("a"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("issuer");
    assertThatThrownBy(() -> TestIssuer.builder().audience("a").audience("a"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("audience");
    assertThatThrownBy(() -> TestIssuer.builder().keyId("a").keyId("a"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("keyId");
    assertThatThrownBy(() -> TestIssuer.builder().clock(FIXED).clock(FIXED))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("clock");
    assertThatThrownBy(() -> TestIssuer.builder().tokenDefaults(t -> {}).tokenDefaults(t -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tokenDefaults");
  }

  @Test
  @SuppressWarnings("NullAway") // nulls on purpose
  void builder_nulls_throwNullPointerNamingTheParameter() {
    assertThatThrownBy(() -> TestIssuer.builder().algorithm(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("algorithm");
    assertThatThrownBy(() -> TestIssuer.builder().issuer(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("issuer");
    assertThatThrownBy(() -> TestIssuer.builder().audience(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("audience");
    assertThatThrownBy(() -> TestIssuer.builder().keyId(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("keyId");
    assertThatThrownBy(() -> TestIssuer.builder().clock(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("clock");
    assertThatThrownBy(() -> TestIssuer.builder().tokenDefaults(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("defaults");
    assertThatThrownBy(() -> TestIssuer.create(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("algorithm");
  }

  @Test
  void builder_emptyStrings_throwIllegalArgument() {
    assertThatThrownBy(() -> TestIssuer.builder().issuer(""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TestIssuer.builder().audience(""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TestIssuer.builder().keyId(""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tokenDefaults_javadocExample_everyTokenCarriesThem() throws Exception {
    TestIssuer idp =
        TestIssuer.builder()
            .tokenDefaults(t -> t.type("at+jwt").claim("client_id", "shop").scope("orders:read"))
            .build();
    JwtValidator accessTokens = idp.validatorBuilder().accessTokenProfile().build();

    VerifiedJwt jwt = accessTokens.validate(idp.validToken());

    assertThat(jwt.type()).contains("at+jwt");
    assertThat(jwt.claim("client_id", String.class)).contains("shop");
    assertThat(jwt.scopes()).containsExactly("orders:read");
    // Broken tokens start from the defaults too, so only their one defect refuses them.
    assertRefused(accessTokens, idp.expiredToken(), Reason.EXPIRED);
    assertRefused(accessTokens, idp.wrongAudienceToken(), Reason.AUDIENCE_MISMATCH);
    assertThat(header(idp.embeddedJwkToken())).containsEntry("typ", "at+jwt");
    assertThat(claims(idp.deeplyNestedToken(2))).containsEntry("client_id", "shop");
  }

  @Test
  void tokenDefaults_lastCallWins_andRotationKeepsThem() throws Exception {
    TestIssuer idp =
        TestIssuer.builder().tokenDefaults(t -> t.claim("tenant", "acme").subject("bob")).build();
    assertThat(claims(idp.token().subject("carol").sign()))
        .containsEntry("sub", "carol")
        .containsEntry("tenant", "acme");
    assertThat(claims(idp.rotate().validToken())).containsEntry("tenant", "acme");
    assertThat(claims(idp.rotate().withoutKey(idp.keyId()).validToken()))
        .containsEntry("tenant", "acme");
  }

  @Test
  void idTokenAsAccessToken_accessTokenDefaults_stillAnIdToken() throws Exception {
    TestIssuer idp =
        TestIssuer.builder()
            .tokenDefaults(t -> t.type("at+jwt").claim("client_id", "shop").scope("orders:read"))
            .build();
    String token = idp.idTokenAsAccessToken();
    assertThat(header(token)).containsEntry("typ", "JWT");
    assertThat(claims(token)).doesNotContainKeys("client_id", "scope", "jti");
    assertRefused(idp.validatorBuilder().accessTokenProfile().build(), token, Reason.TYPE_MISMATCH);
  }

  @Test
  void builder_laterCalls_doNotAffectBuiltIssuer() {
    TestIssuer.Builder b = TestIssuer.builder();
    TestIssuer issuer = b.build();
    b.issuer("https://later/");
    assertThat(issuer.issuer()).isEqualTo("https://issuer.test/");
    assertThatCode(b::build).doesNotThrowAnyException();
  }

  // ---------------------------------------------------------------------------------------------
  // Independent computations of what the kit should produce

  private static byte[] pem(PublicKey key) {
    String b64 = Base64.getEncoder().encodeToString(key.getEncoded());
    StringBuilder text = new StringBuilder("-----BEGIN PUBLIC KEY-----\n");
    for (int i = 0; i < b64.length(); i += 64) {
      text.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
    }
    return text.append("-----END PUBLIC KEY-----\n").toString().getBytes(US_ASCII);
  }

  private static byte[] hmacSha256(byte[] key, String token) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(token.substring(0, token.lastIndexOf('.')).getBytes(US_ASCII));
  }
}
