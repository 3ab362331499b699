package dev.tollgate.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.Algorithm;
import dev.tollgate.JwsHeader;
import dev.tollgate.JwtKey;
import dev.tollgate.JwtValidationException;
import dev.tollgate.JwtValidator;
import dev.tollgate.Reason;
import dev.tollgate.keys.KeyResolver;
import dev.tollgate.testing.TestIssuer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Every limit on a token, at its boundary and far beyond it: the right {@link Reason}, and proof
 * that the refusal did no more work than it had to. No test measures time; instead each refused
 * input is built so that reading further would end differently (a valid token one character too
 * long would be accepted if it were read), and a counting key source shows that refusals before the
 * key lookup never reach it.
 */
class TokenLimitsTest {
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final TestIssuer ISSUER =
      TestIssuer.builder().algorithm(Algorithm.HS256).clock(CLOCK).build();
  private static final int DEFAULT_MAX = 16 * 1024;
  private static final int MIB = 1 << 20;

  /** Counts key lookups: the validator looks keys up only after the header passed every check. */
  private static final class CountingKeys implements KeyResolver {
    final AtomicInteger lookups = new AtomicInteger();

    @Override
    public List<JwtKey> resolve(JwsHeader header) {
      lookups.incrementAndGet();
      return ISSUER.keys().resolve(header);
    }
  }

  private final CountingKeys keys = new CountingKeys();
  private final JwtValidator validator = builder().build();
  private final JwtValidator large = builder().maxTokenLength(MIB).build();

  private JwtValidator.Builder builder() {
    return JwtValidator.builder()
        .algorithms(Algorithm.HS256)
        .issuer(ISSUER.issuer())
        .audience(ISSUER.audience())
        .keys(keys)
        .clock(CLOCK);
  }

  private static void assertRefused(JwtValidator v, String token, Reason reason) {
    assertThatThrownBy(() -> v.validate(token))
        .isInstanceOfSatisfying(
            JwtValidationException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  /** Refused with this reason, and the key source was never asked: the header alone decided. */
  private void assertRefusedBeforeKeyLookup(JwtValidator v, String token, Reason reason) {
    int before = keys.lookups.get();
    assertRefused(v, token, reason);
    assertThat(keys.lookups.get()).as("key lookups").isEqualTo(before);
  }

  /** A validly signed token with this exact header JSON. */
  private static String withHeader(String headerJson) {
    return ISSUER.token().rawHeader(headerJson).sign();
  }

  /** A validly signed token with these claims (raw JSON). */
  private static String withClaims(String claimsJson) {
    return ISSUER.token().payload(claimsJson).sign();
  }

  /** The issuer's default claims with one more member, as raw JSON. */
  private static String claimsWith(String member) {
    String claims =
        "{\"iss\":\"" + ISSUER.issuer() + "\",\"aud\":\"" + ISSUER.audience() + "\",\"exp\":";
    return claims + (NOW.getEpochSecond() + 300) + "," + member + "}";
  }

  private static String flipLastSignatureBit(String token) {
    int dot = token.lastIndexOf('.');
    byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
    signature[0] ^= 1;
    return token.substring(0, dot + 1)
        + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
  }

  // ---- token length: default 16 KiB, configurable 128 to 1 MiB ----

  @Test
  void validate_tokenOfExactlyTheDefaultMaximum_isRead() {
    assertThat(validator.validate(ISSUER.oversizedToken(DEFAULT_MAX))).isNotNull();
    assertThat(keys.lookups.get()).as("a token that is read reaches the key lookup").isEqualTo(1);
  }

  @Test
  void validate_validTokenOneCharacterOverTheDefault_refusedTooLargeUnread() {
    // Read, this token would be accepted.
    assertRefusedBeforeKeyLookup(
        validator, ISSUER.oversizedToken(DEFAULT_MAX + 1), Reason.TOO_LARGE);
  }

  @Test
  void validate_oneMebibyteToken_refusedTooLargeUnread() {
    assertRefusedBeforeKeyLookup(validator, ISSUER.oversizedToken(MIB), Reason.TOO_LARGE);
    assertRefusedBeforeKeyLookup(validator, "A".repeat(MIB), Reason.TOO_LARGE);
  }

  @Test
  void validate_configuredMaximum_isTheBoundary() {
    JwtValidator small = builder().maxTokenLength(1024).build();
    assertThat(small.validate(ISSUER.oversizedToken(1024))).isNotNull();
    assertRefusedBeforeKeyLookup(small, ISSUER.oversizedToken(1025), Reason.TOO_LARGE);
    assertThat(large.validate(ISSUER.oversizedToken(MIB))).isNotNull();
    assertRefusedBeforeKeyLookup(large, ISSUER.oversizedToken(MIB + 1), Reason.TOO_LARGE);
  }

  @Test
  void validate_lengthCountsCharacters_whateverTheirEncoding() {
    assertRefused(validator, "\u20ac".repeat(DEFAULT_MAX + 1), Reason.TOO_LARGE);
    assertRefused(validator, "\u20ac".repeat(DEFAULT_MAX), Reason.MALFORMED);
    // A surrogate pair is two characters.
    assertRefused(validator, "\ud83d\ude00".repeat(DEFAULT_MAX / 2 + 1), Reason.TOO_LARGE);
    assertRefused(validator, "\ud83d\ude00".repeat(DEFAULT_MAX / 2), Reason.MALFORMED);
  }

  // ---- header and claims: no limit of their own but the token's length ----

  @Test
  void validate_headerAndClaimsAreBoundedOnlyByTheTokenLength() {
    String bigClaims = ISSUER.token().claim("pad", "x".repeat(700_000)).sign();
    String bigHeader = ISSUER.token().header("pad", "x".repeat(700_000)).sign();
    assertThat(large.validate(bigClaims).claim("pad", String.class)).isPresent();
    assertThat(large.validate(bigHeader)).isNotNull();
    assertRefusedBeforeKeyLookup(validator, bigClaims, Reason.TOO_LARGE);
    assertRefusedBeforeKeyLookup(validator, bigHeader, Reason.TOO_LARGE);
  }

  // ---- JSON depth: header <= 8, claims <= 32 ----

  private static Object nestedLists(int levels) {
    Object v = List.of();
    for (int i = 1; i < levels; i++) {
      v = List.of(v);
    }
    return v;
  }

  @Test
  void validate_headerDepth8_accepted_depth9_refusedMalformedBeforeKeyLookup() {
    // The header object is level 1; a member holding 7 nested arrays reaches level 8.
    assertThat(validator.validate(ISSUER.token().header("x", nestedLists(7)).sign())).isNotNull();
    assertRefusedBeforeKeyLookup(
        validator, ISSUER.token().header("x", nestedLists(8)).sign(), Reason.MALFORMED);
  }

  @Test
  void validate_claimsDepth32_accepted_depth33_refusedMalformed() {
    // deeplyNestedToken(n): the claims object plus n nested arrays.
    assertThat(validator.validate(ISSUER.deeplyNestedToken(31))).isNotNull();
    assertRefused(validator, ISSUER.deeplyNestedToken(32), Reason.MALFORMED);
  }

  @Test
  void validate_claimsAreReadOnlyAfterTheSignatureVerified() {
    // Were the claims read first, these would be MALFORMED.
    assertRefused(
        large, flipLastSignatureBit(ISSUER.deeplyNestedToken(100_000)), Reason.BAD_SIGNATURE);
    assertRefused(
        validator, flipLastSignatureBit(withClaims("not JSON at all")), Reason.BAD_SIGNATURE);
    assertRefused(
        validator, flipLastSignatureBit(withClaims(claimsWith("\"exp\":0"))), Reason.BAD_SIGNATURE);
  }

  @Test
  void validate_100000LevelsOfNesting_refusedMalformedWithoutExhaustingTheStack() {
    int levels = 100_000;
    String arrays = "[".repeat(levels) + "]".repeat(levels);
    String objects = "{\"a\":".repeat(levels) + "{}" + "}".repeat(levels);
    String unclosed = "[{\"a\":".repeat(levels / 2);
    for (String deep : List.of(arrays, objects, unclosed)) {
      assertRefusedBeforeKeyLookup(
          large, withHeader("{\"alg\":\"HS256\",\"x\":" + deep + "}"), Reason.MALFORMED);
      assertRefused(large, withClaims(claimsWith("\"x\":" + deep)), Reason.MALFORMED);
    }
    assertRefusedBeforeKeyLookup(large, withHeader(arrays), Reason.MALFORMED);
    assertRefused(large, withClaims(objects), Reason.MALFORMED);
  }

  // ---- crit: refused whatever its length or form ----

  @Test
  void validate_critOfAnyLength_refusedUnsupportedCriticalHeaderBeforeKeyLookup() {
    for (int n : new int[] {0, 1, 2, 1000, 50_000}) {
      List<String> names = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        names.add("e" + i);
      }
      String token = ISSUER.token().header("crit", names).sign();
      assertRefusedBeforeKeyLookup(large, token, Reason.UNSUPPORTED_CRITICAL_HEADER);
    }
    for (Object crit : new Object[] {"b64", 1L, List.of(1L), List.of(List.of()), null}) {
      String token = ISSUER.token().header("crit", crit).sign();
      assertRefusedBeforeKeyLookup(validator, token, Reason.UNSUPPORTED_CRITICAL_HEADER);
    }
  }

  // ---- duplicate member names ----

  @Test
  void validate_duplicateHeaderNames_refusedMalformedBeforeKeyLookup() {
    assertRefusedBeforeKeyLookup(
        validator, withHeader("{\"alg\":\"HS256\",\"alg\":\"HS256\"}"), Reason.MALFORMED);
    assertRefusedBeforeKeyLookup(
        validator, withHeader("{\"alg\":\"HS256\",\"\\u0061lg\":\"HS256\"}"), Reason.MALFORMED);
    StringBuilder many = new StringBuilder("{\"alg\":\"HS256\"");
    for (int i = 0; i < 40; i++) {
      many.append(",\"m").append(i).append("\":0");
    }
    // A repeat past the first 24 members, where large objects switch to an index.
    String repeated = many + ",\"m39\":1}";
    assertRefusedBeforeKeyLookup(validator, withHeader(repeated), Reason.MALFORMED);
    assertThat(validator.validate(withHeader(many + "}"))).isNotNull();
  }

  @Test
  void validate_duplicateClaimNames_refusedMalformed() {
    assertRefused(validator, withClaims(claimsWith("\"exp\":0")), Reason.MALFORMED);
    assertRefused(validator, withClaims(claimsWith("\"x\":{\"a\":1,\"a\":1}")), Reason.MALFORMED);
    assertRefused(validator, withClaims(claimsWith("\"\\u0065xp\":1")), Reason.MALFORMED);
  }

  @Test
  void validate_thousandsOfNamesWithOneHashCode_readAndRepeatsStillFound() {
    // "Aa" and "BB" share String.hashCode, so all 2^11 names below do: a hash-flooding header.
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 1 << 11; i++) {
      StringBuilder name = new StringBuilder();
      for (int bit = 0; bit < 11; bit++) {
        name.append((i >> bit & 1) == 0 ? "Aa" : "BB");
      }
      names.add(name.toString());
    }
    assertThat(names.stream().map(String::hashCode).distinct()).hasSize(1);
    StringBuilder header = new StringBuilder("{\"alg\":\"HS256\"");
    for (String name : names) {
      header.append(",\"").append(name).append("\":0");
    }
    assertThat(large.validate(withHeader(header + "}"))).isNotNull();
    String repeated = header + ",\"" + names.get(names.size() / 2) + "\":1}";
    assertRefusedBeforeKeyLookup(large, withHeader(repeated), Reason.MALFORMED);
  }

  // ---- giant numbers ----

  @Test
  void validate_numbersBeyondADouble_refusedMalformed() {
    assertRefused(validator, withClaims(claimsWith("\"x\":1e400")), Reason.MALFORMED);
    assertRefused(
        validator, withClaims(claimsWith("\"x\":1" + "0".repeat(10_000))), Reason.MALFORMED);
    assertRefusedBeforeKeyLookup(
        large,
        withHeader("{\"alg\":\"HS256\",\"x\":-1" + "0".repeat(100_000) + "}"),
        Reason.MALFORMED);
  }

  @Test
  void validate_giantDates_refusedClaimInvalid() {
    for (String date :
        List.of(
            "1" + "0".repeat(300),
            "1e300",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775809",
            "253402300800",
            "253402300799.5")) {
      String claims =
          "{\"iss\":\"" + ISSUER.issuer() + "\",\"aud\":\"" + ISSUER.audience() + "\",\"exp\":";
      assertRefused(validator, withClaims(claims + date + "}"), Reason.CLAIM_INVALID);
      assertRefused(validator, withClaims(claimsWith("\"nbf\":" + date)), Reason.CLAIM_INVALID);
    }
  }

  @Test
  void validate_datesThatRoundToZero_refusedExpired() {
    for (String date : List.of("0." + "0".repeat(10_000) + "1", "1e-400", "-0", "0e99999")) {
      String claims =
          "{\"iss\":\"" + ISSUER.issuer() + "\",\"aud\":\"" + ISSUER.audience() + "\",\"exp\":";
      assertRefused(validator, withClaims(claims + date + "}"), Reason.EXPIRED);
    }
  }

  @Test
  void validate_longDigitRunsThatAreOrdinaryNumbers_read() {
    String fraction = "0." + "0".repeat(100_000) + "1";
    assertThat(large.validate(withHeader("{\"alg\":\"HS256\",\"x\":" + fraction + "}")))
        .isNotNull();
    assertThat(large.validate(withClaims(claimsWith("\"x\":1e" + "0".repeat(100_000) + "1"))))
        .isNotNull();
  }

  // ---- huge base64 runs ----

  @Test
  void validate_oneSegmentOfAMebibyte_refusedMalformedBeforeKeyLookup() {
    assertRefusedBeforeKeyLookup(large, "A".repeat(MIB), Reason.MALFORMED);
    assertRefusedBeforeKeyLookup(large, "A".repeat(MIB - 2) + "..", Reason.MALFORMED);
  }

  @Test
  void validate_hugeHeaderSegmentThatIsNoJson_refusedMalformedBeforeKeyLookup() {
    String token = ISSUER.validToken();
    String rest = token.substring(token.indexOf('.'));
    assertRefusedBeforeKeyLookup(large, "A".repeat(700_000) + rest, Reason.MALFORMED);
  }

  @Test
  void validate_hugeNonCanonicalSegments_refusedMalformedBeforeKeyLookup() {
    String token = ISSUER.validToken();
    String[] parts = token.split("\\.");
    String run = "A".repeat(700_000);
    // 700,001 characters: one left over, which no byte string encodes to.
    assertRefusedBeforeKeyLookup(large, parts[0] + "." + run + "A." + parts[2], Reason.MALFORMED);
    // A last character with unused bits set.
    assertRefusedBeforeKeyLookup(large, parts[0] + "." + run + "AB." + parts[2], Reason.MALFORMED);
    assertRefusedBeforeKeyLookup(
        large, parts[0] + "." + parts[1] + "." + run + "=", Reason.MALFORMED);
  }

  @Test
  void validate_hugeSignatureOrPayload_refusedBadSignature() {
    String token = ISSUER.validToken();
    String signingInput = token.substring(0, token.lastIndexOf('.'));
    assertRefused(large, signingInput + "." + "A".repeat(700_000), Reason.BAD_SIGNATURE);
    String header = token.substring(0, token.indexOf('.'));
    // Garbage claims of 700,000 characters under a wrong signature: never parsed.
    assertRefused(
        large,
        header + "." + "_".repeat(700_000) + "." + token.substring(token.lastIndexOf('.') + 1),
        Reason.BAD_SIGNATURE);
  }

  @Test
  void builder_maximumLengthOutsideItsRange_refused() {
    assertThatThrownBy(() -> builder().maxTokenLength(127))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder().maxTokenLength(MIB + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
