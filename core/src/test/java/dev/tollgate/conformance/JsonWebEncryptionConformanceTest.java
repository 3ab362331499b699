package dev.tollgate.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.JwtValidator;
import dev.tollgate.Reason;
import dev.tollgate.internal.Json;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs Wycheproof's {@code json_web_encryption_test.json}. Tollgate is JWS-only: it decrypts
 * nothing, so every {@code jwe} (five segments, or a broken or JSON-serialized variant of one),
 * valid or not, must be refused by {@code validate} with {@code MALFORMED}, whatever the key.
 */
class JsonWebEncryptionConformanceTest {
  static final String FILE = "json_web_encryption_test.json";

  /**
   * Cases where Tollgate disagrees with the vectors today: expected-for-now, so the build stays
   * green. A listed case that starts to agree fails, so that this map is emptied as bugs are fixed.
   */
  static final Map<Integer, String> KNOWN_DISCREPANCIES = Map.of();

  private static final Summary SUMMARY = new Summary(FILE);

  /** Any valid validator will do; its freshly generated key has signed nothing. */
  private static final JwtValidator VALIDATOR = Jose.freshEcValidator();

  /** Shows up as skipped, with the reason, when the vectors are absent. */
  @Test
  void vectorFile_present() {
    assertThat(Wycheproof.vectorDirectory().resolve(FILE)).isRegularFile();
  }

  @TestFactory
  Stream<DynamicTest> jsonWebEncryption() throws Exception {
    List<Wycheproof.Case> cases = Wycheproof.cases(FILE, "json_web_encryption");
    assertThat(cases).hasSize(139);
    Wycheproof.assertAllKnown(cases, KNOWN_DISCREPANCIES, "KNOWN_DISCREPANCIES");
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
  }

  static void check(Wycheproof.Case c) {
    Object jwe = c.test().get("jwe");
    String text = jwe instanceof String ? (String) jwe : Json.write(jwe);
    int segments = text.split("\\.", -1).length;
    SUMMARY.count("jwe with " + segments + " segment(s)");
    Outcome outcome = Jose.validate(VALIDATOR, text);
    SUMMARY.record(c.tcId(), outcome);
    refusedAsMalformed(c, outcome, KNOWN_DISCREPANCIES);
  }

  /** Every JWE must end in MALFORMED (checked against the known discrepancies). */
  static void refusedAsMalformed(
      Wycheproof.Case c, Outcome outcome, Map<Integer, String> knownDiscrepancies) {
    boolean malformed = Reason.MALFORMED.equals(outcome.reason());
    if (knownDiscrepancies.containsKey(c.tcId())) {
      assertThat(malformed)
          .as("%s now refused with MALFORMED: remove it from KNOWN_DISCREPANCIES", c.name())
          .isFalse();
      return;
    }
    if (outcome.isUnexpected()) {
      throw new AssertionError(c.name() + ": " + outcome, outcome.error());
    }
    assertThat(outcome.toString())
        .as("%s (%s) through validate()", c.name(), c.comment())
        .isEqualTo("refused with " + Reason.MALFORMED);
  }

  @AfterAll
  static void printSummary() {
    SUMMARY.print(KNOWN_DISCREPANCIES, Map.of());
  }
}
