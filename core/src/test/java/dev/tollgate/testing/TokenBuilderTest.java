package dev.tollgate.testing;

import static dev.tollgate.testing.TestIssuerTest.assertRefused;
import static dev.tollgate.testing.TestIssuerTest.claims;
import static dev.tollgate.testing.TestIssuerTest.header;
import static dev.tollgate.testing.TestIssuerTest.segmentText;
import static dev.tollgate.testing.TestIssuerTest.signature;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtValidator;
import dev.tollgate.Reason;
import dev.tollgate.VerifiedJwt;
import dev.tollgate.keys.KeyResolver;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TokenBuilderTest {
  private static final Instant NOW = Instant.parse("2031-05-06T07:08:09Z");
  private static final Clock FIXED = Clock.fixed(NOW, ZoneOffset.UTC);

  private final TestIssuer rs256 =
      TestIssuer.builder().algorithm(Algorithm.RS256).clock(FIXED).build();
  private final TestIssuer es256 =
      TestIssuer.builder().algorithm(Algorithm.ES256).clock(FIXED).build();

  private static JwtValidator validatorWithKeys(
      TestIssuer issuer, Algorithm alg, KeyResolver keys) {
    return JwtValidator.builder()
        .algorithms(alg)
        .issuer(issuer.issuer())
        .audience(issuer.audience())
        .keys(keys)
        .clock(issuer.clock())
        .build();
  }

  @Test
  void classJavadocExample_runs() {
    TestIssuer issuer = es256;
    String token =
        issuer.token().subject("alice").scope("orders:read").expiresIn(Duration.ofHours(1)).sign();
    VerifiedJwt jwt = issuer.validator().validate(token);
    assertThat(jwt.subject()).contains("alice");
    assertThat(jwt.scopes()).containsExactly("orders:read");
    assertThat(jwt.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
  }

  @Test
  void claim_jsonValues_writtenAsJson() throws Exception {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("a", 1);
    nested.put("b", List.of(true, "x"));
    String token =
        es256
            .token()
            .claim("nothing", null)
            .claim("n", 42L)
            .claim("d", 1.5)
            .claim("flag", true)
            .claim("list", List.of("a", "b"))
            .claim("obj", nested)
            .claim("when", Instant.ofEpochSecond(1234))
            .sign();

    String payload = segmentText(token, 1);
    assertThat(payload)
        .contains(
            "\"nothing\":null",
            "\"n\":42",
            "\"d\":1.5",
            "\"flag\":true",
            "\"list\":[\"a\",\"b\"]",
            "\"obj\":{\"a\":1,\"b\":[true,\"x\"]}",
            "\"when\":1234");
    VerifiedJwt jwt = es256.validator().validate(token);
    assertThat(jwt.claims()).containsEntry("nothing", null).containsEntry("n", 42L);
  }

  @Test
  void claim_unsupportedValue_throwsIllegalArgumentAtOnce() {
    TokenBuilder t = es256.token();
    assertThatThrownBy(() -> t.claim("x", new Object()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> t.header("x", Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void claim_replacesEarlierValue_andDefaults() throws Exception {
    String token = es256.token().claim("sub", "a").claim("sub", "b").claim("iss", "x").sign();
    assertThat(claims(token)).containsEntry("sub", "b").containsEntry("iss", "x");
  }

  @Test
  void withoutClaim_removesDefault() throws Exception {
    String token = es256.token().withoutClaim("jti").withoutClaim("sub").sign();
    assertThat(claims(token)).doesNotContainKeys("jti", "sub");
    assertThat(es256.validator().validate(token).jwtId()).isEmpty();
  }

  @Test
  void header_andWithoutHeader() throws Exception {
    String token = es256.token().header("x", null).header("cty", "JWT").withoutHeader("typ").sign();
    assertThat(segmentText(token, 0))
        .isEqualTo(
            "{\"alg\":\"ES256\",\"kid\":\"" + es256.keyId() + "\",\"x\":null,\"cty\":\"JWT\"}");
    assertThat(es256.validator().validate(token).type()).isEmpty();
  }

  @Test
  void withoutKid_stillVerifiesAgainstTheOnlyKey() {
    String token = es256.token().withoutHeader("kid").sign();
    assertThat(es256.validator().validate(token).keyId()).isEmpty();
  }

  @Test
  void keyId_unknown_refusedWithKeyNotFound() {
    assertRefused(es256.validator(), es256.token().keyId("nope").sign(), Reason.KEY_NOT_FOUND);
  }

  @Test
  void shortcuts_writeTheirClaims() throws Exception {
    String token =
        es256
            .token()
            .subject("s")
            .issuer("i")
            .expiresAt(Instant.ofEpochSecond(2000))
            .notBefore(Instant.ofEpochSecond(1000))
            .issuedAt(Instant.ofEpochSecond(999))
            .scope("a", "b", "c")
            .type("at+jwt")
            .sign();
    Map<String, @Nullable Object> claims = claims(token);
    assertThat(claims)
        .containsEntry("sub", "s")
        .containsEntry("iss", "i")
        .containsEntry("exp", 2000L)
        .containsEntry("nbf", 1000L)
        .containsEntry("iat", 999L)
        .containsEntry("scope", "a b c");
    assertThat(header(token)).containsEntry("typ", "at+jwt");
  }

  @Test
  void expiresIn_relativeToIssuerClock() throws Exception {
    String token = es256.token().expiresIn(Duration.ofSeconds(-30)).sign();
    assertThat(claims(token)).containsEntry("exp", NOW.getEpochSecond() - 30);
    // Within the default 60 s skew.
    assertThat(es256.validator().validate(token)).isNotNull();
    assertRefused(
        es256.validator(), es256.token().expiresIn(Duration.ofMinutes(-1)).sign(), Reason.EXPIRED);
  }

  @Test
  void audience_oneIsString_severalAreArray_noneIsEmptyArray() throws Exception {
    assertThat(claims(es256.token().audience("a").sign())).containsEntry("aud", "a");
    String several = es256.token().audience("x", es256.audience()).sign();
    assertThat(claims(several)).containsEntry("aud", List.of("x", es256.audience()));
    assertThat(es256.validator().validate(several).audience()).containsExactly("x", "test-api");
    String none = es256.token().audience().sign();
    assertThat(claims(none)).containsEntry("aud", List.of());
    assertRefused(es256.validator(), none, Reason.AUDIENCE_MISMATCH);
  }

  @Test
  void scope_none_writesEmptyString() throws Exception {
    String token = es256.token().scope().sign();
    assertThat(claims(token)).containsEntry("scope", "");
    assertThat(es256.validator().validate(token).scopes()).isEmpty();
  }

  @Test
  void accessToken_passesAccessTokenProfile() {
    String token = es256.token().type("at+jwt").claim("client_id", "c1").scope("read").sign();
    VerifiedJwt jwt = es256.validatorBuilder().accessTokenProfile().build().validate(token);
    assertThat(jwt.claim("client_id", String.class)).contains("c1");
    assertRefused(
        es256.validatorBuilder().accessTokenProfile().build(),
        es256.validToken(),
        Reason.TYPE_MISMATCH);
  }

  @ParameterizedTest
  @EnumSource(
      value = Algorithm.class,
      names = {"RS384", "RS512", "PS256", "PS384", "PS512"})
  void algorithm_fittingTheKey_signsWithIt(Algorithm alg) throws Exception {
    String token = rs256.token().algorithm(alg).sign();
    assertThat(header(token)).containsEntry("alg", alg.jwaName());
    JwtValidator v = validatorWithKeys(rs256, alg, KeyResolver.publicKey(rs256.publicKey()));
    assertThat(v.validate(token).algorithm()).isEqualTo(alg);
    // The issuer's own key set pins the key to RS256: no key fits, the validator is not built.
    assertThatThrownBy(() -> validatorWithKeys(rs256, alg, rs256.keys()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void algorithm_eddsaWithEd448Key_signsWithEd448() {
    TestIssuer ed448 = TestIssuer.builder().algorithm(Algorithm.Ed448).clock(FIXED).build();
    String token = ed448.token().algorithm(Algorithm.EdDSA).sign();
    JwtValidator v =
        validatorWithKeys(ed448, Algorithm.EdDSA, KeyResolver.publicKey(ed448.publicKey()));
    assertThat(v.validate(token).algorithm()).isEqualTo(Algorithm.EdDSA);
    assertThat(signature(token)).hasSize(114);
  }

  @Test
  void algorithm_hs512SecretSignsHs256() {
    TestIssuer hs512 = TestIssuer.builder().algorithm(Algorithm.HS512).clock(FIXED).build();
    String token = hs512.token().algorithm(Algorithm.HS256).sign();
    assertThat(signature(token)).hasSize(32);
    JwtValidator v = validatorWithKeys(hs512, Algorithm.HS256, KeyResolver.secret(hs512.secret()));
    assertThat(v.validate(token).algorithm()).isEqualTo(Algorithm.HS256);
  }

  @Test
  void algorithm_notFittingTheKey_headerLiesSignatureIsIssuers() throws Exception {
    String token = rs256.token().algorithm(Algorithm.ES256).sign();
    assertThat(header(token)).containsEntry("alg", "ES256");
    assertThat(signature(token)).hasSize(256); // an RS256 signature
    JwtValidator both =
        JwtValidator.builder()
            .algorithms(Algorithm.RS256, Algorithm.ES256)
            .issuer(rs256.issuer())
            .audience(rs256.audience())
            .keys(KeyResolver.publicKey(rs256.publicKey()))
            .clock(FIXED)
            .build();
    assertRefused(both, token, Reason.KEY_NOT_FOUND);
    assertRefused(rs256.validator(), token, Reason.ALGORITHM_NOT_ALLOWED);
  }

  @Test
  void payload_writtenVerbatim() {
    String raw = "{\"iss\":\"a\",\"iss\":\"b\"}";
    String token = es256.token().payload(raw).sign();
    assertThat(segmentText(token, 1)).isEqualTo(raw);
    assertRefused(es256.validator(), token, Reason.MALFORMED);
    assertRefused(es256.validator(), es256.token().payload("not json").sign(), Reason.MALFORMED);
    assertRefused(es256.validator(), es256.token().payload("").sign(), Reason.MALFORMED);
  }

  @Test
  void payload_thenClaimEdits_throwIllegalState() {
    TokenBuilder t = es256.token().payload("{}");
    assertThatThrownBy(() -> t.claim("a", 1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> t.withoutClaim("a")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> t.subject("a")).isInstanceOf(IllegalStateException.class);
    // Header edits still work.
    assertThat(t.type("JWT").sign()).isNotEmpty();
  }

  @Test
  void rawHeader_writtenVerbatim_signedWithIssuerAlgorithm() {
    String raw = "{\"alg\":\"ES256\",\"kid\":\"" + es256.keyId() + "\"}";
    String token = es256.token().rawHeader(raw).sign();
    assertThat(segmentText(token, 0)).isEqualTo(raw);
    assertThat(es256.validator().validate(token)).isNotNull();
    String duplicate = "{\"alg\":\"ES256\",\"alg\":\"ES256\"}";
    assertRefused(es256.validator(), es256.token().rawHeader(duplicate).sign(), Reason.MALFORMED);
  }

  @Test
  void rawHeader_thenHeaderEdits_throwIllegalState() {
    TokenBuilder t = es256.token().rawHeader("{}");
    assertThatThrownBy(() -> t.header("a", 1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> t.withoutHeader("a")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> t.keyId("a")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> t.type("a")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> t.algorithm(Algorithm.ES256))
        .isInstanceOf(IllegalStateException.class);
    assertThat(t.subject("x").sign()).isNotEmpty();
  }

  @Test
  void signWith_anotherPrivateKey_refusedWithBadSignature() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    PrivateKey other = g.generateKeyPair().getPrivate();
    assertRefused(es256.validator(), es256.token().signWith(other), Reason.BAD_SIGNATURE);
    assertThat(es256.validator().validate(es256.token().signWith(es256.privateKey()))).isNotNull();
  }

  @Test
  void signWith_secret() {
    TestIssuer hs256 = TestIssuer.builder().algorithm(Algorithm.HS256).clock(FIXED).build();
    assertThat(hs256.validator().validate(hs256.token().signWith(hs256.secret()))).isNotNull();
    byte[] shortSecret = Arrays.copyOf(hs256.secret(), 8);
    assertRefused(hs256.validator(), hs256.token().signWith(shortSecret), Reason.BAD_SIGNATURE);
    assertThatThrownBy(() -> hs256.token().signWith(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void signWith_keyOfWrongKind_throwsIllegalArgument() throws Exception {
    TestIssuer hs256 = TestIssuer.create(Algorithm.HS256);
    assertThatThrownBy(() -> rs256.token().signWith(hs256.secret()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> hs256.token().signWith(rs256.privateKey()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> rs256.token().signWith(es256.privateKey()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sign_twice_sameTokenForDeterministicAlgorithms() {
    TokenBuilder t = rs256.token();
    assertThat(t.sign()).isEqualTo(t.sign());
  }

  @Test
  @SuppressWarnings("NullAway") // nulls on purpose
  void varargsWithNullElement_throwNullPointer() {
    TokenBuilder t = es256.token();
    assertThatThrownBy(() -> t.audience("a", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("audiences[]");
    assertThatThrownBy(() -> t.scope("a", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("scopes[]");
    assertThatThrownBy(() -> t.audience((String[]) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("audiences");
  }

  @Test
  void toString_namesMembersButNoValues() {
    String text = es256.token().subject("secret-subject").toString();
    assertThat(text).contains("sub", "ES256").doesNotContain("secret-subject");
  }
}
