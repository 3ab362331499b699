package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.keys.KeyResolver;
import dev.tollgate.testing.TestIssuer;
import dev.tollgate.testing.TokenBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class JwtValidatorTest {
  static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private final TestIssuer issuer =
      TestIssuer.builder().algorithm(Algorithm.RS256).clock(CLOCK).build();
  private final JwtValidator validator = issuer.validator();

  static void assertRefused(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            JwtValidationException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  private void assertRefused(String token, Reason reason) {
    assertRefused(() -> validator.validate(token), reason);
  }

  /** A validator builder for an issuer's policy, with the keys left to the test. */
  private static JwtValidator.Builder base(TestIssuer i) {
    return JwtValidator.builder()
        .algorithms(i.algorithm())
        .issuer(i.issuer())
        .audience(i.audience())
        .clock(CLOCK);
  }

  private static String b64(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  // ---- one case per algorithm ----

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void validate_validTokenOfEachAlgorithm_accepted(Algorithm alg) {
    TestIssuer i = TestIssuer.builder().algorithm(alg).clock(CLOCK).build();
    VerifiedJwt jwt = i.validator().validate(i.validToken());
    assertThat(jwt.algorithm()).isEqualTo(alg);
    assertThat(jwt.keyId()).contains(i.keyId());
    assertThat(jwt.issuer()).isEqualTo(i.issuer());
  }

  // ---- size and structure ----

  @Test
  void validate_tokenLongerThanMaximum_refusedWithTooLarge() {
    JwtValidator small = issuer.validatorBuilder().maxTokenLength(1024).build();
    String token = issuer.token().claim("pad", "x".repeat(2000)).sign();
    assertRefused(() -> small.validate(token), Reason.TOO_LARGE);
    assertRefused(() -> small.validate("a".repeat(1025)), Reason.TOO_LARGE);
    assertRefused(() -> small.validate("a".repeat(1024)), Reason.MALFORMED);
  }

  @Test
  void validate_defaultMaximumIs16KiB() {
    assertRefused("a".repeat(16 * 1024 + 1), Reason.TOO_LARGE);
    assertRefused("a".repeat(16 * 1024), Reason.MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ".",
        "..",
        "...",
        "abc",
        "abc.def",
        "abc.def.ghi.jkl",
        ".def.ghi",
        "abc..ghi",
        "abc.def.",
        "a b.c.d",
        "eyJ=.e30.c2ln",
        "eyJhbGciOiJSUzI1NiJ9.e30.c2ln!",
        "é.e30.c2ln",
        "\u0100bc.def.ghi",
        "a.b.c.d.e"
      })
  void validate_notThreeCanonicalSegments_refusedWithMalformed(String token) {
    assertRefused(token, Reason.MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\uD83D\uDE00\uD83D\uDE00.",
        "Zm9v.AAAA\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00",
        "Zm9v.c2ln!",
        "Zm9v.c2",
        "Zm9.c2ln",
        "Zm9v.c2l",
        "Zm9v.\u0101AAA",
        "\u0165yJ.c2ln",
        "Zm9v=.c2ln"
      })
  void validate_acceptedHeaderThenNonCanonicalPayloadOrSignature_refusedWithMalformed(
      String payloadAndSignature) {
    String header = issuer.validToken().split("\\.")[0];
    assertRefused(header + "." + payloadAndSignature, Reason.MALFORMED);
  }

  @Test
  void validate_refusedHeaderRepeated_sameReasonEveryTime() {
    // Refused header segments are remembered with their reason: the second and later refusals
    // come from that memory and must match the first.
    String notAllowed = issuer.token().header("alg", "HS256").sign();
    String badType = issuer.token().header("typ", "dpop+jwt").sign();
    String critical = issuer.token().header("crit", List.of("exp")).sign();
    String notJson = b64("{\"alg\":\"RS256\"") + "." + b64("{}") + ".c2ln";
    for (int round = 0; round < 3; round++) {
      assertRefused(notAllowed, Reason.ALGORITHM_NOT_ALLOWED);
      assertRefused(badType, Reason.TYPE_MISMATCH);
      assertRefused(critical, Reason.UNSUPPORTED_CRITICAL_HEADER);
      assertRefused(notJson, Reason.MALFORMED);
    }
    assertThat(validator.validate(issuer.validToken()).issuer()).isEqualTo(issuer.issuer());
  }

  @Test
  void validate_refusedHeaderIsAPrefixOfAnAcceptedOne_acceptedTokenStillAccepted() {
    // The remembered refusal must match the whole header segment, not a prefix of it.
    String valid = issuer.validToken();
    String header = valid.substring(0, valid.indexOf('.'));
    String truncated = header.substring(0, (header.length() - 4) & ~3);
    assertRefused(truncated + valid.substring(header.length()), Reason.MALFORMED);
    assertThat(validator.validate(valid).issuer()).isEqualTo(issuer.issuer());
    assertRefused(truncated + valid.substring(header.length()), Reason.MALFORMED);
  }

  @Test
  void validate_headersLongerThanTheRememberedMaximum_judgedEveryTime() {
    // Segments above the maximum are not remembered; each presentation is parsed again and gets
    // the same answer, accepted or refused.
    String pad = "x".repeat(JwtValidator.REMEMBERED_HEADER_MAX);
    String longValid = issuer.token().header("pad", pad).sign();
    String longRefused = issuer.token().header("pad", pad).header("typ", "dpop+jwt").sign();
    assertThat(longValid.indexOf('.')).isGreaterThan(JwtValidator.REMEMBERED_HEADER_MAX);
    for (int round = 0; round < 3; round++) {
      assertThat(validator.validate(longValid).issuer()).isEqualTo(issuer.issuer());
      assertRefused(longRefused, Reason.TYPE_MISMATCH);
    }
  }

  @Test
  void validate_manyDistinctRefusedHeaders_acceptedTokensUnaffected() {
    String valid = issuer.validToken();
    for (int i = 0; i < 20; i++) {
      assertRefused(issuer.token().header("typ", "x" + i).sign(), Reason.TYPE_MISMATCH);
      assertThat(validator.validate(valid).issuer()).isEqualTo(issuer.issuer());
    }
  }

  // ---- the listener's failures: logged once per validator, for either event ----

  private static long listenerWarnings() {
    return dev.tollgate.leaks.CapturedLogs.lines().stream()
        .filter(l -> l.contains("A ValidationEvents listener threw"))
        .count();
  }

  @Test
  void validate_listenerThrowsWhenAccepted_failureLogged() {
    ValidationEvents failsOnAccepted =
        new ValidationEvents() {
          @Override
          public void accepted(Duration took) {
            throw new IllegalStateException("accepted");
          }
        };
    JwtValidator v = issuer.validatorBuilder().listener(failsOnAccepted).build();
    long before = listenerWarnings();
    assertThat(v.validate(issuer.validToken()).issuer()).isEqualTo(issuer.issuer());
    assertThat(listenerWarnings() - before).isEqualTo(1);
  }

  @Test
  void validate_listenerThrowsWhenRefused_failureLoggedReasonKept() {
    ValidationEvents failsOnRefused =
        new ValidationEvents() {
          @Override
          public void refused(Reason reason, Duration took) {
            throw new IllegalStateException("refused");
          }
        };
    JwtValidator v = issuer.validatorBuilder().listener(failsOnRefused).build();
    long before = listenerWarnings();
    assertRefused(() -> v.validate(issuer.expiredToken()), Reason.EXPIRED);
    assertThat(listenerWarnings() - before).isEqualTo(1);
  }

  @Test
  void validate_withoutListener_nothingLogged() {
    long before = listenerWarnings();
    assertThat(validator.validate(issuer.validToken()).issuer()).isEqualTo(issuer.issuer());
    assertRefused(issuer.expiredToken(), Reason.EXPIRED);
    assertThat(listenerWarnings() - before).isZero();
  }

  @Test
  void requireClaims_emptyName_refusedAtConfiguration() {
    assertThatThrownBy(() -> JwtValidator.builder().requireClaims("sub", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void validate_keyResolverValidatesATokenOnTheSameThread_bothOutcomesExact() {
    // A resolver that validates a token itself (say, a signed key set) runs in the middle of the
    // outer validation, on the same thread: the two must not share per-thread buffers.
    String inner = issuer.token().claim("inner", true).sign();
    String innerForged = issuer.alteredSignatureToken();
    KeyResolver keys = issuer.keys();
    List<Object> innerOutcomes = new ArrayList<>();
    JwtValidator[] outer = new JwtValidator[1];
    AtomicInteger calls = new AtomicInteger();
    KeyResolver validating =
        header -> {
          if (calls.getAndIncrement() == 0) {
            innerOutcomes.add(outer[0].validate(inner).claim("inner", Boolean.class));
            try {
              outer[0].validate(innerForged);
            } catch (JwtValidationException e) {
              innerOutcomes.add(e.reason());
            }
          }
          return keys.resolve(header);
        };
    outer[0] = base(issuer).keys(validating).build();

    VerifiedJwt jwt = outer[0].validate(issuer.token().claim("outer", 1).sign());

    assertThat(jwt.claim("outer", Long.class)).contains(1L);
    assertThat(innerOutcomes).containsExactly(java.util.Optional.of(true), Reason.BAD_SIGNATURE);
  }

  @Test
  void validate_tokensLargerThanTheRetainedBuffers_thenSmallOnes_allVerify() {
    JwtValidator large = issuer.validatorBuilder().maxTokenLength(200_000).build();
    String big = issuer.token().claim("blob", "x".repeat(100_000)).sign();
    String bigForged = big.substring(0, big.length() - 4) + "AAAA";

    assertThat(large.validate(big).claim("blob", String.class))
        .hasValueSatisfying(v -> assertThat(v).hasSize(100_000));
    assertRefused(() -> large.validate(bigForged), Reason.BAD_SIGNATURE);
    assertThat(large.validate(issuer.validToken()).issuer()).isEqualTo(issuer.issuer());
    assertRefused(() -> large.validate(issuer.alteredSignatureToken()), Reason.BAD_SIGNATURE);
  }

  @Test
  void validate_headerSegmentExtendingARememberedOne_readOnItsOwn() {
    // A header of 3n bytes encodes to a segment that prefixes the encoding of any longer header
    // starting with the same bytes: the remembered header must match whole, not as a prefix.
    String json = "{\"alg\":\"RS256\",\"kid\":\"" + issuer.keyId() + "\"}";
    while (json.getBytes(StandardCharsets.UTF_8).length % 3 != 0) {
      json = json.replace("{", "{ ");
    }
    String remembered = issuer.token().rawHeader(json).sign();
    String extended = issuer.token().rawHeader(json + "}}}").sign();
    assertThat(extended).startsWith(remembered.substring(0, remembered.indexOf('.')));

    assertThat(validator.validate(remembered).issuer()).isEqualTo(issuer.issuer());
    assertRefused(extended, Reason.MALFORMED);
  }

  @Test
  void validate_fractionalDatesAtTheirLowerBound_accepted() {
    String token =
        issuer
            .token()
            .payload(
                "{\"iss\":\""
                    + issuer.issuer()
                    + "\",\"aud\":\""
                    + issuer.audience()
                    + "\",\"exp\":"
                    + (NOW.getEpochSecond() + 60)
                    + ".0,\"nbf\":0.0,\"iat\":0.0}")
            .sign();

    assertThat(validator.validate(token).notBefore()).contains(Instant.EPOCH);
  }

  @Test
  void validate_fractionalDateAtItsUpperBound_readAsADate() {
    String token =
        issuer
            .token()
            .payload(
                "{\"iss\":\""
                    + issuer.issuer()
                    + "\",\"aud\":\""
                    + issuer.audience()
                    + "\",\"exp\":"
                    + (NOW.getEpochSecond() + 60)
                    + ",\"nbf\":253402300799.0}")
            .sign();

    assertRefused(token, Reason.NOT_YET_VALID);
  }

  @Test
  void validate_headerRefusedAndPayloadNotBase64_headerReasonWins() {
    // The header is checked before the payload and signature are decoded: a refused header is
    // cheap to refuse whatever follows it.
    assertRefused(b64("{\"alg\":\"HS256\"}") + ".\uD83D\uDE00.!", Reason.ALGORITHM_NOT_ALLOWED);
  }

  @Test
  void validate_segmentsOfValidTokenReordered_refused() {
    String[] p = issuer.validToken().split("\\.");
    assertRefused(p[1] + "." + p[0] + "." + p[2], Reason.MALFORMED);
    assertRefused(p[0] + "." + p[1] + "." + p[2] + "." + p[2], Reason.MALFORMED);
    assertRefused(p[0] + "." + p[1], Reason.MALFORMED);
  }

  // ---- header ----

  @Test
  void validate_headerNotAJsonObject_refusedWithMalformed() {
    assertRefused(issuer.token().rawHeader("[\"RS256\"]").sign(), Reason.MALFORMED);
    assertRefused(issuer.token().rawHeader("{\"alg\":\"RS256\"").sign(), Reason.MALFORMED);
    assertRefused(b64("not json") + ".e30.c2ln", Reason.MALFORMED);
  }

  @Test
  void validate_duplicateHeaderMember_refusedWithMalformed() {
    String header = "{\"alg\":\"RS256\",\"kid\":\"" + issuer.keyId() + "\",\"alg\":\"RS256\"}";
    assertRefused(issuer.token().rawHeader(header).sign(), Reason.MALFORMED);
  }

  @Test
  void validate_algMissingOrNotAString_refusedWithMalformed() {
    assertRefused(issuer.token().withoutHeader("alg").sign(), Reason.MALFORMED);
    assertRefused(issuer.token().header("alg", 256).sign(), Reason.MALFORMED);
  }

  @Test
  void validate_kidOrTypNotAString_refusedWithMalformed() {
    assertRefused(issuer.token().header("kid", 1).sign(), Reason.MALFORMED);
    assertRefused(issuer.token().header("typ", List.of("JWT")).sign(), Reason.MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "None", "NONE", "rs256", "RS256 ", "HS256", "ES256", "RS1"})
  void validate_algNotInAllowList_refusedWithAlgorithmNotAllowed(String alg) {
    assertRefused(issuer.token().header("alg", alg).sign(), Reason.ALGORITHM_NOT_ALLOWED);
  }

  @Test
  void attack_algNone_refusedWithAlgorithmNotAllowed() {
    assertRefused(issuer.unsignedToken(), Reason.ALGORITHM_NOT_ALLOWED);
  }

  @Test
  void validate_typ_defaultAcceptsJwtAndAccessTokenTypes() {
    assertThat(validator.validate(issuer.token().withoutHeader("typ").sign()).type()).isEmpty();
    for (String typ : new String[] {"JWT", "jwt", "at+jwt", "application/at+jwt", "AT+JWT"}) {
      assertThat(validator.validate(issuer.token().type(typ).sign()).type()).contains(typ);
    }
    for (String typ : new String[] {"dpop+jwt", "logout+jwt", "secevent+jwt", "JOSE", "text/jwt"}) {
      assertRefused(issuer.token().type(typ).sign(), Reason.TYPE_MISMATCH);
    }
  }

  @Test
  void validate_typ_configuredTypeRequired() {
    JwtValidator at = issuer.validatorBuilder().type("at+jwt").build();
    assertThat(at.validate(issuer.token().type("application/AT+JWT").sign()).type()).isPresent();
    assertRefused(() -> at.validate(issuer.token().type("JWT").sign()), Reason.TYPE_MISMATCH);
    assertRefused(
        () -> at.validate(issuer.token().withoutHeader("typ").sign()), Reason.TYPE_MISMATCH);
    JwtValidator custom = issuer.validatorBuilder().type("application/example+jwt").build();
    assertThat(custom.validate(issuer.token().type("example+jwt").sign()).type()).isPresent();
  }

  @Test
  void validate_crit_refusedWithUnsupportedCriticalHeader() {
    assertRefused(issuer.critToken(), Reason.UNSUPPORTED_CRITICAL_HEADER);
    assertRefused(
        issuer.token().header("crit", List.of()).sign(), Reason.UNSUPPORTED_CRITICAL_HEADER);
  }

  @Test
  void validate_headerMembersInAnyOrder_sameOutcome() {
    // The first member is member 0 of the index: crit, typ and kid there are read like elsewhere.
    String alg = "\"alg\":\"" + issuer.algorithm().jwaName() + "\"";
    String kid = "\"kid\":\"" + issuer.keyId() + "\"";
    assertRefused(
        issuer.token().rawHeader("{\"crit\":[\"exp\"]," + alg + "," + kid + "}").sign(),
        Reason.UNSUPPORTED_CRITICAL_HEADER);
    assertRefused(
        issuer.token().rawHeader("{\"b64\":false," + alg + "," + kid + "}").sign(),
        Reason.UNSUPPORTED_CRITICAL_HEADER);
    assertRefused(
        issuer.token().rawHeader("{\"typ\":\"dpop+jwt\"," + alg + "," + kid + "}").sign(),
        Reason.TYPE_MISMATCH);
    assertRefused(issuer.token().rawHeader("{\"kid\":7," + alg + "}").sign(), Reason.MALFORMED);
    VerifiedJwt jwt =
        validator.validate(
            issuer.token().rawHeader("{" + kid + ",\"typ\":\"JWT\"," + alg + "}").sign());
    assertThat(jwt.keyId()).contains(issuer.keyId());
    assertThat(jwt.type()).contains("JWT");
  }

  @Test
  void validate_b64False_refusedWithUnsupportedCriticalHeader() {
    assertRefused(issuer.unencodedPayloadToken(), Reason.UNSUPPORTED_CRITICAL_HEADER);
    assertRefused(issuer.token().header("b64", false).sign(), Reason.UNSUPPORTED_CRITICAL_HEADER);
    assertThat(validator.validate(issuer.token().header("b64", true).sign())).isNotNull();
  }

  @Test
  void validate_rememberedHeader_neverStandsInForAnotherOfTheSameLength() {
    assertThat(validator.validate(issuer.validToken())).isNotNull();
    assertThat(validator.validate(issuer.validToken())).isNotNull();
    // Same length as the remembered header, one algorithm letter apart.
    assertRefused(issuer.token().header("alg", "RS384").sign(), Reason.ALGORITHM_NOT_ALLOWED);
    assertRefused(issuer.token().type("XWT").sign(), Reason.TYPE_MISMATCH);
    for (int i = 0; i < 6; i++) {
      assertThat(validator.validate(issuer.token().keyId(issuer.keyId()).type("jwt").sign()))
          .isNotNull();
      assertRefused(issuer.token().keyId("nope" + i).sign(), Reason.KEY_NOT_FOUND);
    }
  }

  // ---- keys ----

  @Test
  void validate_unknownKid_refusedWithKeyNotFound() {
    assertRefused(issuer.token().keyId("someone-else").sign(), Reason.KEY_NOT_FOUND);
  }

  @Test
  void validate_noKid_triesKeysThatFit() {
    assertThat(validator.validate(issuer.token().withoutHeader("kid").sign())).isNotNull();
  }

  @Test
  void validate_noKeyOfTheAlgorithmsKind_refusedWithKeyNotFound() {
    TestIssuer ec = TestIssuer.builder().algorithm(Algorithm.ES256).clock(CLOCK).build();
    JwtValidator rsaKeysEsAllowed =
        JwtValidator.builder()
            .algorithms(Algorithm.RS256, Algorithm.ES256)
            .issuer(ec.issuer())
            .audience(ec.audience())
            .keys(issuer.keys())
            .clock(CLOCK)
            .build();
    assertRefused(
        () -> rsaKeysEsAllowed.validate(ec.token().withoutHeader("kid").sign()),
        Reason.KEY_NOT_FOUND);
  }

  @Test
  void validate_resolverReportsOutage_refusedWithKeysUnavailable() {
    JwtValidator v =
        base(issuer)
            .keys(
                h -> {
                  throw new JwtValidationException(Reason.KEYS_UNAVAILABLE);
                })
            .build();
    String token = issuer.validToken();
    assertRefused(() -> v.validate(token), Reason.KEYS_UNAVAILABLE);
    assertThatThrownBy(() -> v.validate(token))
        .isInstanceOfSatisfying(
            JwtValidationException.class,
            e ->
                assertThat(e.tokenFingerprint())
                    .isEqualTo(JwtValidationException.fingerprintOf(token)));
  }

  @Test
  void validate_resolverThrowsUnexpectedly_refusedWithKeysUnavailable() {
    IllegalStateException bug = new IllegalStateException("resolver bug");
    JwtValidator v =
        base(issuer)
            .keys(
                h -> {
                  throw bug;
                })
            .build();
    assertRefused(() -> v.validate(issuer.validToken()), Reason.KEYS_UNAVAILABLE);
    // The resolver's failure stays the refusal's cause, for the operator's logs.
    assertThatThrownBy(() -> v.validate(issuer.validToken()))
        .isInstanceOfSatisfying(
            JwtValidationException.class, e -> assertThat(e.getCause()).isSameAs(bug));
  }

  @Test
  void validate_resolverRefusesWithACause_reasonAndCauseKept() {
    java.io.IOException down = new java.io.IOException("key store down");
    JwtValidator v =
        base(issuer)
            .keys(
                h -> {
                  throw new JwtValidationException(Reason.KEYS_UNAVAILABLE, down);
                })
            .build();
    String token = issuer.validToken();
    assertThatThrownBy(() -> v.validate(token))
        .isInstanceOfSatisfying(
            JwtValidationException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.KEYS_UNAVAILABLE);
              assertThat(e.getCause()).isSameAs(down);
              assertThat(e.tokenFingerprint())
                  .isEqualTo(JwtValidationException.fingerprintOf(token));
            });
  }

  @Test
  void validate_resolverReturnsNothing_refusedWithKeyNotFound() {
    JwtValidator v = base(issuer).keys(h -> List.of()).build();
    assertRefused(() -> v.validate(issuer.validToken()), Reason.KEY_NOT_FOUND);
  }

  @Test
  void validate_rsaKeyBelowRaisedFloorFromDynamicResolver_refusedWithWeakKey() {
    List<JwtKey> keys = List.of(issuer.jwtKey());
    JwtValidator v = base(issuer).keys(h -> keys).minimumRsaKeyBits(3072).build();
    assertRefused(() -> v.validate(issuer.validToken()), Reason.WEAK_KEY);
  }

  @Test
  void validate_candidatesBeyondTheCap_notTried() {
    List<JwtKey> keys = new ArrayList<>();
    for (int i = 1; i <= KeyResolver.MAX_CANDIDATES; i++) {
      keys.add(JwtKey.of(newP256Key(), "other" + i));
    }
    TestIssuer es = TestIssuer.builder().algorithm(Algorithm.ES256).clock(CLOCK).build();
    AtomicInteger calls = new AtomicInteger();
    List<JwtKey> rightKeyLast = new ArrayList<>(keys);
    rightKeyLast.add(es.jwtKey());
    JwtValidator v =
        base(es)
            .keys(
                h -> {
                  calls.incrementAndGet();
                  return rightKeyLast;
                })
            .build();
    assertRefused(() -> v.validate(es.validToken()), Reason.BAD_SIGNATURE);
    List<JwtKey> rightKeyFirst = new ArrayList<>();
    rightKeyFirst.add(es.jwtKey());
    rightKeyFirst.addAll(keys);
    JwtValidator w = base(es).keys(h -> rightKeyFirst).build();
    assertThat(w.validate(es.validToken())).isNotNull();
    assertThat(calls.get()).isEqualTo(1);
  }

  private static java.security.PublicKey newP256Key() {
    try {
      java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
      g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair().getPublic();
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void validate_resolverSeesHeaderValues() {
    List<JwsHeader> seen = new ArrayList<>();
    List<JwtKey> keys = List.of(issuer.jwtKey());
    JwtValidator v =
        base(issuer)
            .keys(
                h -> {
                  seen.add(h);
                  return keys;
                })
            .build();
    v.validate(issuer.token().type("at+jwt").sign());
    assertThat(seen)
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.algorithm()).isEqualTo(Algorithm.RS256);
              assertThat(h.keyId()).contains(issuer.keyId());
              assertThat(h.type()).contains("at+jwt");
              assertThat(h.toString()).contains("RS256", issuer.keyId());
            });
  }

  // ---- signature ----

  @Test
  void attack_alteredSignature_refusedWithBadSignature() {
    assertRefused(issuer.alteredSignatureToken(), Reason.BAD_SIGNATURE);
  }

  @Test
  void attack_strippedSignature_refusedWithBadSignature() {
    String t = issuer.validToken();
    assertRefused(t.substring(0, t.lastIndexOf('.') + 1), Reason.BAD_SIGNATURE);
  }

  @Test
  void attack_alteredPayload_refusedWithBadSignature() {
    String[] p = issuer.validToken().split("\\.");
    String other = issuer.token().subject("admin").sign().split("\\.")[1];
    assertRefused(p[0] + "." + other + "." + p[2], Reason.BAD_SIGNATURE);
  }

  @Test
  void attack_signedByAnotherKey_refusedWithBadSignature() {
    assertRefused(issuer.signedByAnotherKeyToken(), Reason.BAD_SIGNATURE);
  }

  @Test
  void attack_rsaPublicKeyAsHmacSecret_refused() {
    assertRefused(issuer.hmacConfusionToken(), Reason.ALGORITHM_NOT_ALLOWED);
    assertRefused(issuer.hmacConfusionTokenWithDerKey(), Reason.ALGORITHM_NOT_ALLOWED);
    // Even when HS256 is allowed, an RSA key is never used as an HMAC secret.
    JwtValidator lax =
        JwtValidator.builder()
            .algorithms(Algorithm.RS256, Algorithm.HS256)
            .issuer(issuer.issuer())
            .audience(issuer.audience())
            .keys(issuer.keys())
            .clock(CLOCK)
            .build();
    assertRefused(() -> lax.validate(issuer.hmacConfusionToken()), Reason.KEY_NOT_FOUND);
    assertRefused(() -> lax.validate(issuer.hmacConfusionTokenWithDerKey()), Reason.KEY_NOT_FOUND);
  }

  @Test
  void attack_keyInjectionThroughHeader_refused() {
    assertRefused(issuer.embeddedJwkToken(), Reason.KEY_NOT_FOUND);
    assertRefused(issuer.jkuToken(), Reason.KEY_NOT_FOUND);
    assertRefused(issuer.x5uToken(), Reason.KEY_NOT_FOUND);
    assertRefused(issuer.x5cToken(), Reason.KEY_NOT_FOUND);
  }

  @Test
  void attack_keyInjectionWithTrustedKid_refusedWithBadSignature() {
    // The attacker's embedded key and URL are ignored even when the kid names a trusted key.
    assertRefused(
        issuer.token().header("jku", "https://attacker.test/jwks").signWith(otherRsaKey()),
        Reason.BAD_SIGNATURE);
  }

  private static java.security.PrivateKey otherRsaKey() {
    try {
      java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair().getPrivate();
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Algorithm.class,
      names = {"ES256", "ES384", "ES512"})
  void attack_ecdsaZeroSignature_refusedWithBadSignature(Algorithm alg) {
    TestIssuer ec = TestIssuer.builder().algorithm(alg).clock(CLOCK).build();
    assertRefused(
        () -> ec.validator().validate(ec.ecdsaZeroSignatureToken()), Reason.BAD_SIGNATURE);
  }

  @Test
  void attack_weakHmacSecretCannotBeConfigured() {
    assertThatThrownBy(() -> KeyResolver.secret(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void validate_hs384TokenWithHs256SizedSecret_refusedWithKeyNotFound() {
    TestIssuer hs = TestIssuer.builder().algorithm(Algorithm.HS256).clock(CLOCK).build();
    JwtValidator v =
        JwtValidator.builder()
            .algorithms(Algorithm.HS256, Algorithm.HS384)
            .issuer(hs.issuer())
            .audience(hs.audience())
            .keys(hs.keys())
            .clock(CLOCK)
            .build();
    String token = hs.token().header("alg", "HS384").signWith(padTo(hs.secret(), 48));
    assertRefused(() -> v.validate(token), Reason.KEY_NOT_FOUND);
  }

  private static byte[] padTo(byte[] secret, int length) {
    return java.util.Arrays.copyOf(secret, length);
  }

  // ---- claims ----

  @Test
  void validate_claimsNotAJsonObject_refusedWithMalformed() {
    assertRefused(issuer.token().payload("[1,2]").sign(), Reason.MALFORMED);
    assertRefused(issuer.token().payload("{\"iss\":").sign(), Reason.MALFORMED);
    assertRefused(issuer.token().payload("").sign(), Reason.MALFORMED);
  }

  @Test
  void validate_duplicateClaim_refusedWithMalformed() {
    String payload =
        "{\"iss\":\""
            + issuer.issuer()
            + "\",\"aud\":\""
            + issuer.audience()
            + "\",\"exp\":"
            + (NOW.getEpochSecond() + 60)
            + ",\"sub\":\"a\",\"sub\":\"admin\"}";
    assertRefused(issuer.token().payload(payload).sign(), Reason.MALFORMED);
  }

  @Test
  void validate_deeplyNestedClaims_refusedWithMalformed() {
    assertRefused(issuer.deeplyNestedToken(100), Reason.MALFORMED);
    assertThat(validator.validate(issuer.deeplyNestedToken(20))).isNotNull();
  }

  @Test
  void validate_issuer() {
    assertRefused(issuer.tokenWithout("iss"), Reason.MISSING_CLAIM);
    assertRefused(issuer.token().claim("iss", 7).sign(), Reason.CLAIM_INVALID);
    assertRefused(issuer.wrongIssuerToken(), Reason.ISSUER_MISMATCH);
    String noSlash = issuer.issuer().substring(0, issuer.issuer().length() - 1);
    assertRefused(issuer.token().issuer(noSlash).sign(), Reason.ISSUER_MISMATCH);
    assertRefused(
        issuer.token().issuer(issuer.issuer().toUpperCase(java.util.Locale.ROOT)).sign(),
        Reason.ISSUER_MISMATCH);
    JwtValidator two =
        JwtValidator.builder()
            .algorithms(Algorithm.RS256)
            .issuer("https://a.test/", issuer.issuer())
            .audience(issuer.audience())
            .keys(issuer.keys())
            .clock(CLOCK)
            .build();
    assertThat(two.validate(issuer.validToken()).issuer()).isEqualTo(issuer.issuer());
  }

  @Test
  void validate_audience() {
    assertRefused(issuer.tokenWithout("aud"), Reason.MISSING_CLAIM);
    assertRefused(issuer.wrongAudienceToken(), Reason.AUDIENCE_MISMATCH);
    assertRefused(issuer.token().claim("aud", List.of()).sign(), Reason.AUDIENCE_MISMATCH);
    assertRefused(issuer.token().claim("aud", 5).sign(), Reason.CLAIM_INVALID);
    assertRefused(
        issuer.token().claim("aud", List.of(issuer.audience(), 5)).sign(), Reason.CLAIM_INVALID);
    VerifiedJwt jwt =
        validator.validate(issuer.token().audience("other", issuer.audience()).sign());
    assertThat(jwt.audience()).containsExactly("other", issuer.audience());
  }

  /** A validator of this test's issuer that accepts these issuers and audiences. */
  private JwtValidator accepting(List<String> issuers, List<String> audiences) {
    return JwtValidator.builder()
        .algorithms(Algorithm.RS256)
        .issuer(issuers.get(0), issuers.subList(1, issuers.size()).toArray(new String[0]))
        .audience(audiences.get(0), audiences.subList(1, audiences.size()).toArray(new String[0]))
        .keys(issuer.keys())
        .clock(CLOCK)
        .build();
  }

  @Test
  void validate_manyIssuersAndAudiences_comparedAsStrings() {
    // Beyond four, issuers and audiences are looked up in a set rather than compared in place.
    List<String> issuers = List.of("https://1/", "https://2/", "https://3/", "https://4/");
    List<String> audiences = List.of("a1", "a2", "a3", "a4", "a5");
    JwtValidator many =
        accepting(
            java.util.stream.Stream.concat(
                    issuers.stream(), java.util.stream.Stream.of(issuer.issuer()))
                .toList(),
            audiences);
    assertThat(many.validate(issuer.token().audience("a5").sign()).issuer())
        .isEqualTo(issuer.issuer());
    assertThat(many.validate(issuer.token().audience("a1").issuer("https://3/").sign()).issuer())
        .isEqualTo("https://3/");
    assertRefused(
        () -> many.validate(issuer.token().audience("a5").issuer("https://5/").sign()),
        Reason.ISSUER_MISMATCH);
    assertRefused(
        () -> many.validate(issuer.token().audience("a6").sign()), Reason.AUDIENCE_MISMATCH);
    assertRefused(
        () -> many.validate(issuer.token().audience("a6", "a7").sign()), Reason.AUDIENCE_MISMATCH);
  }

  @Test
  void validate_configuredLoneSurrogate_neverMatchedByAReplacementCharacter() {
    // "\uD800" has no UTF-8 encoding; String.getBytes would write '?' in its place.
    JwtValidator odd = accepting(List.of("https://idp/\uD800"), List.of("api-\uD800"));
    assertRefused(
        () -> odd.validate(issuer.token().issuer("https://idp/?").audience("api-?").sign()),
        Reason.ISSUER_MISMATCH);
    JwtValidator oddAudience = accepting(List.of(issuer.issuer()), List.of("api-\uD800"));
    assertRefused(
        () -> oddAudience.validate(issuer.token().audience("api-?").sign()),
        Reason.AUDIENCE_MISMATCH);
  }

  @Test
  void validate_escapedIssuerAndAudience_matchTheirText() {
    String payload =
        "{\"iss\":\""
            + issuer.issuer().replace("/", "\\/")
            + "\",\"aud\":\""
            + issuer.audience().replace("-", "\\u002d")
            + "\",\"exp\":"
            + (NOW.getEpochSecond() + 60)
            + "}";
    assertThat(payload).contains("\\/");
    VerifiedJwt jwt = validator.validate(issuer.token().payload(payload).sign());
    assertThat(jwt.issuer()).isEqualTo(issuer.issuer());
    assertThat(jwt.audience()).containsExactly(issuer.audience());
  }

  @Test
  void attack_tokenForAnotherAudience_refusedWithAudienceMismatch() {
    JwtValidator billing =
        JwtValidator.builder()
            .algorithms(Algorithm.RS256)
            .issuer(issuer.issuer())
            .audience("billing-api")
            .keys(issuer.keys())
            .clock(CLOCK)
            .build();
    String catalogToken = issuer.token().audience("catalog-api").sign();
    assertRefused(() -> billing.validate(catalogToken), Reason.AUDIENCE_MISMATCH);
  }

  @Test
  void validate_expiry() {
    JwtValidator strict = issuer.validatorBuilder().clockSkew(Duration.ZERO).build();
    assertRefused(() -> strict.validate(issuer.token().expiresAt(NOW).sign()), Reason.EXPIRED);
    assertThat(strict.validate(issuer.token().expiresAt(NOW.plusSeconds(1)).sign())).isNotNull();
    assertThat(
            strict
                .validate(issuer.token().claim("exp", NOW.getEpochSecond() + 0.5).sign())
                .expiresAt())
        .isEqualTo(NOW.plusMillis(500));
    assertRefused(
        () -> strict.validate(issuer.token().claim("exp", NOW.getEpochSecond() - 0.001).sign()),
        Reason.EXPIRED);
    // Default skew: 60 s.
    assertThat(validator.validate(issuer.token().expiresAt(NOW.minusSeconds(59)).sign()))
        .isNotNull();
    assertRefused(issuer.token().expiresAt(NOW.minusSeconds(60)).sign(), Reason.EXPIRED);
    assertRefused(issuer.expiredToken(), Reason.EXPIRED);
    assertRefused(issuer.tokenWithout("exp"), Reason.MISSING_CLAIM);
    assertRefused(issuer.token().claim("exp", null).sign(), Reason.MISSING_CLAIM);
    assertRefused(issuer.token().claim("exp", "2030-01-01").sign(), Reason.CLAIM_INVALID);
    assertRefused(issuer.token().claim("exp", -1).sign(), Reason.CLAIM_INVALID);
    assertRefused(issuer.token().claim("exp", 253_402_300_800L).sign(), Reason.CLAIM_INVALID);
    assertRefused(issuer.token().claim("exp", 1e300).sign(), Reason.CLAIM_INVALID);
    assertThat(validator.validate(issuer.token().claim("exp", 253_402_300_799L).sign()))
        .isNotNull();
  }

  @Test
  void validate_numericDateZeroIsTheEpoch_notInvalid() {
    assertRefused(issuer.token().claim("exp", 0).sign(), Reason.EXPIRED);
    assertRefused(issuer.token().claim("exp", 0.0).sign(), Reason.EXPIRED);
    assertThat(validator.validate(issuer.token().claim("nbf", 0).claim("iat", 0.0).sign()))
        .isNotNull();
  }

  @Test
  void validate_fractionalDatesRoundTowardsRefusal() {
    JwtValidator strict = issuer.validatorBuilder().clockSkew(Duration.ZERO).build();
    double justAfterNow = NOW.getEpochSecond() + 0.0004;
    assertRefused(
        () -> strict.validate(issuer.token().claim("nbf", justAfterNow).sign()),
        Reason.NOT_YET_VALID);
    assertRefused(
        () -> strict.validate(issuer.token().claim("iat", justAfterNow).sign()),
        Reason.NOT_YET_VALID);
    assertRefused(
        () -> strict.validate(issuer.token().claim("exp", NOW.getEpochSecond() + 0.0009).sign()),
        Reason.EXPIRED);
  }

  @Test
  void validate_withoutConfiguredClock_usesTheSystemClock() {
    TestIssuer live = TestIssuer.create(Algorithm.ES256);
    JwtValidator v =
        JwtValidator.builder()
            .algorithms(Algorithm.ES256)
            .issuer(live.issuer())
            .audience(live.audience())
            .keys(live.keys())
            .build();
    assertThat(v.validate(live.validToken())).isNotNull();
    assertRefused(() -> v.validate(live.expiredToken()), Reason.EXPIRED);
  }

  @Test
  void validate_resolverOffersOnlyKeysOfAnotherKind_refusedWithKeyNotFound() {
    TestIssuer es = TestIssuer.builder().algorithm(Algorithm.ES256).clock(CLOCK).build();
    List<JwtKey> rsaOnly = List.of(issuer.jwtKey());
    JwtValidator v = base(es).keys(h -> rsaOnly).build();
    assertRefused(() -> v.validate(es.validToken()), Reason.KEY_NOT_FOUND);
  }

  @Test
  void validate_clockSkewWidensBothEnds() {
    JwtValidator skewed = issuer.validatorBuilder().clockSkew(Duration.ofMinutes(5)).build();
    assertThat(skewed.validate(issuer.token().expiresAt(NOW.minusSeconds(299)).sign())).isNotNull();
    assertRefused(
        () -> skewed.validate(issuer.token().expiresAt(NOW.minusSeconds(300)).sign()),
        Reason.EXPIRED);
    assertThat(skewed.validate(issuer.token().notBefore(NOW.plusSeconds(300)).sign())).isNotNull();
    assertRefused(
        () -> skewed.validate(issuer.token().notBefore(NOW.plusSeconds(301)).sign()),
        Reason.NOT_YET_VALID);
  }

  @Test
  void validate_notBefore() {
    JwtValidator strict = issuer.validatorBuilder().clockSkew(Duration.ZERO).build();
    assertThat(strict.validate(issuer.token().notBefore(NOW).sign()).notBefore()).contains(NOW);
    assertRefused(
        () -> strict.validate(issuer.token().notBefore(NOW.plusSeconds(1)).sign()),
        Reason.NOT_YET_VALID);
    assertRefused(issuer.notYetValidToken(), Reason.NOT_YET_VALID);
    assertRefused(issuer.token().claim("nbf", "soon").sign(), Reason.CLAIM_INVALID);
  }

  @Test
  void validate_issuedAt() {
    JwtValidator strict = issuer.validatorBuilder().clockSkew(Duration.ZERO).build();
    assertThat(strict.validate(issuer.token().issuedAt(NOW).sign()).issuedAt()).contains(NOW);
    assertRefused(
        () -> strict.validate(issuer.token().issuedAt(NOW.plusSeconds(1)).sign()),
        Reason.NOT_YET_VALID);
    assertRefused(issuer.token().claim("iat", true).sign(), Reason.CLAIM_INVALID);
  }

  @Test
  void validate_maxTokenAge() {
    JwtValidator young =
        issuer
            .validatorBuilder()
            .clockSkew(Duration.ZERO)
            .maxTokenAge(Duration.ofMinutes(10))
            .build();
    assertThat(young.validate(issuer.token().issuedAt(NOW.minusSeconds(599)).sign())).isNotNull();
    assertRefused(
        () -> young.validate(issuer.token().issuedAt(NOW.minusSeconds(600)).sign()),
        Reason.TOO_OLD);
    assertRefused(() -> young.validate(issuer.tokenWithout("iat")), Reason.MISSING_CLAIM);
  }

  @Test
  void validate_registeredStringClaimsOfWrongType_refusedWithClaimInvalid() {
    assertRefused(issuer.token().claim("sub", 42).sign(), Reason.CLAIM_INVALID);
    assertRefused(issuer.token().claim("jti", 42).sign(), Reason.CLAIM_INVALID);
    assertRefused(issuer.token().claim("scope", List.of("a")).sign(), Reason.CLAIM_INVALID);
    assertRefused(issuer.token().claim("scp", List.of("a", 1)).sign(), Reason.CLAIM_INVALID);
    assertRefused(issuer.token().claim("scp", 1).sign(), Reason.CLAIM_INVALID);
  }

  @Test
  void validate_claimsInAnyOrder_sameOutcome() {
    // Each registered claim as the first member (member 0 of the index) of an otherwise valid set.
    String rest =
        "\"iss\":\""
            + issuer.issuer()
            + "\",\"aud\":\""
            + issuer.audience()
            + "\",\"exp\":"
            + (NOW.getEpochSecond() + 60);
    VerifiedJwt scp = validator.validate(raw("{\"scp\":[\"a\",\"b\"]," + rest + "}"));
    assertThat(scp.scopes()).containsExactly("a", "b");
    VerifiedJwt sub = validator.validate(raw("{\"sub\":\"alice\"," + rest + "}"));
    assertThat(sub.subject()).contains("alice");
    VerifiedJwt tenant = validator.validate(raw("{\"tenant\":\"t-1\"," + rest + "}"));
    assertThat(tenant.claim("tenant", String.class)).contains("t-1");
    assertRefused(raw("{\"scp\":[1]," + rest + "}"), Reason.CLAIM_INVALID);
    assertRefused(raw("{\"nbf\":\"soon\"," + rest + "}"), Reason.CLAIM_INVALID);
  }

  private String raw(String claims) {
    return issuer.token().payload(claims).sign();
  }

  @Test
  void validate_requiredClaims() {
    JwtValidator v = issuer.validatorBuilder().requireClaims("tenant", "sub").build();
    assertThat(v.validate(issuer.token().claim("tenant", "t1").sign())).isNotNull();
    assertRefused(() -> v.validate(issuer.validToken()), Reason.MISSING_CLAIM);
    assertRefused(
        () -> v.validate(issuer.token().claim("tenant", null).sign()), Reason.MISSING_CLAIM);
    assertRefused(
        () -> v.validate(issuer.token().claim("tenant", "t").withoutClaim("sub").sign()),
        Reason.MISSING_CLAIM);
  }

  @Test
  void validate_claimChecks() {
    JwtValidator v =
        issuer
            .validatorBuilder()
            .requireClaim("tenant", t -> t.equals("acme"))
            .requireClaim("level", l -> ((Long) l) >= 2)
            .build();
    assertThat(v.validate(issuer.token().claim("tenant", "acme").claim("level", 3).sign()))
        .isNotNull();
    assertRefused(
        () -> v.validate(issuer.token().claim("tenant", "evil").claim("level", 3).sign()),
        Reason.CLAIM_INVALID);
    assertRefused(
        () -> v.validate(issuer.token().claim("tenant", "acme").claim("level", 1).sign()),
        Reason.CLAIM_INVALID);
    // A check that throws (here: ClassCastException) refuses, it does not escape.
    assertRefused(
        () -> v.validate(issuer.token().claim("tenant", "acme").claim("level", "high").sign()),
        Reason.CLAIM_INVALID);
    assertRefused(() -> v.validate(issuer.token().claim("level", 3).sign()), Reason.MISSING_CLAIM);
  }

  // ---- RFC 9068 access tokens ----

  private TokenBuilder accessToken() {
    return issuer.token().type("at+jwt").claim("client_id", "client-1");
  }

  @Test
  void accessTokenProfile_completeAccessToken_accepted() {
    JwtValidator at = issuer.validatorBuilder().accessTokenProfile().build();
    VerifiedJwt jwt = at.validate(accessToken().scope("read", "write").sign());
    assertThat(jwt.claim("client_id", String.class)).contains("client-1");
    assertThat(jwt.scopes()).containsExactly("read", "write");
  }

  @Test
  void accessTokenProfile_eachRequiredClaimMissing_refusedWithMissingClaim() {
    JwtValidator at = issuer.validatorBuilder().accessTokenProfile().build();
    for (String claim : new String[] {"iss", "exp", "aud", "sub", "client_id", "iat", "jti"}) {
      String token = accessToken().withoutClaim(claim).sign();
      assertRefused(() -> at.validate(token), Reason.MISSING_CLAIM);
    }
  }

  @Test
  void attack_idTokenAsAccessToken_refusedWithTypeMismatch() {
    JwtValidator at = issuer.validatorBuilder().accessTokenProfile().build();
    assertRefused(() -> at.validate(issuer.idTokenAsAccessToken()), Reason.TYPE_MISMATCH);
    assertRefused(() -> at.validate(accessToken().type("dpop+jwt").sign()), Reason.TYPE_MISMATCH);
    assertRefused(() -> at.validate(accessToken().type("logout+jwt").sign()), Reason.TYPE_MISMATCH);
    assertRefused(
        () -> at.validate(accessToken().withoutHeader("typ").sign()), Reason.TYPE_MISMATCH);
  }

  // ---- VerifiedJwt ----

  @Test
  void verifiedJwt_accessors() {
    String token =
        issuer
            .token()
            .subject("alice")
            .claim("jti", "id-1")
            .notBefore(NOW.minusSeconds(10))
            .claim("tenant", "acme")
            .claim("level", 3)
            .claim("ratio", 0.5)
            .claim("admin", false)
            .claim("roles", List.of("a", "b"))
            .claim("address", Map.of("city", "Oslo"))
            .claim("since", 1_700_000_000L)
            .scope("read:catalog", "write:catalog")
            .sign();
    VerifiedJwt jwt = validator.validate(token);
    assertThat(jwt.subject()).contains("alice");
    assertThat(jwt.jwtId()).contains("id-1");
    assertThat(jwt.audience()).containsExactly(issuer.audience());
    assertThat(jwt.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
    assertThat(jwt.issuedAt()).contains(NOW);
    assertThat(jwt.notBefore()).contains(NOW.minusSeconds(10));
    assertThat(jwt.scopes()).containsExactly("read:catalog", "write:catalog");
    assertThat(jwt.claim("tenant", String.class)).contains("acme");
    assertThat(jwt.claim("level", Long.class)).contains(3L);
    assertThat(jwt.claim("level", Integer.class)).contains(3);
    assertThat(jwt.claim("level", Double.class)).contains(3.0);
    assertThat(jwt.claim("ratio", Double.class)).contains(0.5);
    assertThat(jwt.claim("admin", Boolean.class)).contains(false);
    assertThat(jwt.claim("roles", List.class)).contains(List.of("a", "b"));
    assertThat(jwt.claim("address", Map.class)).contains(Map.of("city", "Oslo"));
    assertThat(jwt.claim("since", Instant.class)).contains(Instant.ofEpochSecond(1_700_000_000L));
    assertThat(jwt.claim("missing", String.class)).isEmpty();
    assertThat(jwt.claim("tenant", Object.class)).contains("acme");
    assertThatThrownBy(() -> jwt.claim("tenant", Long.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("string");
    assertThatThrownBy(() -> jwt.claim("ratio", Integer.class))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> jwt.claim("tenant", StringBuilder.class))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> jwt.claims().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(jwt.toString()).doesNotContain("alice", "acme");
  }

  @Test
  void verifiedJwt_scopesFromScp() {
    assertThat(validator.validate(issuer.token().claim("scp", List.of("a", "b")).sign()).scopes())
        .containsExactly("a", "b");
    assertThat(validator.validate(issuer.token().claim("scp", "a  b ").sign()).scopes())
        .containsExactly("a", "b");
    assertThat(validator.validate(issuer.validToken()).scopes()).isEmpty();
  }

  // ---- the refusal itself ----

  @Test
  void refusal_carriesFixedMessage_fingerprint_andNoStackTrace() {
    String token = issuer.expiredToken();
    assertThatThrownBy(() -> validator.validate(token))
        .isInstanceOfSatisfying(
            JwtValidationException.class,
            e -> {
              assertThat(e.getMessage()).isEqualTo(Reason.EXPIRED.description());
              assertThat(e.getStackTrace()).isEmpty();
              assertThat(e.getCause()).isNull();
              assertThat(e.tokenFingerprint()).matches("[0-9a-f]{8}");
              assertThat(e.tokenFingerprint())
                  .isEqualTo(JwtValidationException.fingerprintOf(token));
              assertThat(token).doesNotContain(e.tokenFingerprint() + ".");
              assertThat(e.toString()).doesNotContain(token.split("\\.")[2]);
            });
    assertThat(JwtValidationException.fingerprintOf("a"))
        .isNotEqualTo(JwtValidationException.fingerprintOf("b"));
    assertThat(new JwtValidationException(Reason.KEYS_UNAVAILABLE).tokenFingerprint())
        .isEqualTo("-");
  }

  @Test
  void reason_descriptionsAreDistinct() {
    assertThat(java.util.Arrays.stream(Reason.values()).map(Reason::description).distinct())
        .hasSize(Reason.values().length);
  }
}
