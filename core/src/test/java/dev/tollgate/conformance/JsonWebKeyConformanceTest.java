package dev.tollgate.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.JwtValidator;
import dev.tollgate.internal.Base64Url;
import dev.tollgate.internal.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs Wycheproof's {@code json_web_key_test.json}: each group's {@code public} key set (else
 * {@code private}) is trusted through {@code KeyResolver.jwks}, and the case's token goes to the
 * JWS layer, which selects the key by {@code kid}. A case labelled {@code valid} must be accepted;
 * any other must be refused, either when the key set is loaded ({@code IllegalArgumentException})
 * or when the token is verified ({@code JwtValidationException}).
 *
 * <p>Decisions: tcId 1 (a set mixing a secret and a public key) and 4 (duplicate {@code kid}) are
 * flagged {@code Ambiguous}; Tollgate refuses both sets, as Wycheproof expects. tcId 7 (an RSA key
 * with the ROCA fingerprint, CVE-2017-15361) is expected to be refused by Tollgate's ROCA check.
 * tcId 4's set is refused for its non-canonical second secret before the kids are compared, so the
 * same set with canonical secrets is checked as well.
 */
class JsonWebKeyConformanceTest {
  static final String FILE = "json_web_key_test.json";

  /**
   * Cases where Tollgate disagrees with the vectors today: expected-for-now, so the build stays
   * green. A listed case that starts to agree fails, so that this map is emptied as bugs are fixed.
   */
  static final Map<Integer, String> KNOWN_DISCREPANCIES = Map.of();

  private static final Summary SUMMARY = new Summary(FILE);

  /** Shows up as skipped, with the reason, when the vectors are absent. */
  @Test
  void vectorFile_present() {
    assertThat(Wycheproof.vectorDirectory().resolve(FILE)).isRegularFile();
  }

  @TestFactory
  Stream<DynamicTest> jsonWebKey() throws Exception {
    List<Wycheproof.Case> cases = Wycheproof.cases(FILE, "json_web_key");
    assertThat(cases).hasSize(26);
    Wycheproof.assertAllKnown(cases, KNOWN_DISCREPANCIES, "KNOWN_DISCREPANCIES");
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
  }

  private static void check(Wycheproof.Case c) {
    Map<String, ?> keySet = c.groupKey();
    assertThat(keySet).as("%s: the group's key is a JWKS", c.name()).containsKey("keys");
    Jose.Loaded loaded = Jose.loadJwks(Json.write(keySet));
    JwtValidator validator = loaded.validator();
    Outcome outcome =
        validator == null
            ? Objects.requireNonNull(loaded.refusal())
            : Jose.verifyJws(validator, Wycheproof.string(c.test(), "jws"));
    SUMMARY.record(c.tcId(), outcome);
    Jose.judge(c, outcome, c.valid(), KNOWN_DISCREPANCIES);
    if (c.flags().contains("DuplicateKid")) {
      duplicateKidRefusedForItself(c, keySet);
    }
  }

  /**
   * The duplicate-kid set of tcId 4 is refused before its kids are compared: its second secret is
   * not canonical base64url (non-zero unused bits), which Tollgate refuses on its own. Give every
   * secret a fresh canonical value, so that only the duplicate kid is left to refuse the set.
   */
  private static void duplicateKidRefusedForItself(Wycheproof.Case c, Map<String, ?> keySet) {
    List<Object> repaired = new ArrayList<>();
    byte fill = 1;
    for (Object k : Wycheproof.list(Wycheproof.asObject(keySet, "JWKS"), "keys")) {
      Map<String, @Nullable Object> key = new LinkedHashMap<>(Wycheproof.asObject(k, "JWK"));
      assertThat(key).as("%s: a secret key", c.name()).containsEntry("kty", "oct");
      byte[] secret = new byte[32];
      Arrays.fill(secret, fill++);
      key.put("k", Base64Url.encode(secret));
      repaired.add(key);
    }
    Outcome outcome =
        Objects.requireNonNullElse(
            Jose.loadJwks(Json.write(Map.of("keys", repaired))).refusal(), Outcome.accepted());
    assertThat(outcome.kind())
        .as("%s with canonical secrets: %s", c.name(), outcome)
        .isEqualTo(Outcome.Kind.REFUSED_AT_LOAD);
    SUMMARY.count("duplicate-kid set with canonical secrets refused at load");
  }

  @AfterAll
  static void printSummary() {
    SUMMARY.print(
        KNOWN_DISCREPANCIES,
        Map.of(
            1,
            "Ambiguous: mixed secret/public key set, refusal expected",
            4,
            "Ambiguous: duplicate kid, refusal expected (its 2nd k is non-canonical base64url;"
                + " the set with canonical secrets is refused too)",
            7,
            "ROCA key, refusal expected"));
  }
}
