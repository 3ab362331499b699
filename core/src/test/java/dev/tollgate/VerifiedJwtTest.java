package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.testing.TestIssuer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link VerifiedJwt}'s typed views of the claims, on tokens the validator accepted. Each wrong
 * type is an {@link IllegalArgumentException} naming the claim's JSON type, never a
 * ClassCastException or a silently converted value.
 */
class VerifiedJwtTest {
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  private static final TestIssuer ISSUER =
      TestIssuer.builder()
          .algorithm(Algorithm.ES256)
          .clock(Clock.fixed(NOW, ZoneOffset.UTC))
          .build();
  private static final JwtValidator VALIDATOR = ISSUER.validator();

  private static VerifiedJwt claims(Object... namesAndValues) {
    var token = ISSUER.token();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      token.claim((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return VALIDATOR.validate(token.sign());
  }

  @Test
  void claim_ofAnotherJsonType_refusedNamingBothTypes() {
    VerifiedJwt jwt =
        claims("n", 5, "s", "x", "b", true, "a", List.of(1), "o", Map.of("k", 1), "d", 0.5);
    assertWrongType(jwt, "n", String.class, "claim \"n\" is a number, not a String");
    assertWrongType(jwt, "s", Long.class, "claim \"s\" is a string, not a Long");
    assertWrongType(jwt, "s", Boolean.class, "claim \"s\" is a string, not a Boolean");
    assertWrongType(jwt, "b", String.class, "claim \"b\" is a boolean, not a String");
    assertWrongType(jwt, "a", Map.class, "claim \"a\" is a array, not a Map");
    assertWrongType(jwt, "o", List.class, "claim \"o\" is a object, not a List");
    assertWrongType(jwt, "s", Double.class, "claim \"s\" is a string, not a Double");
    assertWrongType(jwt, "s", Integer.class, "claim \"s\" is a string, not a Integer");
    assertWrongType(jwt, "d", Long.class, "claim \"d\" is a number, not a Long");
    assertWrongType(jwt, "s", Instant.class, "claim \"s\" is a string, not a Instant");
  }

  private static void assertWrongType(VerifiedJwt jwt, String name, Class<?> type, String message) {
    assertThatThrownBy(() -> jwt.claim(name, type))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void claim_unsupportedType_refusedWhateverTheValue() {
    VerifiedJwt jwt = claims("n", 5, "s", "x");
    assertThatThrownBy(() -> jwt.claim("n", Float.class))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("unsupported claim type java.lang.Float");
    assertThatThrownBy(() -> jwt.claim("s", Float.class))
        .isExactlyInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void claim_asInteger_onlyWhenItFits() {
    VerifiedJwt jwt =
        claims("max", (long) Integer.MAX_VALUE, "min", (long) Integer.MIN_VALUE, "big", 1L << 40);
    assertThat(jwt.claim("max", Integer.class)).contains(Integer.MAX_VALUE);
    assertThat(jwt.claim("min", Integer.class)).contains(Integer.MIN_VALUE);
    assertThatThrownBy(() -> jwt.claim("big", Integer.class))
        .isExactlyInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void claim_asInstant_fromWholeOrFractionalSeconds() {
    VerifiedJwt jwt = claims("whole", 1_700_000_000L, "fraction", 1_700_000_000.25);
    assertThat(jwt.claim("whole", Instant.class)).contains(Instant.ofEpochSecond(1_700_000_000L));
    assertThat(jwt.claim("fraction", Instant.class))
        .contains(Instant.ofEpochSecond(1_700_000_000L).plusMillis(250));
    // Beyond what an Instant holds.
    VerifiedJwt beyond = claims("beyond", 1_000_000_000_000_000_000L);
    assertThatThrownBy(() -> beyond.claim("beyond", Instant.class))
        .isExactlyInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void optionalDates_emptyWhenAbsent() {
    VerifiedJwt jwt = VALIDATOR.validate(ISSUER.token().withoutClaim("iat").sign());
    assertThat(jwt.issuedAt()).isEmpty();
    assertThat(jwt.notBefore()).isEmpty();
  }

  @Test
  void scopes_splitOnSingleSpaces_ignoringLeadingTrailingAndRepeatedOnes() {
    assertThat(claims("scope", " a  b ").scopes()).containsExactly("a", "b");
    assertThat(claims("scope", "a").scopes()).containsExactly("a");
    assertThat(claims("scope", "").scopes()).isEmpty();
  }

  @Test
  void toString_namesAlgorithmAndClaimCountOnly() {
    VerifiedJwt jwt = VALIDATOR.validate(ISSUER.validToken());
    assertThat(jwt).hasToString("VerifiedJwt[alg=ES256, claims=" + jwt.claims().size() + "]");
  }

  /** A token whose claims are exactly this JSON (its own iss, aud and exp included). */
  private static VerifiedJwt raw(String json) {
    return VALIDATOR.validate(ISSUER.token().payload(json).sign());
  }

  /** A raw claims set of the valid iss, aud and exp, then {@code moreMembers} (",..."). */
  private static VerifiedJwt validClaimsAnd(String moreMembers) {
    return raw(
        "{\"iss\":\""
            + ISSUER.issuer()
            + "\",\"aud\":\""
            + ISSUER.audience()
            + "\",\"exp\":"
            + exp()
            + moreMembers
            + "}");
  }

  private static String escapedEachCharacter(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      out.append(String.format("\\u%04x", (int) text.charAt(i)));
    }
    return out.toString();
  }

  private static long exp() {
    return NOW.getEpochSecond() + 600;
  }

  @Test
  void accessors_escapedNamesAndValues_readAsTheirText() {
    VerifiedJwt jwt =
        raw(
            "{\"\\u0069ss\":\""
                + escapedEachCharacter(ISSUER.issuer())
                + "\",\"a\\u0075d\":[\""
                + escapedEachCharacter(ISSUER.audience())
                + "\"],\"ex\\u0070\":"
                + exp()
                + ",\"\\u0073ub\":\"al\\u0069ce\",\"jt\\u0069\":\"\\u00e9\","
                + "\"sc\\u006fpe\":\"a\\u0020b\",\"n\\u0061me\":\"Zo\\u00eb\"}");
    assertThat(jwt.issuer()).isEqualTo(ISSUER.issuer());
    assertThat(jwt.audience()).containsExactly(ISSUER.audience());
    assertThat(jwt.subject()).contains("alice");
    assertThat(jwt.jwtId()).contains("\u00e9");
    assertThat(jwt.scopes()).containsExactly("a", "b");
    assertThat(jwt.claim("name", String.class)).contains("Zo\u00eb");
    assertThat(jwt.expiresAt()).isEqualTo(Instant.ofEpochSecond(exp()));
    assertThat(jwt.claims()).containsEntry("sub", "alice").containsEntry("name", "Zo\u00eb");
  }

  @Test
  void accessors_plainNonAsciiValues_readAsTheirText() {
    VerifiedJwt jwt =
        validClaimsAnd(",\"sub\":\"J\u00f6rg \u6771\u4eac \ud83d\ude00\",\"gr\u00fc\u00df\":true");
    assertThat(jwt.subject()).contains("J\u00f6rg \u6771\u4eac \ud83d\ude00");
    assertThat(jwt.claim("gr\u00fc\u00df", Boolean.class)).contains(true);
    assertThat(jwt.claim("gr\u00fc\u00df", Object.class)).contains(true);
  }

  @Test
  void accessors_sameAnswersBeforeAndAfterClaims() {
    String token =
        ISSUER
            .token()
            .claim("tenant", "t-1")
            .claim("roles", List.of("a", "b"))
            .claim("level", 3)
            .sign();
    VerifiedJwt lazy = VALIDATOR.validate(token);
    VerifiedJwt built = VALIDATOR.validate(token);
    Map<String, Object> all = built.claims();
    assertThat(built.claims()).isSameAs(all);
    assertThat(all).containsEntry("tenant", "t-1").containsEntry("level", 3L);
    for (VerifiedJwt jwt : List.of(lazy, built)) {
      assertThat(jwt.claim("tenant", String.class)).contains("t-1");
      assertThat(jwt.claim("roles", List.class)).contains(List.of("a", "b"));
      assertThat(jwt.claim("level", Integer.class)).contains(3);
      assertThat(jwt.claim("absent", String.class)).isEmpty();
      assertThat(jwt.subject()).isPresent().isEqualTo(Optional.ofNullable((String) all.get("sub")));
      assertThat(jwt.audience()).containsExactly(ISSUER.audience());
      assertThat(jwt.issuedAt()).isPresent();
    }
    assertThat(lazy.claims()).isEqualTo(all);
  }

  @Test
  void optionalClaims_jsonNull_empty() {
    VerifiedJwt jwt =
        validClaimsAnd(",\"sub\":null,\"jti\":null,\"nbf\":null,\"iat\":null,\"x\":null");
    assertThat(jwt.subject()).isEmpty();
    assertThat(jwt.jwtId()).isEmpty();
    assertThat(jwt.notBefore()).isEmpty();
    assertThat(jwt.issuedAt()).isEmpty();
    assertThat(jwt.claim("x", String.class)).isEmpty();
    assertThat(jwt.claims()).containsEntry("x", null);
  }

  @Test
  void scopes_scopeNull_doesNotFallBackToScp() {
    VerifiedJwt jwt = claims("scope", null, "scp", List.of("x"));
    assertThat(jwt.scopes()).isEmpty();
    assertThat(claims("scp", List.of("x", "y")).scopes()).containsExactly("x", "y");
    assertThat(claims("scp", "x y").scopes()).containsExactly("x", "y");
  }
}
