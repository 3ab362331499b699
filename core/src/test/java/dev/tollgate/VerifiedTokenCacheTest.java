package dev.tollgate;

import static dev.tollgate.JwtValidatorTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.keys.KeyResolver;
import dev.tollgate.testing.TestIssuer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VerifiedTokenCacheTest {
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant start) {
      this.now = start;
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  private final MovableClock clock = new MovableClock(NOW);
  private final TestIssuer issuer =
      TestIssuer.builder()
          .algorithm(Algorithm.ES256)
          .clock(Clock.fixed(NOW, ZoneOffset.UTC))
          .build();

  /** Counts how often keys are looked up: once per full validation and once per hit. */
  private final AtomicInteger lookups = new AtomicInteger();

  private final AtomicReference<KeyResolver> currentKeys = new AtomicReference<>(issuer.keys());
  private final KeyResolver keys =
      header -> {
        lookups.incrementAndGet();
        return currentKeys.get().resolve(header);
      };

  private JwtValidator.Builder cached(int entries) {
    return JwtValidator.builder()
        .algorithms(issuer.algorithm())
        .issuer(issuer.issuer())
        .audience(issuer.audience())
        .keys(keys)
        .clock(clock)
        .verifiedTokenCache(entries);
  }

  @Test
  void validate_sameTokenTwice_secondIsTheRememberedResult() {
    JwtValidator validator = cached(16).build();
    String token = issuer.validToken();

    VerifiedJwt first = validator.validate(token);
    VerifiedJwt second = validator.validate(token);

    assertThat(second).isSameAs(first);
    assertThat(validator.validate(issuer.validToken())).isNotSameAs(first);
  }

  @Test
  void validate_withoutCache_neverTheSameResult() {
    JwtValidator validator = issuer.validatorBuilder().build();
    String token = issuer.validToken();

    assertThat(validator.validate(token)).isNotSameAs(validator.validate(token));
  }

  @Test
  void validate_rememberedTokenAfterExpiry_refusedWithExpired() {
    JwtValidator validator = cached(16).build();
    String token = issuer.token().expiresAt(NOW.plusSeconds(300)).sign();
    validator.validate(token);

    VerifiedJwt first = validator.validate(token);
    clock.set(NOW.plusSeconds(300 + 59));
    assertThat(validator.validate(token)).isSameAs(first);
    clock.set(NOW.plusSeconds(300 + 60));
    assertRefused(() -> validator.validate(token), Reason.EXPIRED);
  }

  @Test
  void validate_rememberedTokenWhenClockGoesBackBeforeNotBefore_refusedWithNotYetValid() {
    JwtValidator validator = cached(16).build();
    String token = issuer.token().issuedAt(NOW).notBefore(NOW.plusSeconds(30)).sign();
    validator.validate(token);

    VerifiedJwt first = validator.validate(token);
    clock.set(NOW.plusSeconds(30 - 60));
    assertThat(validator.validate(token)).isSameAs(first);
    clock.set(NOW.plusSeconds(30 - 61));
    assertRefused(() -> validator.validate(token), Reason.NOT_YET_VALID);
  }

  @Test
  void validate_rememberedTokenWhenClockGoesBackBeforeIssuedAt_refusedWithNotYetValid() {
    JwtValidator validator = cached(16).build();
    String token = issuer.token().issuedAt(NOW).withoutClaim("nbf").sign();
    validator.validate(token);

    VerifiedJwt first = validator.validate(token);
    clock.set(NOW.minusSeconds(60));
    assertThat(validator.validate(token)).isSameAs(first);
    clock.set(NOW.minusSeconds(61));
    assertRefused(() -> validator.validate(token), Reason.NOT_YET_VALID);
  }

  @Test
  void validate_rememberedTokenPastMaxTokenAge_refusedWithTooOld() {
    JwtValidator validator = cached(16).maxTokenAge(Duration.ofMinutes(2)).build();
    String token = issuer.token().issuedAt(NOW).sign();
    validator.validate(token);

    VerifiedJwt first = validator.validate(token);
    clock.set(NOW.plusSeconds(120 + 59));
    assertThat(validator.validate(token)).isSameAs(first);
    clock.set(NOW.plusSeconds(120 + 60));
    assertRefused(() -> validator.validate(token), Reason.TOO_OLD);
  }

  @Test
  void validate_rememberedTokenAfterItsKeyLeftTheKeySet_refusedWithKeyNotFound() {
    JwtValidator validator = cached(16).build();
    String token = issuer.validToken();
    validator.validate(token);
    int before = lookups.get();
    validator.validate(token);
    assertThat(lookups.get()).as("a hit asks the resolver again").isEqualTo(before + 1);

    currentKeys.set(issuer.rotate().withoutKey(issuer.keyId()).keys());

    assertRefused(() -> validator.validate(token), Reason.KEY_NOT_FOUND);
  }

  @Test
  void validate_rememberedTokenAfterItsKidWasGivenAnotherKey_refusedWithBadSignature() {
    JwtValidator validator = cached(16).build();
    String token = issuer.validToken();
    validator.validate(token);

    TestIssuer other = issuer.rotate();
    currentKeys.set(KeyResolver.of(JwtKey.of(other.publicKey(), issuer.keyId())));

    assertRefused(() -> validator.validate(token), Reason.BAD_SIGNATURE);
  }

  @Test
  void validate_fullCacheWhoseEveryTokenWasHit_staysWithinItsBound() {
    JwtValidator validator = cached(4).build();
    for (int i = 0; i < 4; i++) {
      String token = issuer.token().claim("n", i).sign();
      validator.validate(token);
      validator.validate(token);
    }

    validator.validate(issuer.token().claim("n", 4).sign());

    assertThat(cacheOf(validator).size()).isLessThanOrEqualTo(4);
  }

  @Test
  void validate_rememberedTokenWhenKeysBecomeUnavailable_refusedWithKeysUnavailable() {
    JwtValidator validator = cached(16).build();
    String token = issuer.validToken();
    validator.validate(token);

    currentKeys.set(
        header -> {
          throw new JwtValidationException(Reason.KEYS_UNAVAILABLE);
        });

    assertRefused(() -> validator.validate(token), Reason.KEYS_UNAVAILABLE);
  }

  @Test
  void validate_rememberedTokenWhenClaimCheckStartsFailing_refusedWithClaimInvalid() {
    Set<Object> revoked = ConcurrentHashMap.newKeySet();
    JwtValidator validator = cached(16).requireClaim("jti", jti -> !revoked.contains(jti)).build();
    String token = issuer.token().claim("jti", "token-7").sign();
    VerifiedJwt first = validator.validate(token);
    assertThat(validator.validate(token)).isSameAs(first);

    revoked.add("token-7");

    assertRefused(() -> validator.validate(token), Reason.CLAIM_INVALID);
  }

  @Test
  void validate_rememberedTokenWithClaimChecks_hitReadsOnlyTheCheckedClaims() {
    JwtValidator validator = cached(16).requireClaim("jti", "token-8"::equals).build();
    String token = issuer.token().claim("jti", "token-8").sign();
    VerifiedJwt first = validator.validate(token);

    assertThat(validator.validate(token)).isSameAs(first);
    assertThat(validator.validate(token)).isSameAs(first);

    // A cached token would otherwise keep a map of all its claims from its first hit on.
    assertThat(first.claimsMapBuilt()).isFalse();
    assertThat(first.claims()).containsEntry("jti", "token-8");
    assertThat(first.claimsMapBuilt()).isTrue();
    assertThat(validator.validate(token)).isSameAs(first);
  }

  @Test
  void validate_refusedTokens_notRemembered() {
    JwtValidator validator = cached(16).build();
    String forged = issuer.alteredSignatureToken();
    String expired = issuer.expiredToken();
    for (int i = 0; i < 3; i++) {
      assertRefused(() -> validator.validate(forged), Reason.BAD_SIGNATURE);
      assertRefused(() -> validator.validate(expired), Reason.EXPIRED);
    }
    assertThat(cacheOf(validator).size()).isZero();
  }

  @Test
  void validate_manyDistinctTokens_cacheStaysWithinItsBound() {
    JwtValidator validator = cached(8).build();
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      tokens.add(issuer.token().claim("n", i).sign());
    }
    for (String token : tokens) {
      assertThat(validator.validate(token).claim("n", Long.class)).isPresent();
      assertThat(cacheOf(validator).size()).isLessThanOrEqualTo(8);
    }
    // The last one was just remembered.
    String last = tokens.get(tokens.size() - 1);
    assertThat(validator.validate(last)).isSameAs(validator.validate(last));
  }

  @Test
  void validate_fullCache_expiredEntriesLeaveFirst() {
    JwtValidator validator = cached(4).build();
    String longLived = issuer.token().expiresAt(NOW.plusSeconds(3600)).sign();
    VerifiedJwt kept = validator.validate(longLived);
    for (int i = 0; i < 3; i++) {
      validator.validate(issuer.token().claim("n", i).expiresAt(NOW.plusSeconds(60)).sign());
    }
    clock.set(NOW.plusSeconds(600));

    validator.validate(issuer.token().claim("n", 99).expiresAt(NOW.plusSeconds(3600)).sign());

    assertThat(cacheOf(validator).size()).isEqualTo(2);
    assertThat(validator.validate(longLived)).isSameAs(kept);
  }

  @Test
  void validate_fullCache_tokenPresentedBetweenSweepsStays() {
    JwtValidator validator = cached(4).build();
    String busy = issuer.token().claim("client", "busy").sign();
    VerifiedJwt remembered = validator.validate(busy);
    for (int i = 0; i < 50; i++) {
      validator.validate(issuer.token().claim("n", i).sign());
      assertThat(validator.validate(busy)).as("after quiet client %d", i).isSameAs(remembered);
    }
  }

  @Test
  void validate_tokenDifferingFromRememberedOneOnlyAboveAscii_refusedWithMalformed() {
    JwtValidator validator = cached(16).build();
    String token = issuer.validToken();
    validator.validate(token);
    int at = token.indexOf('.') + 5;
    // Same low byte as the original character: a digest over truncated characters would match.
    String wide =
        token.substring(0, at) + (char) (0x100 + token.charAt(at)) + token.substring(at + 1);
    String latin1 =
        token.substring(0, at) + (char) (0x80 + token.charAt(at)) + token.substring(at + 1);

    assertRefused(() -> validator.validate(wide), Reason.MALFORMED);
    assertRefused(() -> validator.validate(latin1), Reason.MALFORMED);
  }

  @Test
  void validate_rememberedTokenStillPassesTheListener() {
    List<Object> events = new ArrayList<>();
    JwtValidator validator =
        cached(16)
            .listener(
                new ValidationEvents() {
                  @Override
                  public void accepted(Duration took) {
                    events.add("accepted");
                  }

                  @Override
                  public void refused(Reason reason, Duration took) {
                    events.add(reason);
                  }
                })
            .build();
    String token = issuer.validToken();

    validator.validate(token);
    validator.validate(token);

    assertThat(events).containsExactly("accepted", "accepted");
  }

  @Test
  void validate_manyThreadsSameTokens_allAccepted() throws Exception {
    JwtValidator validator = cached(4).build();
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      tokens.add(issuer.token().claim("n", i).sign());
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Long>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(
            pool.submit(
                () -> {
                  long sum = 0;
                  for (int r = 0; r < 10; r++) {
                    for (int i = 0; i < tokens.size(); i++) {
                      sum += validator.validate(tokens.get(i)).claim("n", Long.class).orElseThrow();
                    }
                  }
                  return sum;
                }));
      }
      for (Future<Long> f : results) {
        assertThat(f.get()).isEqualTo(10L * (0 + 1 + 2 + 3 + 4 + 5));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(cacheOf(validator).size()).isLessThanOrEqualTo(4 + 4);
  }

  @ParameterizedTest
  @EnumSource(
      value = Algorithm.class,
      names = {"RS256", "PS384", "ES512", "EdDSA", "HS256"})
  void validate_rememberedTokenOfEachKeyKind_servedAgain(Algorithm algorithm) {
    TestIssuer each =
        TestIssuer.builder().algorithm(algorithm).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    JwtValidator validator = each.validatorBuilder().verifiedTokenCache(4).build();
    String token = each.validToken();

    assertThat(validator.validate(token)).isSameAs(validator.validate(token));
    assertRefused(() -> validator.validate(each.alteredSignatureToken()), Reason.BAD_SIGNATURE);
  }

  @Test
  void digest_equalOnlyWhenEveryByteIsEqual() {
    byte[] base = new byte[32];
    for (int i = 0; i < 32; i++) {
      base[i] = (byte) i;
    }
    VerifiedTokenCache.Digest d = new VerifiedTokenCache.Digest(base);
    assertThat(d).isEqualTo(new VerifiedTokenCache.Digest(base.clone()));
    assertThat(d.hashCode()).isEqualTo(new VerifiedTokenCache.Digest(base.clone()).hashCode());
    assertThat(d).isNotEqualTo("not a digest");
    for (int i = 0; i < 32; i++) {
      byte[] other = base.clone();
      other[i] ^= 1;
      assertThat(new VerifiedTokenCache.Digest(other)).as("byte %d", i).isNotEqualTo(d);
    }
  }

  @Test
  void builder_cacheSizeOutOfRange_refused() {
    assertThatThrownBy(() -> JwtValidator.builder().verifiedTokenCache(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JwtValidator.builder().verifiedTokenCache(1_000_001))
        .isInstanceOf(IllegalArgumentException.class);
    JwtValidator.builder().verifiedTokenCache(1);
    JwtValidator.builder().verifiedTokenCache(1_000_000);
    assertThatThrownBy(() -> JwtValidator.builder().verifiedTokenCache(5).verifiedTokenCache(5))
        .isInstanceOf(IllegalStateException.class);
  }

  private static VerifiedTokenCache cacheOf(JwtValidator validator) {
    return validator.verifiedTokenCacheForTests();
  }
}
