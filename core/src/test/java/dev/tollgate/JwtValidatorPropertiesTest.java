package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tollgate.testing.TestIssuer;
import dev.tollgate.testing.TokenBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

class JwtValidatorPropertiesTest {
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final TestIssuer ISSUER =
      TestIssuer.builder().algorithm(Algorithm.ES256).clock(CLOCK).build();
  private static final TestIssuer HMAC =
      TestIssuer.builder().algorithm(Algorithm.HS256).clock(CLOCK).build();
  private static final JwtValidator VALIDATOR = ISSUER.validator();
  private static final JwtValidator HMAC_VALIDATOR = HMAC.validator();
  private static final String TOKEN = ISSUER.validToken();
  private static final String HMAC_TOKEN = HMAC.validToken();

  /** Asserts the input is refused with a typed refusal whose text holds nothing of the input. */
  private static void assertCleanRefusal(JwtValidator validator, String input) {
    Throwable t = catchThrowable(() -> validator.validate(input));
    assertThat(t).isInstanceOf(JwtValidationException.class);
    JwtValidationException e = (JwtValidationException) t;
    assertThat(e.getMessage()).isEqualTo(e.reason().description());
    for (String segment : input.split("\\.")) {
      if (segment.length() >= 8) {
        assertThat(e.toString()).doesNotContain(segment);
      }
    }
  }

  // (a) flipping any single bit of any segment of a valid token makes it refused
  @Property(tries = 400)
  void anySingleBitFlip_refused(
      @ForAll @IntRange(min = 0, max = 10_000) int position,
      @ForAll @IntRange(min = 0, max = 6) int bit) {
    for (String token : new String[] {TOKEN, HMAC_TOKEN}) {
      int index = position % token.length();
      char flipped = (char) (token.charAt(index) ^ (1 << bit));
      String mutated = token.substring(0, index) + flipped + token.substring(index + 1);
      assertCleanRefusal(token.equals(TOKEN) ? VALIDATOR : HMAC_VALIDATOR, mutated);
    }
  }

  // (b) arbitrary strings only ever end in JwtValidationException
  @Property(tries = 1000)
  void arbitraryStrings_refusedWithTypedRefusal(@ForAll @StringLength(max = 300) String input) {
    assertCleanRefusal(VALIDATOR, input);
  }

  @Property(tries = 300)
  void arbitraryDottedBase64_refusedWithTypedRefusal(@ForAll("dottedBase64") String input) {
    assertCleanRefusal(VALIDATOR, input);
  }

  @Provide
  Arbitrary<String> dottedBase64() {
    Arbitrary<String> segment =
        Arbitraries.strings()
            .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
            .ofMaxLength(120);
    return Combinators.combine(segment, segment, segment).as((a, b, c) -> a + "." + b + "." + c);
  }

  @Property(tries = 500)
  void mutatedValidTokens_refusedWithTypedRefusal(
      @ForAll @IntRange(min = 0, max = 10_000) int position,
      @ForAll @IntRange(min = 0, max = 2) int kind,
      @ForAll char c) {
    int index = position % TOKEN.length();
    String mutated =
        switch (kind) {
          case 0 -> TOKEN.substring(0, index) + TOKEN.substring(index + 1);
          case 1 -> TOKEN.substring(0, index) + c + TOKEN.substring(index);
          default -> TOKEN.substring(0, index) + c + TOKEN.substring(index + 1);
        };
    if (!mutated.equals(TOKEN)) {
      assertCleanRefusal(VALIDATOR, mutated);
    }
  }

  // (c) any token whose claims satisfy the policy is accepted
  @Property(tries = 150)
  void claimsSatisfyingThePolicy_accepted(
      @ForAll("extraClaims") Map<String, Object> extra,
      @ForAll @IntRange(min = 1, max = 86_400) int lifetimeSeconds,
      @ForAll @IntRange(min = 0, max = 59) int ageSeconds,
      @ForAll("otherAudiences") List<String> otherAudiences) {
    List<String> audiences = new ArrayList<>(otherAudiences);
    audiences.add(Math.min(audiences.size(), lifetimeSeconds % 3), ISSUER.audience());
    TokenBuilder builder =
        ISSUER
            .token()
            .audience(audiences.toArray(new String[0]))
            .issuedAt(NOW.minusSeconds(ageSeconds))
            .notBefore(NOW.minusSeconds(ageSeconds))
            .expiresAt(NOW.plusSeconds(lifetimeSeconds));
    extra.forEach(builder::claim);
    VerifiedJwt jwt = VALIDATOR.validate(builder.sign());
    assertThat(jwt.audience()).containsExactlyElementsOf(audiences);
    for (Map.Entry<String, Object> e : extra.entrySet()) {
      assertThat(jwt.claims()).containsEntry(e.getKey(), e.getValue());
    }
  }

  @Provide
  Arbitrary<List<String>> otherAudiences() {
    return Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10).list().ofMaxSize(3);
  }

  @Provide
  Arbitrary<Map<String, Object>> extraClaims() {
    Arbitrary<String> names =
        Arbitraries.strings()
            .alpha()
            .ofMinLength(1)
            .ofMaxLength(12)
            .map(n -> "x_" + n); // never a registered claim name
    Arbitrary<Object> values =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(20).map(v -> (Object) v),
            Arbitraries.longs().map(v -> (Object) v),
            Arbitraries.of(true, false).map(v -> (Object) v),
            Arbitraries.strings().alpha().ofMaxLength(5).list().ofMaxSize(3).map(v -> (Object) v));
    return Arbitraries.maps(names, values).ofMaxSize(8);
  }
}
