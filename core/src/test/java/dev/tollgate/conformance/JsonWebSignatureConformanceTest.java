package dev.tollgate.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.JwtValidator;
import dev.tollgate.Reason;
import dev.tollgate.internal.Json;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs Wycheproof's {@code json_web_signature_test.json} against Tollgate's JWS layer.
 *
 * <p>Each group's {@code public} JWK (else {@code private}) is the only trusted key, loaded as a
 * one-key JWKS through {@code KeyResolver.jwks}; the validator allows every {@link
 * dev.tollgate.Algorithm}, so the vectors test key/algorithm binding, not the allow-list. Tokens go
 * to the JWS-only entry point ({@code verifyJws}): the payloads are not JWT claim sets. A case must
 * be accepted exactly when it is labelled {@code valid}, except for the written decisions below; a
 * refusal must be an {@code IllegalArgumentException} at key load or a {@code
 * JwtValidationException}. Every token the JWS layer accepts must then be refused by the full
 * {@code validate} with {@code MALFORMED}.
 */
class JsonWebSignatureConformanceTest {
  static final String FILE = "json_web_signature_test.json";

  /**
   * Labelled {@code valid}, but a {@code ?} was inserted into a segment after the MAC was computed
   * over the original segments: every conforming implementation refuses them (conformance README).
   */
  static final Map<Integer, String> MISLABELLED =
      Map.of(
          372, "'?' inserted into the header after signing: expected refusal",
          373, "'?' inserted into the payload after signing: expected refusal");

  /**
   * RFC 7520 examples labelled {@code valid} whose JWK {@code alg} contradicts the token: Tollgate
   * enforces the JWK's {@code alg} (DESIGN rule 1), so refusal is expected; either outcome is
   * accepted and recorded in the summary.
   */
  static final Map<Integer, String> EITHER_OUTCOME =
      Map.of(
          346, "RFC 7520 Figure 20: JWK alg PS256, header PS384",
          347, "RFC 7520 Figure 27: JWK alg ES521 (not a JWA name), header ES512",
          350, "RFC 7520 Figure 20 (key_ops): JWK alg PS256, header PS384",
          351, "RFC 7520 Figure 27 (key_ops): JWK alg ES521 (not a JWA name), header ES512");

  /**
   * Labelled {@code invalid} (the comments say {@code =} padding was added), but the {@code jws}
   * string in this copy of the data is byte for byte the token of the valid case named here: the
   * padding is gone, so no correct implementation can refuse them. Expected: accepted, like the
   * case they equal (checked).
   */
  static final Map<Integer, Integer> IDENTICAL_TO_VALID = Map.of(367, 357, 370, 357);

  /**
   * Cases where Tollgate disagrees with the vectors today: expected-for-now, so the build stays
   * green. A listed case that starts to agree fails, so that this map is emptied as bugs are fixed.
   */
  static final Map<Integer, String> KNOWN_DISCREPANCIES = Map.of();

  private static final Summary SUMMARY = new Summary("json_web_signature_test.json");

  /** Shows up as skipped, with the reason, when the vectors are absent. */
  @Test
  void vectorFile_present() {
    assertThat(Wycheproof.vectorDirectory().resolve(FILE)).isRegularFile();
  }

  @TestFactory
  Stream<DynamicTest> jsonWebSignature() throws Exception {
    List<Wycheproof.Case> cases = Wycheproof.cases(FILE, "json_web_signature");
    assertThat(cases).hasSize(401);
    Wycheproof.assertAllKnown(cases, MISLABELLED, "MISLABELLED");
    Wycheproof.assertAllKnown(cases, EITHER_OUTCOME, "EITHER_OUTCOME");
    Wycheproof.assertAllKnown(cases, KNOWN_DISCREPANCIES, "KNOWN_DISCREPANCIES");
    Map<Integer, String> tokens = new TreeMap<>();
    for (Wycheproof.Case c : cases) {
      tokens.put(c.tcId(), Wycheproof.string(c.test(), "jws"));
    }
    for (Map.Entry<Integer, Integer> e : IDENTICAL_TO_VALID.entrySet()) {
      assertThat(tokens.get(e.getKey()))
          .as("tcId %s is the token of tcId %s", e.getKey(), e.getValue())
          .isEqualTo(tokens.get(e.getValue()));
    }
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
  }

  private static void check(Wycheproof.Case c) {
    String jwks = "{\"keys\":[" + Json.write(c.groupKey()) + "]}";
    String token = Wycheproof.string(c.test(), "jws");
    Jose.Loaded loaded = Jose.loadJwks(jwks);
    JwtValidator validator = loaded.validator();
    Outcome outcome =
        validator == null
            ? Objects.requireNonNull(loaded.refusal())
            : Jose.verifyJws(validator, token);
    SUMMARY.record(c.tcId(), outcome);

    if (validator != null && outcome.isAccepted()) {
      // The payloads are not claim sets: the full JWT API refuses every one of them.
      Outcome full = Jose.validate(validator, token);
      assertThat(full.toString())
          .as("%s through validate()", c.name())
          .isEqualTo("refused with " + Reason.MALFORMED);
      SUMMARY.count("validate() refused with MALFORMED");
    } else if (validator != null && c.valid()) {
      // Refused by the JWS layer: the full API refuses it for the same reason.
      assertThat(Jose.validate(validator, token).toString())
          .as("%s through validate()", c.name())
          .isEqualTo(outcome.toString());
      SUMMARY.count("validate() refused like verifyJws");
    }

    if (EITHER_OUTCOME.containsKey(c.tcId())) {
      assertThat(outcome.isUnexpected()).as("%s: %s", c.name(), outcome).isFalse();
      return;
    }
    boolean expectAccepted =
        (c.valid() && !MISLABELLED.containsKey(c.tcId()))
            || IDENTICAL_TO_VALID.containsKey(c.tcId());
    Jose.judge(c, outcome, expectAccepted, KNOWN_DISCREPANCIES);
  }

  @AfterAll
  static void printSummary() {
    Map<Integer, String> judgementCalls = new TreeMap<>(EITHER_OUTCOME);
    judgementCalls.putAll(MISLABELLED);
    IDENTICAL_TO_VALID.forEach(
        (tcId, same) ->
            judgementCalls.put(tcId, "labelled invalid, but the token of valid tcId " + same));
    SUMMARY.print(KNOWN_DISCREPANCIES, judgementCalls);
  }
}
