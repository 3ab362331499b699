package dev.tollgate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.keys.RemoteJwks;
import dev.tollgate.testing.JwksServer;
import dev.tollgate.testing.TestIssuer;
import java.util.Base64;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Routing to the validator of a token's issuer, each with remote keys on its own server. */
class MultiIssuerValidatorTest {
  private final JwksServer serverA = JwksServer.start();
  private final JwksServer serverB = JwksServer.start();
  private final TestIssuer idpA = issuer(serverA, Algorithm.ES256);
  private final TestIssuer idpB = issuer(serverB, Algorithm.RS256);
  private final MultiIssuerValidator validator =
      MultiIssuerValidator.builder()
          .issuer(idpA.issuer(), remoteValidator(idpA, serverA))
          .issuer(idpB.issuer(), remoteValidator(idpB, serverB))
          .build();

  @AfterEach
  void stop() {
    serverA.close();
    serverB.close();
  }

  private static TestIssuer issuer(JwksServer server, Algorithm alg) {
    TestIssuer idp =
        TestIssuer.builder().algorithm(alg).issuer(server.issuerUri().toString()).build();
    server.publish(idp);
    return idp;
  }

  private static JwtValidator remoteValidator(TestIssuer idp, JwksServer server) {
    return JwtValidator.builder()
        .algorithms(idp.algorithm())
        .issuer(idp.issuer())
        .audience(idp.audience())
        .keys(RemoteJwks.builder(server.jwksUri()).allowPlainHttpOnLoopback().build())
        .build();
  }

  private static void assertRefused(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            JwtValidationException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  private int requests() {
    return serverA.requestCount() + serverB.requestCount();
  }

  @Test
  void validate_routesEachTokenToTheValidatorOfItsIssuer() {
    assertThat(validator.validate(idpA.validToken()).issuer()).isEqualTo(idpA.issuer());
    assertThat(serverA.requestCount("/jwks")).isEqualTo(1);
    assertThat(serverB.requestCount()).isZero();

    VerifiedJwt b = validator.validate(idpB.validToken());
    assertThat(b.issuer()).isEqualTo(idpB.issuer());
    assertThat(b.algorithm()).isEqualTo(Algorithm.RS256);
    assertThat(serverB.requestCount("/jwks")).isEqualTo(1);
    assertThat(validator.issuers()).containsExactly(idpA.issuer(), idpB.issuer());
  }

  @Test
  void validate_untrustedIssuer_refusedWithoutAnyRequest() {
    TestIssuer stranger =
        TestIssuer.builder().algorithm(Algorithm.ES256).issuer("https://stranger.test/").build();
    assertRefused(() -> validator.validate(stranger.validToken()), Reason.ISSUER_MISMATCH);
    // A trusted kid and key, but another issuer in the claims: still no fetch.
    assertRefused(
        () -> validator.validate(idpA.token().issuer("https://stranger.test/").sign()),
        Reason.ISSUER_MISMATCH);
    assertThat(requests()).isZero();
  }

  @Test
  void validate_tokenClaimingAnotherTrustedIssuer_checkedFullyThere() {
    // Signed by A (ES256) but claiming B: routed to B, whose policy allows only RS256.
    assertRefused(
        () -> validator.validate(idpA.token().issuer(idpB.issuer()).sign()),
        Reason.ALGORITHM_NOT_ALLOWED);
    assertThat(requests()).isZero();
    // Claiming B with a key B does not publish: B's keys are looked up, and do not have it.
    assertRefused(() -> validator.validate(idpB.rotate().validToken()), Reason.KEY_NOT_FOUND);
    assertThat(serverA.requestCount()).isZero();
    assertThat(serverB.requestCount("/jwks")).isEqualTo(1);
  }

  @Test
  void validate_unreadableTokens_refusedWhileRouting() {
    String header = b64("{\"alg\":\"ES256\"}");
    assertRefused(() -> validator.validate("not a token"), Reason.MALFORMED);
    assertRefused(() -> validator.validate(header + ".***.sig"), Reason.MALFORMED);
    assertRefused(() -> validator.validate(header + "." + b64("[1]") + ".sig"), Reason.MALFORMED);
    assertRefused(
        () -> validator.validate(header + "." + b64("{\"iss\":1}") + ".sig"), Reason.CLAIM_INVALID);
    assertRefused(
        () -> validator.validate(header + "." + b64("{\"sub\":\"x\"}") + ".sig"),
        Reason.MISSING_CLAIM);
    assertRefused(
        () -> validator.validate(idpA.token().claim("nested", deep(40)).sign()), Reason.MALFORMED);
    assertRefused(() -> validator.validate("a".repeat(16 * 1024 + 1)), Reason.TOO_LARGE);
    assertRefused(() -> validator.validate(idpA.unsignedToken()), Reason.ALGORITHM_NOT_ALLOWED);
    assertThat(requests()).isZero();
  }

  @Test
  void validate_tokenOfExactlyTheLongestLength_readForRouting() {
    int longest = 16 * 1024;
    assertRefused(() -> validator.validate("a".repeat(longest)), Reason.MALFORMED);
    assertRefused(() -> validator.validate("a".repeat(longest + 1)), Reason.TOO_LARGE);
  }

  @Test
  void validate_emptyHeaderOrExtraSegments_malformedEvenForAnUnknownIssuer() {
    String header = b64("{\"alg\":\"ES256\"}");
    String stranger = b64("{\"iss\":\"https://stranger.test/\"}");
    assertRefused(
        () -> validator.validate(header + "." + stranger + ".sig"), Reason.ISSUER_MISMATCH);
    assertRefused(() -> validator.validate("." + stranger + ".sig"), Reason.MALFORMED);
    assertRefused(() -> validator.validate(header + "." + stranger + ".sig.x"), Reason.MALFORMED);
    assertRefused(() -> validator.validate(header + "." + stranger + ".a.b.c"), Reason.MALFORMED);
    assertRefused(() -> validator.validate(header + "." + stranger), Reason.MALFORMED);
    assertThat(requests()).isZero();
  }

  private static Object deep(int depth) {
    Object v = "x";
    for (int i = 0; i < depth; i++) {
      v = java.util.List.of(v);
    }
    return v;
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(UTF_8));
  }

  @Test
  void refusals_neverCarryTheToken() {
    String token = idpA.token().issuer("https://stranger.test/").sign();
    assertThatThrownBy(() -> validator.validate(token))
        .isInstanceOfSatisfying(
            JwtValidationException.class,
            e -> {
              assertThat(e.getMessage()).doesNotContain(token.substring(0, 20));
              assertThat(e.tokenFingerprint())
                  .isEqualTo(JwtValidationException.fingerprintOf(token));
            });
    assertThat(requests()).isZero();
  }

  @Test
  void javadocExample_routes() {
    TestIssuer a = TestIssuer.builder().issuer("https://login.partner-a.example/").build();
    TestIssuer b = TestIssuer.builder().issuer("https://login.partner-b.example/").build();
    JwtValidator partnerA = a.validator();
    JwtValidator partnerB = b.validator();
    String token = b.validToken();
    MultiIssuerValidator validator =
        MultiIssuerValidator.builder()
            .issuer("https://login.partner-a.example/", partnerA)
            .issuer("https://login.partner-b.example/", partnerB)
            .build();
    VerifiedJwt jwt = validator.validate(token); // or JwtValidationException
    assertThat(jwt.issuer()).isEqualTo(b.issuer());
    assertThat(validator.toString()).contains(a.issuer(), b.issuer());
    assertThat(requests()).isZero();
  }

  // ---- builder ----

  @Test
  void builder_rules() {
    JwtValidator forA = idpA.validator();
    assertThatThrownBy(() -> MultiIssuerValidator.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("issuer(...)");
    assertThatThrownBy(() -> MultiIssuerValidator.builder().issuer(idpB.issuer(), forA))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not accept");
    assertThatThrownBy(() -> MultiIssuerValidator.builder().issuer("", forA))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("issuer must not be empty");
    MultiIssuerValidator.Builder once = MultiIssuerValidator.builder().issuer(idpA.issuer(), forA);
    assertThatThrownBy(() -> once.issuer(idpA.issuer(), forA))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already");
    assertThatThrownBy(() -> MultiIssuerValidator.builder().issuer(null, forA))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("issuer");
    assertThatThrownBy(() -> MultiIssuerValidator.builder().issuer(idpA.issuer(), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("validator");
    assertThatThrownBy(() -> validator.validate(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("token");
    assertThat(requests()).isZero();
  }

  @Test
  void build_isUnaffectedByLaterBuilderCalls() {
    MultiIssuerValidator.Builder b =
        MultiIssuerValidator.builder().issuer(idpA.issuer(), idpA.validator());
    MultiIssuerValidator first = b.build();
    b.issuer(idpB.issuer(), idpB.validator());
    assertRefused(() -> first.validate(idpB.validToken()), Reason.ISSUER_MISMATCH);
    assertThat(b.build().validate(idpB.validToken()).issuer()).isEqualTo(idpB.issuer());
    assertThat(requests()).isZero();
  }
}
