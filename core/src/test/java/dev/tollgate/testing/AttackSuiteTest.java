package dev.tollgate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtKey;
import dev.tollgate.JwtValidationException;
import dev.tollgate.JwtValidator;
import dev.tollgate.MultiIssuerValidator;
import dev.tollgate.Reason;
import dev.tollgate.keys.KeyResolver;
import dev.tollgate.keys.RemoteJwks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AttackSuiteTest {
  private static final Instant NOW = Instant.parse("2031-05-06T07:08:09Z");
  private static final Clock FIXED = Clock.fixed(NOW, ZoneOffset.UTC);

  /** Attacks for every issuer, in the suite's order. */
  private static final List<String> COMMON_HEAD =
      List.of(
          "alg-none",
          "alg-None",
          "alg-NONE",
          "alg-nOnE",
          "stripped-signature",
          "altered-payload",
          "signed-by-another-key");

  private static final List<String> COMMON_TAIL =
      List.of(
          "jwk-header",
          "jwk-header-trusted-kid",
          "jku-header",
          "x5u-header",
          "x5c-header",
          "kid-path-traversal",
          "kid-sql-injection",
          "kid-empty",
          "crit-unknown",
          "b64-false",
          "typ-dpop",
          "jwe",
          "expired",
          "exp-as-string",
          "exp-missing",
          "not-yet-valid",
          "wrong-issuer",
          "issuer-prefix",
          "issuer-missing",
          "wrong-audience",
          "audience-list-without-ours",
          "audience-prefix",
          "audience-missing",
          "audience-empty-list",
          "duplicate-claim",
          "duplicate-claim-escaped",
          "deeply-nested-claims",
          "deeply-nested-header",
          "oversized");

  /** The reason Tollgate's own validator gives for each attack, whatever the algorithm. */
  private static final Map<String, Reason> TOLLGATE_REASONS = new LinkedHashMap<>();

  static {
    for (String none : List.of("alg-none", "alg-None", "alg-NONE", "alg-nOnE")) {
      TOLLGATE_REASONS.put(none, Reason.ALGORITHM_NOT_ALLOWED);
    }
    TOLLGATE_REASONS.put("stripped-signature", Reason.BAD_SIGNATURE);
    TOLLGATE_REASONS.put("altered-payload", Reason.BAD_SIGNATURE);
    TOLLGATE_REASONS.put("signed-by-another-key", Reason.BAD_SIGNATURE);
    TOLLGATE_REASONS.put("ecdsa-zero-signature", Reason.BAD_SIGNATURE);
    TOLLGATE_REASONS.put("ecdsa-order-signature", Reason.BAD_SIGNATURE);
    TOLLGATE_REASONS.put("signature-padding", Reason.MALFORMED);
    TOLLGATE_REASONS.put("signature-non-canonical", Reason.MALFORMED);
    TOLLGATE_REASONS.put("hmac-confusion-pem", Reason.ALGORITHM_NOT_ALLOWED);
    TOLLGATE_REASONS.put("hmac-confusion-der", Reason.ALGORITHM_NOT_ALLOWED);
    TOLLGATE_REASONS.put("hmac-confusion-jwk", Reason.ALGORITHM_NOT_ALLOWED);
    // weak-hmac-secret and kid-*: ALGORITHM_NOT_ALLOWED for public-key issuers, see below.
    TOLLGATE_REASONS.put("weak-hmac-secret", Reason.BAD_SIGNATURE);
    TOLLGATE_REASONS.put("jwk-header", Reason.KEY_NOT_FOUND);
    TOLLGATE_REASONS.put("jwk-header-trusted-kid", Reason.BAD_SIGNATURE);
    TOLLGATE_REASONS.put("jku-header", Reason.KEY_NOT_FOUND);
    TOLLGATE_REASONS.put("x5u-header", Reason.KEY_NOT_FOUND);
    TOLLGATE_REASONS.put("x5c-header", Reason.KEY_NOT_FOUND);
    TOLLGATE_REASONS.put("kid-path-traversal", Reason.KEY_NOT_FOUND);
    TOLLGATE_REASONS.put("kid-sql-injection", Reason.KEY_NOT_FOUND);
    TOLLGATE_REASONS.put("kid-empty", Reason.KEY_NOT_FOUND);
    TOLLGATE_REASONS.put("crit-unknown", Reason.UNSUPPORTED_CRITICAL_HEADER);
    TOLLGATE_REASONS.put("b64-false", Reason.UNSUPPORTED_CRITICAL_HEADER);
    TOLLGATE_REASONS.put("typ-dpop", Reason.TYPE_MISMATCH);
    TOLLGATE_REASONS.put("jwe", Reason.MALFORMED);
    TOLLGATE_REASONS.put("expired", Reason.EXPIRED);
    TOLLGATE_REASONS.put("exp-as-string", Reason.CLAIM_INVALID);
    TOLLGATE_REASONS.put("exp-missing", Reason.MISSING_CLAIM);
    TOLLGATE_REASONS.put("not-yet-valid", Reason.NOT_YET_VALID);
    TOLLGATE_REASONS.put("wrong-issuer", Reason.ISSUER_MISMATCH);
    TOLLGATE_REASONS.put("issuer-prefix", Reason.ISSUER_MISMATCH);
    TOLLGATE_REASONS.put("issuer-missing", Reason.MISSING_CLAIM);
    TOLLGATE_REASONS.put("wrong-audience", Reason.AUDIENCE_MISMATCH);
    TOLLGATE_REASONS.put("audience-list-without-ours", Reason.AUDIENCE_MISMATCH);
    TOLLGATE_REASONS.put("audience-prefix", Reason.AUDIENCE_MISMATCH);
    TOLLGATE_REASONS.put("audience-missing", Reason.MISSING_CLAIM);
    TOLLGATE_REASONS.put("audience-empty-list", Reason.AUDIENCE_MISMATCH);
    TOLLGATE_REASONS.put("duplicate-claim", Reason.MALFORMED);
    TOLLGATE_REASONS.put("duplicate-claim-escaped", Reason.MALFORMED);
    TOLLGATE_REASONS.put("deeply-nested-claims", Reason.MALFORMED);
    TOLLGATE_REASONS.put("deeply-nested-header", Reason.MALFORMED);
    TOLLGATE_REASONS.put("oversized", Reason.TOO_LARGE);
    TOLLGATE_REASONS.put("id-token-as-access-token", Reason.TYPE_MISMATCH);
    TOLLGATE_REASONS.put("access-token-without-typ", Reason.TYPE_MISMATCH);
    TOLLGATE_REASONS.put("access-token-without-client-id", Reason.MISSING_CLAIM);
    TOLLGATE_REASONS.put("too-old", Reason.TOO_OLD);
    TOLLGATE_REASONS.put("iat-missing", Reason.MISSING_CLAIM);
  }

  private static boolean isHmac(Algorithm alg) {
    return alg == Algorithm.HS256 || alg == Algorithm.HS384 || alg == Algorithm.HS512;
  }

  private static boolean isEcdsa(Algorithm alg) {
    return alg == Algorithm.ES256 || alg == Algorithm.ES384 || alg == Algorithm.ES512;
  }

  /** The attack names the suite must mint for an issuer of this algorithm. */
  static List<String> expectedNames(Algorithm alg) {
    List<String> names = new ArrayList<>(COMMON_HEAD);
    if (isEcdsa(alg)) {
      names.add("ecdsa-zero-signature");
      names.add("ecdsa-order-signature");
    }
    // Signatures whose length is not a multiple of three bytes leave unused bits.
    if (!EnumSet.of(Algorithm.ES384, Algorithm.ES512, Algorithm.Ed448, Algorithm.HS384)
        .contains(alg)) {
      names.add("signature-padding");
      names.add("signature-non-canonical");
    }
    if (!isHmac(alg)) {
      names.addAll(List.of("hmac-confusion-pem", "hmac-confusion-der", "hmac-confusion-jwk"));
    }
    names.add("weak-hmac-secret");
    for (String n : COMMON_TAIL) {
      if (!(isHmac(alg) && n.equals("x5c-header"))) {
        names.add(n);
      }
    }
    return names;
  }

  static Reason tollgateReason(Algorithm alg, String attack) {
    // These attacks sign with HS256, which only HMAC issuers' validators allow.
    boolean hs256 = attack.equals("weak-hmac-secret") || attack.startsWith("kid-");
    if (hs256 && !isHmac(alg)) {
      return Reason.ALGORITHM_NOT_ALLOWED;
    }
    return TOLLGATE_REASONS.get(attack);
  }

  // ---------------------------------------------------------------------------------------------
  // Tollgate's validator passes

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void assertRefusedBy_issuerValidator_everyAlgorithm_passes(Algorithm alg) {
    TestIssuer issuer = TestIssuer.create(alg);
    assertThatCode(() -> AttackSuite.against(issuer).assertRefusedBy(issuer.validator()))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void attacks_everyAlgorithm_refusedWithTheExpectedReason(Algorithm alg) {
    TestIssuer issuer = TestIssuer.builder().algorithm(alg).clock(FIXED).build();
    JwtValidator validator = issuer.validator();
    List<AttackSuite.Attack> attacks = AttackSuite.against(issuer).attacks();

    assertThat(attacks)
        .extracting(AttackSuite.Attack::name)
        .containsExactlyElementsOf(expectedNames(alg));
    for (AttackSuite.Attack attack : attacks) {
      JwtValidationException e =
          catchThrowableOfType(
              JwtValidationException.class, () -> validator.validate(attack.token()));
      assertThat(e).as(attack.name()).isNotNull();
      assertThat(e.reason()).as(attack.name()).isEqualTo(tollgateReason(alg, attack.name()));
      assertThat(attack.acceptableReasons()).as(attack.name()).contains(e.reason());
      assertThat(attack.requiredOption()).isEmpty();
    }
  }

  @Test
  void classJavadocExample_runs() {
    TestIssuer idp = TestIssuer.create(Algorithm.ES256);
    JwtValidator validator = idp.validator(); // or the validator your application builds
    AttackSuite.against(idp).assertRefusedBy(validator);
  }

  @Test
  void targetJavadocExample_multiIssuerValidator_passes() {
    TestIssuer idp = TestIssuer.builder().issuer("https://idp.example/").build();
    TestIssuer partner =
        TestIssuer.builder().algorithm(Algorithm.EdDSA).issuer("https://partner.example/").build();
    MultiIssuerValidator multiIssuerValidator =
        MultiIssuerValidator.builder()
            .issuer(idp.issuer(), idp.validator())
            .issuer(partner.issuer(), partner.validator())
            .build();
    AttackSuite.against(idp).assertRefusedBy(token -> multiIssuerValidator.validate(token));
    AttackSuite.against(partner).assertRefusedBy(multiIssuerValidator::validate);
  }

  // ---------------------------------------------------------------------------------------------
  // Other configurations of the validator under test

  @ParameterizedTest
  @EnumSource(
      value = Algorithm.class,
      names = {"RS256", "PS384", "ES512", "EdDSA", "Ed25519"})
  void assertRefusedBy_publicKeyWithoutKid_passes(Algorithm alg) {
    TestIssuer issuer = TestIssuer.create(alg);
    JwtValidator validator =
        JwtValidator.builder()
            .algorithms(alg)
            .issuer(issuer.issuer())
            .audience(issuer.audience())
            .keys(KeyResolver.publicKey(issuer.publicKey()))
            .build();
    AttackSuite.against(issuer).assertRefusedBy(validator);
  }

  @Test
  void assertRefusedBy_hmacSecretWithoutKid_passes() {
    TestIssuer issuer = TestIssuer.create(Algorithm.HS256);
    JwtValidator validator =
        JwtValidator.builder()
            .algorithms(Algorithm.HS256)
            .issuer(issuer.issuer())
            .audience(issuer.audience())
            .keys(KeyResolver.secret(issuer.secret()))
            .build();
    AttackSuite.against(issuer).assertRefusedBy(validator);
  }

  /** HS256 allowed beside RS256, with a secret that has no kid: confusion meets a real MAC key. */
  @Test
  void assertRefusedBy_asymmetricAndHmacAllowed_passes() {
    TestIssuer issuer = TestIssuer.create(Algorithm.RS256);
    JwtValidator validator =
        JwtValidator.builder()
            .algorithms(Algorithm.RS256, Algorithm.HS256)
            .issuer(issuer.issuer())
            .audience(issuer.audience())
            .keys(
                KeyResolver.of(
                    issuer.jwtKey(), JwtKey.secret(TestIssuer.create(Algorithm.HS256).secret())))
            .build();
    AttackSuite.against(issuer).assertRefusedBy(validator);
  }

  @Test
  void assertRefusedBy_remoteKeysOnLoopback_passesWithoutFetchingAttackerUrls() {
    TestIssuer issuer = TestIssuer.create(Algorithm.ES256);
    try (JwksServer server = JwksServer.start(issuer)) {
      RemoteJwks keys = RemoteJwks.builder(server.jwksUri()).allowPlainHttpOnLoopback().build();
      JwtValidator validator =
          JwtValidator.builder()
              .algorithms(Algorithm.ES256)
              .issuer(issuer.issuer())
              .audience(issuer.audience())
              .keys(keys)
              .build();
      AttackSuite.against(issuer).assertRefusedBy(validator);
      // One fetch for the key set, one more at most for the unknown kids of the attacks.
      assertThat(server.requestCount()).isBetween(1, 2);
    }
  }

  @Test
  void assertRefusedBy_strictOptions_passes() {
    TestIssuer issuer = TestIssuer.create(Algorithm.PS256);
    JwtValidator validator =
        issuer
            .validatorBuilder()
            .clockSkew(Duration.ofMinutes(5))
            .maxTokenLength(2048)
            .minimumRsaKeyBits(2048)
            .requireClaims("sub", "jti")
            .requireClaim("sub", v -> v instanceof String)
            .build();
    AttackSuite.against(issuer).assertRefusedBy(validator);
  }

  @Test
  void assertRefusedBy_shortMaxTokenLength_refusalsForSizeAccepted() {
    TestIssuer issuer = TestIssuer.create(Algorithm.RS256);
    int valid = issuer.validToken().length();
    JwtValidator validator = issuer.validatorBuilder().maxTokenLength(valid + 1).build();

    AttackSuite.against(issuer).assertRefusedBy(validator);

    for (AttackSuite.Attack attack : AttackSuite.against(issuer).attacks()) {
      assertThat(attack.acceptableReasons().contains(Reason.TOO_LARGE))
          .as(attack.name())
          .isEqualTo(attack.token().length() > valid || attack.name().equals("oversized"));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Options that add attacks

  private static TestIssuer accessTokenIssuer() {
    return TestIssuer.builder()
        .algorithm(Algorithm.ES256)
        .tokenDefaults(t -> t.type("at+jwt").claim("client_id", "shop"))
        .build();
  }

  @Test
  void accessTokenProfile_validatorWithProfile_passes() {
    TestIssuer issuer = accessTokenIssuer();
    AttackSuite suite = AttackSuite.builder(issuer).accessTokenProfile().build();

    suite.assertRefusedBy(issuer.validatorBuilder().accessTokenProfile().build());

    List<AttackSuite.Attack> attacks = suite.attacks();
    assertThat(attacks.subList(attacks.size() - 3, attacks.size()))
        .extracting(AttackSuite.Attack::name)
        .containsExactly(
            "id-token-as-access-token",
            "access-token-without-typ",
            "access-token-without-client-id");
    assertThat(attacks.get(attacks.size() - 1).requiredOption()).contains("accessTokenProfile()");
  }

  @Test
  void accessTokenProfile_defaultValidator_failsNamingTheProfileAttacks() {
    TestIssuer issuer = accessTokenIssuer();
    AttackSuite suite = AttackSuite.builder(issuer).accessTokenProfile().build();

    assertThatThrownBy(() -> suite.assertRefusedBy(issuer.validator()))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("AttackSuite: 3 of ")
        .hasMessageContaining(
            "  - id-token-as-access-token: accepted. an OpenID Connect ID token (typ JWT, nonce, no"
                + " client_id) presented as an access token (the suite was told the validator"
                + " uses accessTokenProfile())")
        .hasMessageContaining("  - access-token-without-typ: accepted.")
        .hasMessageContaining("  - access-token-without-client-id: accepted.");
    // Without the option the suite does not expect the profile's defences.
    AttackSuite.against(issuer).assertRefusedBy(issuer.validator());
  }

  @Test
  void maxTokenAge_validatorWithTheSameAge_passes() {
    TestIssuer issuer = TestIssuer.builder().algorithm(Algorithm.Ed448).clock(FIXED).build();
    AttackSuite suite = AttackSuite.builder(issuer).maxTokenAge(Duration.ofMinutes(10)).build();

    suite.assertRefusedBy(issuer.validatorBuilder().maxTokenAge(Duration.ofMinutes(10)).build());
    suite.assertRefusedBy(issuer.validatorBuilder().maxTokenAge(Duration.ofMinutes(3)).build());

    List<AttackSuite.Attack> attacks = suite.attacks();
    assertThat(attacks.subList(attacks.size() - 2, attacks.size()))
        .extracting(AttackSuite.Attack::name, a -> a.requiredOption().orElseThrow())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("too-old", "maxTokenAge(PT10M)"),
            org.assertj.core.groups.Tuple.tuple("iat-missing", "maxTokenAge(PT10M)"));
  }

  @Test
  void maxTokenAge_validatorWithoutOrWithLongerAge_failsNamingTheAgeAttacks() {
    TestIssuer issuer = TestIssuer.builder().algorithm(Algorithm.HS384).clock(FIXED).build();
    AttackSuite suite = AttackSuite.builder(issuer).maxTokenAge(Duration.ofMinutes(10)).build();

    assertThatThrownBy(() -> suite.assertRefusedBy(issuer.validator()))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("AttackSuite: 2 of ")
        .hasMessageContaining("  - too-old: accepted.")
        .hasMessageContaining("  - iat-missing: accepted.");
    JwtValidator hour = issuer.validatorBuilder().maxTokenAge(Duration.ofHours(1)).build();
    assertThatThrownBy(() -> suite.assertRefusedBy(hour))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("AttackSuite: 1 of ")
        .hasMessageContaining("  - too-old: accepted.");
  }

  // ---------------------------------------------------------------------------------------------
  // The valid token first

  private static String baselineFailure(TestIssuer issuer, JwtValidator validator) {
    AssertionError e =
        catchThrowableOfType(
            AssertionError.class, () -> AttackSuite.against(issuer).assertRefusedBy(validator));
    assertThat(e).isNotNull();
    assertThat(e.getMessage())
        .startsWith(
            "AttackSuite proves nothing here: the issuer's valid token must be accepted, but the"
                + " validator refused it with ")
        .doesNotContain("eyJ");
    AssertionError direct =
        catchThrowableOfType(
            AssertionError.class,
            () -> AttackSuite.against(issuer).assertValidTokenAcceptedBy(validator));
    assertThat(direct).hasMessage(e.getMessage());
    return e.getMessage();
  }

  @Test
  void validTokenRefused_otherAudience_failsSayingSo() {
    TestIssuer issuer = TestIssuer.create(Algorithm.ES256);
    JwtValidator validator =
        JwtValidator.builder()
            .algorithms(Algorithm.ES256)
            .issuer(issuer.issuer())
            .audience("orders-api")
            .keys(issuer.keys())
            .build();
    assertThat(baselineFailure(issuer, validator))
        .contains("refused it with AUDIENCE_MISMATCH")
        .contains("another audience than \"test-api\"")
        .contains("TestIssuer.builder().audience(...)");
  }

  @Test
  void validTokenRefused_otherIssuer_failsSayingSo() {
    TestIssuer issuer = TestIssuer.create(Algorithm.ES256);
    JwtValidator validator =
        JwtValidator.builder()
            .algorithms(Algorithm.ES256)
            .issuer("https://idp.example/")
            .audience(issuer.audience())
            .keys(issuer.keys())
            .build();
    assertThat(baselineFailure(issuer, validator))
        .contains("refused it with ISSUER_MISMATCH", "TestIssuer.builder().issuer(...)");
  }

  @Test
  void validTokenRefused_otherAlgorithm_failsSayingSo() {
    TestIssuer issuer = TestIssuer.create(Algorithm.ES256);
    TestIssuer other = TestIssuer.create(Algorithm.RS256);
    assertThat(baselineFailure(issuer, other.validator()))
        .contains("refused it with ALGORITHM_NOT_ALLOWED", "does not allow ES256");
  }

  @Test
  void validTokenRefused_untrustedKey_failsSayingSo() {
    TestIssuer issuer = TestIssuer.create(Algorithm.ES256);
    assertThat(baselineFailure(issuer.rotate(), issuer.validator()))
        .contains("refused it with KEY_NOT_FOUND", "does not trust the issuer's key", "keys()");
  }

  @Test
  void validTokenRefused_otherClock_failsSayingSo() {
    TestIssuer issuer = TestIssuer.builder().algorithm(Algorithm.ES256).clock(FIXED).build();
    JwtValidator validator =
        JwtValidator.builder()
            .algorithms(Algorithm.ES256)
            .issuer(issuer.issuer())
            .audience(issuer.audience())
            .keys(issuer.keys())
            .build();
    assertThat(baselineFailure(issuer, validator))
        .contains("refused it with NOT_YET_VALID", "TestIssuer.builder().clock(...)");
  }

  @Test
  void validTokenRefused_accessTokenProfileWithoutDefaults_failsPointingAtTokenDefaults() {
    TestIssuer issuer = TestIssuer.create(Algorithm.ES256);
    assertThat(baselineFailure(issuer, issuer.validatorBuilder().accessTokenProfile().build()))
        .contains("refused it with TYPE_MISMATCH", "tokenDefaults(t -> t.type(\"at+jwt\")");
  }

  @Test
  void validTokenRefused_target_failsNamingWhatItThrew() {
    TestIssuer issuer = TestIssuer.create(Algorithm.ES256);
    AttackSuite.Target refusesAll =
        token -> {
          throw new IllegalStateException("no");
        };
    assertThatThrownBy(() -> AttackSuite.against(issuer).assertRefusedBy(refusesAll))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith(
            "AttackSuite proves nothing here: the issuer's valid token must be accepted, but the"
                + " validator threw java.lang.IllegalStateException");
  }

  // ---------------------------------------------------------------------------------------------
  // Targets

  @Test
  void assertRefusedBy_targetAcceptingEverything_failsNamingEveryAttack() {
    TestIssuer issuer = TestIssuer.create(Algorithm.ES256);
    AttackSuite suite = AttackSuite.against(issuer);
    AttackSuite.Target acceptsAll = token -> {};

    AssertionError e =
        catchThrowableOfType(AssertionError.class, () -> suite.assertRefusedBy(acceptsAll));

    List<String> names = expectedNames(Algorithm.ES256);
    assertThat(e.getMessage())
        .startsWith("AttackSuite: " + names.size() + " of " + names.size() + " attacks")
        .doesNotContain("eyJ");
    for (String name : names) {
      assertThat(e.getMessage()).contains("\n  - " + name + ": accepted. ");
    }
  }

  @Test
  void assertRefusedBy_targetRefusingWithoutReasons_passes() {
    TestIssuer issuer = TestIssuer.create(Algorithm.EdDSA);
    JwtValidator validator = issuer.validator();
    AttackSuite.Target http =
        token -> {
          try {
            validator.validate(token);
          } catch (JwtValidationException e) {
            throw new AssertionError("401");
          }
        };
    AttackSuite.Target checked =
        token -> {
          try {
            validator.validate(token);
          } catch (JwtValidationException e) {
            throw new java.io.IOException("refused");
          }
        };
    AttackSuite.against(issuer).assertRefusedBy(http);
    AttackSuite.against(issuer).assertRefusedBy(checked);
  }

  @Test
  void assertRefusedBy_targetOverflowingItsStack_failsNamingTheAttack() {
    TestIssuer issuer = TestIssuer.create(Algorithm.HS256);
    JwtValidator validator = issuer.validator();
    AttackSuite.Target recursive =
        token -> {
          if (token.length() > 8000 && token.length() < 20000) {
            throw new StackOverflowError();
          }
          validator.validate(token);
        };
    assertThatThrownBy(() -> AttackSuite.against(issuer).assertRefusedBy(recursive))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            "  - deeply-nested-claims: threw java.lang.StackOverflowError instead of refusing.");
  }

  @Test
  void assertRefusedBy_interruptedTarget_refusesAndKeepsTheInterrupt() {
    TestIssuer issuer = TestIssuer.create(Algorithm.HS256);
    JwtValidator validator = issuer.validator();
    AttackSuite.Target interrupted =
        token -> {
          if (token.length() > 100_000) {
            throw new InterruptedException();
          }
          validator.validate(token);
        };
    try {
      AttackSuite.against(issuer).assertRefusedBy(interrupted);
      assertThat(Thread.interrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Attacks one by one

  @Test
  void attack_assertRefusedBy_namesTheAttack() {
    TestIssuer issuer = TestIssuer.create(Algorithm.ES256);
    AttackSuite.Attack none = AttackSuite.against(issuer).attacks().get(0);

    none.assertRefusedBy(issuer.validator());
    none.assertRefusedBy(issuer.validator()::validate);
    assertThatThrownBy(() -> none.assertRefusedBy(token -> {}))
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "Attack alg-none: accepted. alg \"none\" and an empty signature: an unsigned token"
                + " with any claims the attacker likes");
    assertThatThrownBy(
            () ->
                none.assertRefusedBy(
                    token -> {
                      throw new JwtValidationException(Reason.BAD_SIGNATURE);
                    }))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith(
            "Attack alg-none: refused with BAD_SIGNATURE, expected ALGORITHM_NOT_ALLOWED.");
  }

  @ParameterizedTest
  @EnumSource(
      value = Algorithm.class,
      names = {"RS256", "ES256", "EdDSA", "HS256"})
  void attacks_describedWithoutTokens_andMintedAfresh(Algorithm alg) {
    TestIssuer issuer = TestIssuer.create(alg);
    AttackSuite suite = AttackSuite.against(issuer);
    List<AttackSuite.Attack> first = suite.attacks();
    List<AttackSuite.Attack> second = suite.attacks();

    Set<String> names = new HashSet<>();
    for (int i = 0; i < first.size(); i++) {
      AttackSuite.Attack a = first.get(i);
      assertThat(names.add(a.name())).as("unique " + a.name()).isTrue();
      assertThat(a.toString()).isEqualTo(a.name());
      assertThat(a.name()).matches("[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*");
      assertThat(a.description()).isNotBlank().doesNotContain("eyJ");
      assertThat(a.acceptableReasons()).isNotEmpty();
      assertThatThrownBy(() -> a.acceptableReasons().add(Reason.EXPIRED))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThat(second.get(i).name()).isEqualTo(a.name());
    }
    assertThat(first.stream().map(AttackSuite.Attack::token).collect(Collectors.toSet()))
        .doesNotContainAnyElementsOf(
            second.stream().map(AttackSuite.Attack::token).collect(Collectors.toList()));
    assertThatThrownBy(() -> first.remove(0)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(suite.toString()).isEqualTo("AttackSuite[" + issuer + "]");
  }

  @Test
  void attacks_tokenDefaults_shapeEveryAttack() {
    TestIssuer issuer =
        TestIssuer.builder().tokenDefaults(t -> t.claim("tenant", "acme")).clock(FIXED).build();
    for (AttackSuite.Attack attack : AttackSuite.against(issuer).attacks()) {
      String token = attack.token();
      if (attack.name().equals("jwe") || attack.name().equals("oversized")) {
        continue; // encrypted; too long to look at
      }
      assertThat(TestIssuerTest.segmentText(token, 1)).as(attack.name()).contains("\"tenant\"");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Builder rules

  @Test
  void builder_eachOptionOnce_boundsChecked() {
    TestIssuer issuer = TestIssuer.create(Algorithm.HS256);
    assertThatThrownBy(() -> AttackSuite.builder(issuer).accessTokenProfile().accessTokenProfile())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("accessTokenProfile");
    Duration minute = Duration.ofMinutes(1);
    assertThatThrownBy(() -> AttackSuite.builder(issuer).maxTokenAge(minute).maxTokenAge(minute))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("maxTokenAge");
    for (Duration bad : List.of(Duration.ZERO, Duration.ofSeconds(-1), Duration.ofDays(3651))) {
      assertThatThrownBy(() -> AttackSuite.builder(issuer).maxTokenAge(bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatCode(() -> AttackSuite.builder(issuer).maxTokenAge(Duration.ofDays(3650)).build())
        .doesNotThrowAnyException();
    AttackSuite.Builder b = AttackSuite.builder(issuer);
    AttackSuite suite = b.build();
    b.accessTokenProfile();
    assertThat(suite.attacks()).hasSize(expectedNames(Algorithm.HS256).size());
    assertThat(b.build().toString()).isEqualTo("AttackSuite[" + issuer + ", accessTokenProfile]");
  }
}
