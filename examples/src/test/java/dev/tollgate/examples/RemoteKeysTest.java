package dev.tollgate.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtValidationException;
import dev.tollgate.JwtValidator;
import dev.tollgate.Reason;
import dev.tollgate.testing.JwksServer;
import dev.tollgate.testing.TestIssuer;
import org.junit.jupiter.api.Test;

class RemoteKeysTest {
  @Test
  void validatorForLoopback_findsKeysThroughDiscoveryAndFollowsRotation() {
    try (JwksServer server = JwksServer.start()) {
      TestIssuer idp =
          TestIssuer.builder()
              .algorithm(Algorithm.RS256)
              .issuer(server.issuerUri().toString())
              .audience("catalog-api")
              .build();
      server.publish(idp);
      JwtValidator validator = RemoteKeys.validatorForLoopback(idp.issuer(), "catalog-api");

      assertThat(validator.validate(idp.token().subject("alice").sign()).subject())
          .hasValue("alice");
      assertThat(server.requestCount("/.well-known/openid-configuration")).isEqualTo(1);
      assertThat(server.requestCount("/jwks")).isEqualTo(1);

      TestIssuer rotated = idp.rotate();
      server.publish(rotated);
      assertThat(validator.validate(rotated.validToken()).keyId()).hasValue(rotated.keyId());
      assertThat(server.requestCount("/jwks")).isEqualTo(2);
    }
  }

  @Test
  void validatorForLoopback_expiredToken_refusedWithExpired() {
    try (JwksServer server = JwksServer.start()) {
      TestIssuer idp =
          TestIssuer.builder()
              .algorithm(Algorithm.RS256)
              .issuer(server.issuerUri().toString())
              .audience("catalog-api")
              .build();
      server.publish(idp);
      JwtValidator validator = RemoteKeys.validatorForLoopback(idp.issuer(), "catalog-api");

      assertThatThrownBy(() -> validator.validate(idp.expiredToken()))
          .isInstanceOfSatisfying(
              JwtValidationException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED));
    }
  }

  @Test
  void validator_httpsIssuer_buildsWithoutFetching() {
    assertThat(RemoteKeys.validator("https://idp.example.com/", "catalog-api")).isNotNull();
  }

  @Test
  void validator_plainHttpIssuer_refusedWithoutTheOptIn() {
    try (JwksServer server = JwksServer.start()) {
      assertThatThrownBy(() -> RemoteKeys.validator(server.issuerUri().toString(), "catalog-api"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(server.requestCount()).isZero();
    }
  }
}
