package dev.tollgate.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.Algorithm;
import dev.tollgate.testing.TestIssuer;
import org.junit.jupiter.api.Test;

class QuickStartTest {
  private final TestIssuer idp =
      TestIssuer.builder()
          .algorithm(Algorithm.RS256)
          .issuer("https://idp.example.com/")
          .audience("catalog-api")
          .build();
  private final QuickStart quickStart = new QuickStart(idp.jwks());

  @Test
  void handle_validToken_greetsTheSubject() {
    assertThat(quickStart.handle(idp.token().subject("alice").scope("read:catalog").sign()))
        .isEqualTo("hello alice, scopes [read:catalog]");
  }

  @Test
  void handle_expiredToken_refusedWithFingerprintAndReason() {
    String token = idp.expiredToken();
    assertThat(quickStart.handle(token))
        .startsWith("refused ")
        .endsWith(": EXPIRED")
        .doesNotContain(token);
  }
}
