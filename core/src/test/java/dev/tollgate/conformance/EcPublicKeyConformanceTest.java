package dev.tollgate.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtKey;
import dev.tollgate.internal.Json;
import dev.tollgate.internal.StaticKeyResolver;
import dev.tollgate.keys.KeyResolver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Loads the peer {@code public} JWK of every test of Wycheproof's ECDH ({@code
 * ecdh_*_webcrypto_test.json}) and XDH ({@code x25519_jwk_test.json}, {@code x448_jwk_test.json})
 * files through {@code KeyResolver.jwk}: the files are about key agreement, but their public keys
 * are a good corpus of broken and unusual JWKs for a loader of verification keys.
 *
 * <p>What each key must do, judged on the key alone (there is no key agreement here):
 *
 * <ul>
 *   <li>an EC key on P-256, P-384 or P-521 of a {@code valid} test loads, and verifies exactly
 *       ES256, ES384 or ES512;
 *   <li>an EC key of a test flagged {@code InvalidCurveAttack} or {@code ModifiedPublicPoint} (a
 *       point not on its curve, or (0,0)) is refused;
 *   <li>X25519 and X448 keys ({@code kty OKP}) are key-agreement keys and are always refused;
 *       secp256k1 keys ({@code crv P-256K} or {@code secp256k1}) are on an unsupported curve and
 *       are refused; so is every incomplete or inconsistent JWK ({@code kty} missing, empty or not
 *       matching the members, {@code crv} or {@code x} missing, an empty object);
 *   <li>the remaining keys of {@code invalid} tests are decided one by one in {@link
 *       #STANDALONE_DECISIONS}.
 * </ul>
 *
 * <p>A refusal must be an {@code IllegalArgumentException} (exactly that class); any other
 * exception fails.
 */
class EcPublicKeyConformanceTest {
  static final List<String> FILES =
      List.of(
          "ecdh_secp256r1_webcrypto_test.json",
          "ecdh_secp384r1_webcrypto_test.json",
          "ecdh_secp521r1_webcrypto_test.json",
          "ecdh_secp256k1_webcrypto_test.json",
          "x25519_jwk_test.json",
          "x448_jwk_test.json");

  private static final Map<String, Set<Algorithm>> CURVES =
      Map.of(
          "P-256", Set.of(Algorithm.ES256),
          "P-384", Set.of(Algorithm.ES384),
          "P-521", Set.of(Algorithm.ES512));

  private static final String VALID_ELSEWHERE =
      "LOAD: a valid key on its named curve, invalid only as the peer of a key on another curve"
          + " (checked: the point satisfies the curve equation)";

  /**
   * Keys of {@code invalid} tests that are neither flagged as off-curve nor of an unsupported kind:
   * the test is invalid because the key does not match the private key's curve or type (flags
   * {@code WrongCurve}, {@code ModifiedGroup}, or {@code InvalidPublic} in the XDH files, where a
   * P-256 key is offered to an X25519 peer). A verification-key loader has no peer: a well-formed
   * key on P-256/384/521 must load. Key: file name and tcId; value starts with LOAD or REFUSE.
   */
  static final Map<String, String> STANDALONE_DECISIONS = standaloneDecisions();

  /**
   * Cases where Tollgate disagrees with the vectors today, per file: expected-for-now, so the build
   * stays green. A listed case that starts to agree fails, so that this map is emptied as bugs are
   * fixed.
   */
  static final Map<String, Map<Integer, String>> KNOWN_DISCREPANCIES = Map.of();

  private static final Map<String, Summary> SUMMARIES = new LinkedHashMap<>();

  static {
    for (String f : FILES) {
      SUMMARIES.put(f, new Summary(f + " (public JWKs)"));
    }
  }

  private static Map<String, String> standaloneDecisions() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("ecdh_secp256r1_webcrypto_test.json:351", VALID_ELSEWHERE); // P-384, WrongCurve
    d.put("ecdh_secp256r1_webcrypto_test.json:352", VALID_ELSEWHERE); // P-521, WrongCurve
    d.put("ecdh_secp384r1_webcrypto_test.json:790", VALID_ELSEWHERE); // P-256, ModifiedGroup
    d.put("ecdh_secp384r1_webcrypto_test.json:792", VALID_ELSEWHERE); // P-256, WrongCurve
    d.put("ecdh_secp384r1_webcrypto_test.json:793", VALID_ELSEWHERE); // P-521, WrongCurve
    d.put("ecdh_secp521r1_webcrypto_test.json:651", VALID_ELSEWHERE); // P-256, ModifiedGroup
    d.put("ecdh_secp521r1_webcrypto_test.json:653", VALID_ELSEWHERE); // P-256, WrongCurve
    d.put("ecdh_secp521r1_webcrypto_test.json:654", VALID_ELSEWHERE); // P-384, WrongCurve
    d.put(
        "ecdh_secp256k1_webcrypto_test.json:490",
        "REFUSE: crv P-256 but the point (order 2 on secp256k1) is not on P-256");
    d.put("ecdh_secp256k1_webcrypto_test.json:493", VALID_ELSEWHERE); // P-256, ModifiedGroup
    d.put("ecdh_secp256k1_webcrypto_test.json:494", VALID_ELSEWHERE); // P-256, WrongCurve
    d.put("ecdh_secp256k1_webcrypto_test.json:495", VALID_ELSEWHERE); // P-384, WrongCurve
    d.put("ecdh_secp256k1_webcrypto_test.json:496", VALID_ELSEWHERE); // P-521, WrongCurve
    d.put("x25519_jwk_test.json:519", VALID_ELSEWHERE); // P-256 key offered to X25519
    d.put("x25519_jwk_test.json:520", VALID_ELSEWHERE); // P-384
    d.put("x25519_jwk_test.json:521", VALID_ELSEWHERE); // P-521
    d.put("x448_jwk_test.json:511", VALID_ELSEWHERE); // P-256 key offered to X448
    d.put("x448_jwk_test.json:512", VALID_ELSEWHERE); // P-384
    d.put("x448_jwk_test.json:513", VALID_ELSEWHERE); // P-521
    return Map.copyOf(d);
  }

  /** Shows up as skipped, with the reason, when the vectors are absent. */
  @Test
  void vectorFiles_present() {
    for (String file : FILES) {
      assertThat(Wycheproof.vectorDirectory().resolve(file)).isRegularFile();
    }
  }

  @TestFactory
  Stream<DynamicNode> ecAndXdhPublicKeys() throws Exception {
    List<DynamicNode> containers = new ArrayList<>();
    List<String> decided = new ArrayList<>();
    for (String file : FILES) {
      String prefix = file.substring(0, file.length() - "_test.json".length());
      List<Wycheproof.Case> cases = Wycheproof.cases(file, prefix);
      Map<Integer, String> known = KNOWN_DISCREPANCIES.getOrDefault(file, Map.of());
      Wycheproof.assertAllKnown(cases, known, "KNOWN_DISCREPANCIES of " + file);
      for (Wycheproof.Case c : cases) {
        if (STANDALONE_DECISIONS.containsKey(file + ":" + c.tcId())) {
          decided.add(file + ":" + c.tcId());
        }
      }
      containers.add(
          DynamicContainer.dynamicContainer(
              prefix,
              cases.stream()
                  .map(c -> DynamicTest.dynamicTest(c.name(), () -> check(file, c, known)))));
    }
    assertThat(decided)
        .as("every standalone decision names an existing case")
        .containsExactlyInAnyOrderElementsOf(STANDALONE_DECISIONS.keySet());
    return containers.stream();
  }

  private static void check(String file, Wycheproof.Case c, Map<Integer, String> known) {
    Map<String, @Nullable Object> jwk = Wycheproof.asObject(c.test().get("public"), "public");
    Set<Algorithm> expected = expectedAlgorithms(file, c, jwk);
    Outcome outcome;
    Set<Algorithm> loadedAlgorithms = Set.of();
    try {
      KeyResolver resolver = KeyResolver.jwk(Json.write(jwk));
      outcome = Outcome.accepted();
      assertThat(resolver).isInstanceOf(StaticKeyResolver.class);
      List<JwtKey> keys = ((StaticKeyResolver) resolver).keys();
      assertThat(keys).hasSize(1);
      loadedAlgorithms = keys.get(0).algorithms();
    } catch (RuntimeException e) {
      outcome = Outcome.fromLoadFailure(e);
    }
    SUMMARIES.get(file).record(c.tcId(), outcome);
    Jose.judge(c, outcome, !expected.isEmpty(), known);
    if (outcome.isAccepted() && !expected.isEmpty()) {
      assertThat(loadedAlgorithms)
          .as("%s: algorithms of the loaded key", c.name())
          .isEqualTo(expected);
    }
  }

  /** The algorithms the key must verify once loaded, or empty when it must be refused. */
  private static Set<Algorithm> expectedAlgorithms(
      String file, Wycheproof.Case c, Map<String, @Nullable Object> jwk) {
    Object kty = jwk.get("kty");
    Object crv = jwk.get("crv");
    Set<Algorithm> curve = crv instanceof String ? CURVES.get(crv) : null;
    boolean wellFormedEc =
        "EC".equals(kty)
            && curve != null
            && jwk.get("x") instanceof String
            && jwk.get("y") instanceof String;
    if (!wellFormedEc) {
      // OKP X25519/X448 (key agreement only), secp256k1, and incomplete or inconsistent JWKs.
      return Set.of();
    }
    String decision = STANDALONE_DECISIONS.get(file + ":" + c.tcId());
    if (decision != null) {
      return decision.startsWith("LOAD") ? curve : Set.of();
    }
    if (c.valid()) {
      return curve;
    }
    if (c.flags().contains("InvalidCurveAttack") || c.flags().contains("ModifiedPublicPoint")) {
      return Set.of();
    }
    throw new AssertionError(
        c.name() + ": an EC key of an invalid test without a written decision: " + c.flags());
  }

  @AfterAll
  static void printSummary() {
    Map<Integer, String> none = Map.of();
    for (Map.Entry<String, Summary> e : SUMMARIES.entrySet()) {
      String prefix = e.getKey() + ":";
      Map<Integer, String> decisions = new LinkedHashMap<>();
      STANDALONE_DECISIONS.forEach(
          (k, v) -> {
            if (k.startsWith(prefix)) {
              decisions.put(Integer.parseInt(k.substring(prefix.length())), v);
            }
          });
      e.getValue().print(KNOWN_DISCREPANCIES.getOrDefault(e.getKey(), none), decisions);
    }
  }
}
