package dev.tollgate.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.JwtValidator;
import dev.tollgate.Reason;
import dev.tollgate.internal.Json;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs Wycheproof's older mixed set {@code json_web_crypto_test.json}.
 *
 * <p>JWS cases: the group's {@code public} key (else {@code private}), a single JWK or a JWKS, is
 * trusted through {@code KeyResolver.jwks} (a single JWK as a one-key set); the token goes to the
 * JWS layer; accepted exactly when labelled {@code valid}. Two cases (tcId 17 and 66) hold a JSON
 * serialization object instead of a compact string: Tollgate supports only the compact form, so the
 * object's JSON text must be refused with {@code MALFORMED}.
 *
 * <p>JWE cases: Tollgate is JWS-only, so every {@code jwe} must be refused by {@code validate} with
 * {@code MALFORMED}; the group's encryption key must also be refused as a verification key.
 */
class JsonWebCryptoConformanceTest {
  static final String FILE = "json_web_crypto_test.json";

  /** The cases that hold a JSON serialization object rather than a compact string. */
  static final Map<Integer, String> JSON_SERIALIZATION =
      Map.of(
          17, "JWS JSON serialization: unsupported, refused with MALFORMED",
          66, "JWE JSON serialization: unsupported, refused with MALFORMED");

  /**
   * Cases where Tollgate disagrees with the vectors today: expected-for-now, so the build stays
   * green. A listed case that starts to agree fails, so that this map is emptied as bugs are fixed.
   */
  static final Map<Integer, String> KNOWN_DISCREPANCIES = Map.of();

  private static final Summary SUMMARY = new Summary(FILE);

  private static final JwtValidator FRESH = Jose.freshEcValidator();

  /** Shows up as skipped, with the reason, when the vectors are absent. */
  @Test
  void vectorFile_present() {
    assertThat(Wycheproof.vectorDirectory().resolve(FILE)).isRegularFile();
  }

  @TestFactory
  Stream<DynamicTest> jsonWebCrypto() throws Exception {
    List<Wycheproof.Case> cases = Wycheproof.cases(FILE, "json_web_crypto");
    assertThat(cases).hasSize(83);
    Wycheproof.assertAllKnown(cases, KNOWN_DISCREPANCIES, "KNOWN_DISCREPANCIES");
    long objects =
        cases.stream()
            .filter(c -> c.test().get("jws") instanceof Map || c.test().get("jwe") instanceof Map)
            .count();
    assertThat(objects).as("cases holding a JSON serialization object").isEqualTo(2);
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
  }

  private static void check(Wycheproof.Case c) {
    if (c.test().containsKey("jwe")) {
      checkJwe(c);
    } else {
      checkJws(c);
    }
  }

  private static void checkJws(Wycheproof.Case c) {
    Map<String, ?> key = c.groupKey();
    String jwks =
        key.containsKey("keys") ? Json.write(key) : "{\"keys\":[" + Json.write(key) + "]}";
    Object jws = c.test().get("jws");
    boolean object = jws instanceof Map;
    String token = object ? Json.write(jws) : Wycheproof.string(c.test(), "jws");
    Jose.Loaded loaded = Jose.loadJwks(jwks);
    JwtValidator validator = loaded.validator();
    Outcome outcome =
        validator == null
            ? Objects.requireNonNull(loaded.refusal())
            : Jose.verifyJws(validator, token);
    SUMMARY.record(c.tcId(), outcome);
    if (object && !KNOWN_DISCREPANCIES.containsKey(c.tcId())) {
      assertThat(JSON_SERIALIZATION).containsKey(c.tcId());
      assertThat(outcome.toString())
          .as("%s: JSON serialization passed as its JSON text", c.name())
          .isEqualTo("refused with " + Reason.MALFORMED);
      SUMMARY.count("JSON serialization refused with MALFORMED");
      return;
    }
    if (validator != null && outcome.isAccepted()) {
      assertThat(Jose.validate(validator, token).toString())
          .as("%s through validate()", c.name())
          .isEqualTo("refused with " + Reason.MALFORMED);
      SUMMARY.count("validate() refused with MALFORMED");
    }
    Jose.judge(c, outcome, c.valid(), KNOWN_DISCREPANCIES);
  }

  private static void checkJwe(Wycheproof.Case c) {
    Object jwe = c.test().get("jwe");
    String text = jwe instanceof String ? (String) jwe : Json.write(jwe);
    Outcome outcome = Jose.validate(FRESH, text);
    SUMMARY.record(c.tcId(), outcome);
    JsonWebEncryptionConformanceTest.refusedAsMalformed(c, outcome, KNOWN_DISCREPANCIES);
    if (jwe instanceof Map) {
      SUMMARY.count("JSON serialization refused with MALFORMED");
    }
    // An encryption key is never a verification key.
    Map<String, ?> key = c.groupKey();
    String jwks =
        key.containsKey("keys") ? Json.write(key) : "{\"keys\":[" + Json.write(key) + "]}";
    Outcome load = Objects.requireNonNullElse(Jose.loadJwks(jwks).refusal(), Outcome.accepted());
    assertThat(load.kind())
        .as("%s: the group's encryption key as a verification key: %s", c.name(), load)
        .isEqualTo(Outcome.Kind.REFUSED_AT_LOAD);
    SUMMARY.count("JWE group key refused at load");
  }

  @AfterAll
  static void printSummary() {
    SUMMARY.print(KNOWN_DISCREPANCIES, JSON_SERIALIZATION);
  }
}
