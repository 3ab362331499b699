package dev.tollgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.Algorithm;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The suite against another library through {@link AttackSuite.Target}: raw jose4j, configured as
 * carefully as its builder allows (pinned algorithm and key, issuer, audience, required expiry). It
 * refuses every forgery; what it lets through is what it has no setting for by default.
 */
class AttackSuiteJose4jTest {
  @ParameterizedTest
  @EnumSource(
      value = Algorithm.class,
      names = {"RS256", "ES256", "HS256"})
  void carefulJose4jConsumer_refusesEveryForgery_acceptsMalleableTypedNestedAndHugeTokens(
      Algorithm alg) {
    TestIssuer issuer = TestIssuer.create(alg);
    JwtConsumerBuilder builder =
        new JwtConsumerBuilder()
            .setExpectedIssuer(issuer.issuer())
            .setExpectedAudience(issuer.audience())
            .setRequireExpirationTime()
            .setAllowedClockSkewInSeconds(60)
            .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, alg.jwaName());
    JwtConsumer jose4j =
        alg == Algorithm.HS256
            ? builder.setVerificationKey(new SecretKeySpec(issuer.secret(), "HmacSHA256")).build()
            : builder.setVerificationKey(issuer.publicKey()).build();

    List<String> accepted = new ArrayList<>();
    for (AttackSuite.Attack attack : AttackSuite.against(issuer).attacks()) {
      try {
        attack.assertRefusedBy(jose4j::process);
      } catch (AssertionError e) {
        accepted.add(attack.name());
      }
    }

    AttackSuite.against(issuer).assertValidTokenAcceptedBy(jose4j::process);
    assertThat(accepted)
        .containsExactly(
            "signature-padding",
            "signature-non-canonical",
            "typ-dpop",
            "deeply-nested-claims",
            "deeply-nested-header",
            "oversized");
  }
}
