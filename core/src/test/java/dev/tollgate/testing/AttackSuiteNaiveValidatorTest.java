package dev.tollgate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.Algorithm;
import dev.tollgate.testing.NaiveValidator.Flaw;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The suite against {@link NaiveValidator}: without flaws it passes (a second, independent
 * validator agrees with the catalogue), and each flaw lets through exactly the attacks meant for
 * it, so each attack token is real and the suite fails, naming them.
 */
class AttackSuiteNaiveValidatorTest {
  private static final Clock FIXED =
      Clock.fixed(Instant.parse("2031-05-06T07:08:09Z"), ZoneOffset.UTC);

  private static final Map<Algorithm, TestIssuer> ISSUERS = new ConcurrentHashMap<>();
  private static final Map<Algorithm, List<AttackSuite.Attack>> ATTACKS = new ConcurrentHashMap<>();

  private static TestIssuer issuer(Algorithm alg) {
    return ISSUERS.computeIfAbsent(
        alg, a -> TestIssuer.builder().algorithm(a).clock(FIXED).build());
  }

  private static List<AttackSuite.Attack> attacks(Algorithm alg) {
    return ATTACKS.computeIfAbsent(alg, a -> AttackSuite.against(issuer(a)).attacks());
  }

  private static boolean isHmac(Algorithm alg) {
    return alg.jwaName().startsWith("HS");
  }

  /** The attacks a validator with these flaws accepts. */
  private static Set<String> accepted(Algorithm alg, Set<Flaw> flaws) {
    NaiveValidator naive = new NaiveValidator(issuer(alg), flaws);
    Set<String> accepted = new TreeSet<>();
    for (AttackSuite.Attack attack : attacks(alg)) {
      try {
        attack.assertRefusedBy(naive);
      } catch (AssertionError e) {
        assertThat(e).hasMessageStartingWith("Attack " + attack.name() + ": accepted.");
        accepted.add(attack.name());
      }
    }
    return accepted;
  }

  /** The attacks each flaw must open, for an issuer of this algorithm. */
  private static Set<String> opens(Flaw flaw, Algorithm alg) {
    List<String> hmacConfusion =
        List.of("hmac-confusion-der", "hmac-confusion-jwk", "hmac-confusion-pem");
    Set<String> names = new TreeSet<>();
    switch (flaw) {
      case ACCEPTS_NONE -> names.addAll(List.of("alg-none", "alg-None", "alg-NONE", "alg-nOnE"));
      case BLOCKS_ONLY_LOWERCASE_NONE -> names.addAll(List.of("alg-None", "alg-NONE", "alg-nOnE"));
      case EMPTY_SIGNATURE_SKIPS_CHECK -> names.add("stripped-signature");
      case ALG_FROM_HEADER -> {
        if (!isHmac(alg)) {
          names.addAll(hmacConfusion);
        }
      }
      case TRUSTS_EXAMPLE_SECRET -> {
        if (isHmac(alg)) {
          names.add("weak-hmac-secret");
        }
      }
      case TRUSTS_JWK_HEADER -> names.addAll(List.of("jwk-header", "jwk-header-trusted-kid"));
      case FETCHES_KEY_URLS -> names.addAll(List.of("jku-header", "x5u-header"));
      case TRUSTS_X5C -> {
        if (!isHmac(alg)) {
          names.add("x5c-header");
        }
      }
      case KID_AS_FILE_PATH -> addIfHmac(names, alg, "kid-path-traversal");
      case KID_IN_SQL -> addIfHmac(names, alg, "kid-sql-injection");
      case EMPTY_KID_EMPTY_SECRET -> addIfHmac(names, alg, "kid-empty");
      case ECDSA_WITHOUT_RANGE_CHECK -> {
        if (alg.jwaName().startsWith("ES")) {
          names.addAll(List.of("ecdsa-order-signature", "ecdsa-zero-signature"));
        }
      }
      case LENIENT_BASE64 -> {
        if (!EnumSet.of(Algorithm.ES384, Algorithm.ES512, Algorithm.Ed448, Algorithm.HS384)
            .contains(alg)) {
          names.addAll(List.of("signature-non-canonical", "signature-padding"));
        }
      }
      case IGNORES_CRIT -> names.addAll(List.of("b64-false", "crit-unknown"));
      case IGNORES_TYP -> names.add("typ-dpop");
      case IGNORES_EXPIRY -> names.addAll(List.of("exp-as-string", "exp-missing", "expired"));
      case IGNORES_NBF -> names.add("not-yet-valid");
      case IGNORES_ISSUER ->
          names.addAll(List.of("issuer-missing", "issuer-prefix", "wrong-issuer"));
      case ISSUER_STARTS_WITH -> names.add("issuer-prefix");
      case IGNORES_AUDIENCE ->
          names.addAll(
              List.of(
                  "audience-empty-list",
                  "audience-list-without-ours",
                  "audience-missing",
                  "audience-prefix",
                  "wrong-audience"));
      case AUDIENCE_STARTS_WITH -> names.add("audience-prefix");
      case AUDIENCE_ALL_LISTED -> names.add("audience-empty-list");
      case DUPLICATES_LAST_WINS ->
          names.addAll(List.of("duplicate-claim", "duplicate-claim-escaped"));
      case DUPLICATES_RAW_CHECK -> names.add("duplicate-claim-escaped");
      case NO_DEPTH_LIMIT -> names.addAll(List.of("deeply-nested-claims", "deeply-nested-header"));
      case NO_SIZE_LIMIT -> names.add("oversized");
    }
    return names;
  }

  /** Kid injections sign with HS256, which only an HMAC issuer's validator allows. */
  private static void addIfHmac(Set<String> names, Algorithm alg, String name) {
    if (isHmac(alg)) {
      names.add(name);
    }
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void withoutFlaws_passesTheWholeSuite(Algorithm alg) {
    NaiveValidator naive = new NaiveValidator(issuer(alg));
    assertThatCode(() -> AttackSuite.against(issuer(alg)).assertRefusedBy(naive))
        .doesNotThrowAnyException();
    assertThat(accepted(alg, Set.of())).isEmpty();
  }

  /**
   * Algorithms that between them cover every shape of the catalogue: RSA, ECDSA, Edwards and HMAC
   * keys, signatures with and without unused base64 bits (HS384). The flawless validator above sees
   * every algorithm; here, verifying on every curve for every flaw would triple the run.
   */
  private static final List<Algorithm> FAMILIES =
      List.of(
          Algorithm.RS256,
          Algorithm.PS512,
          Algorithm.ES256,
          Algorithm.EdDSA,
          Algorithm.HS256,
          Algorithm.HS384);

  @ParameterizedTest
  @EnumSource(Flaw.class)
  void eachFlaw_letsThroughExactlyItsAttacks_everyKeyFamily(Flaw flaw) {
    Map<Algorithm, Set<String>> actual = new EnumMap<>(Algorithm.class);
    Map<Algorithm, Set<String>> expected = new EnumMap<>(Algorithm.class);
    for (Algorithm alg : FAMILIES) {
      actual.put(alg, accepted(alg, EnumSet.of(flaw)));
      expected.put(alg, opens(flaw, alg));
    }
    assertThat(actual).isEqualTo(expected);
    assertThat(actual.values()).as("the flaw opens some attack").anyMatch(s -> !s.isEmpty());
  }

  /** HS256 attacks reach a public-key issuer's validator only when it lets the header pick. */
  @ParameterizedTest
  @EnumSource(
      value = Algorithm.class,
      names = {"RS256", "PS512", "ES384", "EdDSA", "Ed448"})
  void hs256Attacks_publicKeyIssuer_openWithAlgFromHeader(Algorithm alg) {
    Set<String> confusion =
        Set.of("hmac-confusion-der", "hmac-confusion-jwk", "hmac-confusion-pem");
    assertThat(accepted(alg, EnumSet.of(Flaw.ALG_FROM_HEADER, Flaw.KID_AS_FILE_PATH)))
        .containsExactlyInAnyOrderElementsOf(union(confusion, "kid-path-traversal"));
    assertThat(accepted(alg, EnumSet.of(Flaw.ALG_FROM_HEADER, Flaw.KID_IN_SQL)))
        .containsExactlyInAnyOrderElementsOf(union(confusion, "kid-sql-injection"));
    assertThat(accepted(alg, EnumSet.of(Flaw.ALG_FROM_HEADER, Flaw.EMPTY_KID_EMPTY_SECRET)))
        .containsExactlyInAnyOrderElementsOf(union(confusion, "kid-empty"));
    assertThat(accepted(alg, EnumSet.of(Flaw.ALG_FROM_HEADER, Flaw.TRUSTS_EXAMPLE_SECRET)))
        .containsExactlyInAnyOrderElementsOf(union(confusion, "weak-hmac-secret"));
  }

  private static Set<String> union(Set<String> names, String more) {
    Set<String> all = new TreeSet<>(names);
    all.add(more);
    return all;
  }

  @Test
  void assertRefusedBy_flawedValidator_failsNamingEachAttackWithoutTokens() {
    Algorithm alg = Algorithm.RS256;
    NaiveValidator naive =
        new NaiveValidator(issuer(alg), Flaw.ALG_FROM_HEADER, Flaw.IGNORES_AUDIENCE);

    AssertionError e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            AssertionError.class, () -> AttackSuite.against(issuer(alg)).assertRefusedBy(naive));

    assertThat(e).isNotNull();
    String message = e.getMessage();
    assertThat(message)
        .startsWith("AttackSuite: 8 of " + attacks(alg).size() + " attacks minted by TestIssuer[")
        .contains(
            "  - hmac-confusion-pem: accepted. alg HS256 with the MAC keyed with the issuer's"
                + " public key as PEM text",
            "  - hmac-confusion-der: accepted.",
            "  - hmac-confusion-jwk: accepted.",
            "  - wrong-audience: accepted.",
            "  - audience-list-without-ours: accepted.",
            "  - audience-prefix: accepted.",
            "  - audience-missing: accepted.",
            "  - audience-empty-list: accepted.")
        .doesNotContain("eyJ", "A refusal for another reason");
    for (AttackSuite.Attack attack : attacks(alg)) {
      assertThat(message).doesNotContain(attack.token());
    }
  }

  @Test
  void assertRefusedBy_refusalsForTheWrongReason_failsNamingReasons() {
    // Every refusal reported as EXPIRED: only the expiry attacks are refused for their reason.
    TestIssuer issuer = issuer(Algorithm.ES256);
    dev.tollgate.JwtValidator validator = issuer.validator();
    AttackSuite.Target target =
        token -> {
          try {
            validator.validate(token);
          } catch (dev.tollgate.JwtValidationException e) {
            throw new dev.tollgate.JwtValidationException(dev.tollgate.Reason.EXPIRED);
          }
        };

    assertThatThrownBy(() -> AttackSuite.against(issuer).assertRefusedBy(target))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            "  - alg-none: refused with EXPIRED, expected ALGORITHM_NOT_ALLOWED. alg \"none\"")
        .hasMessageContaining(
            "  - jku-header: refused with EXPIRED, expected KEY_NOT_FOUND or BAD_SIGNATURE or"
                + " TOO_LARGE. a jku header")
        .hasMessageNotContaining("  - expired:")
        .hasMessageEndingWith(
            "A refusal for another reason means the check meant for that attack let it through"
                + " and another check happened to stop it.");
  }
}
