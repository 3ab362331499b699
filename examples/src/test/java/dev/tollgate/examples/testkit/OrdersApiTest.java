package dev.tollgate.examples.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtValidator;
import dev.tollgate.examples.testkit.OrdersApi.Response;
import dev.tollgate.testing.AttackSuite;
import dev.tollgate.testing.TestIssuer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The README's "Testing your API" example: an API tested with the kit, attacks included. */
class OrdersApiTest {
  // The identity provider, played by the kit: throwaway keys, production's issuer and audience.
  private static final TestIssuer IDP =
      TestIssuer.builder()
          .algorithm(Algorithm.ES256)
          .issuer("https://idp.example.com/")
          .audience("orders-api")
          .tokenDefaults(t -> t.scope("orders:read"))
          .build();

  // The validator exactly as production builds it, trusting the test issuer's keys.
  private final JwtValidator validator = OrdersApi.validator(IDP.keys());
  private final OrdersApi api = new OrdersApi(validator);

  @Test
  void listOrders_validToken_answersTheSubjectsOrders() {
    String token = IDP.token().subject("alice").sign();
    assertThat(api.listOrders("Bearer " + token)).isEqualTo(new Response(200, "orders of alice"));
  }

  @Test
  void listOrders_expiredToken_answers401Expired() {
    assertThat(api.listOrders("Bearer " + IDP.expiredToken()))
        .isEqualTo(new Response(401, "EXPIRED"));
  }

  @Test
  void listOrders_tokenForAnotherApi_answers401AudienceMismatch() {
    assertThat(api.listOrders("Bearer " + IDP.wrongAudienceToken()))
        .isEqualTo(new Response(401, "AUDIENCE_MISMATCH"));
  }

  @Test
  void validator_refusesEveryKnownAttack() {
    AttackSuite.against(IDP).assertRefusedBy(validator);
  }

  // One test per attack, each named in the report: "listOrders_attack_answers401(alg-none)".
  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void listOrders_attack_answers401(AttackSuite.Attack attack) {
    assertThat(api.listOrders("Bearer " + attack.token()).status()).isEqualTo(401);
  }

  static List<AttackSuite.Attack> attacks() {
    return AttackSuite.against(IDP).attacks();
  }

  @Test
  void listOrders_refusesEveryKnownAttack() {
    // Through the API: a token counts as accepted when the answer is 200.
    AttackSuite.against(IDP)
        .assertRefusedBy(
            token -> {
              Response answer = api.listOrders("Bearer " + token);
              if (answer.status() != 200) {
                throw new IllegalStateException("refused with " + answer.status());
              }
            });
  }

  @Test
  void listOrders_tokenWithoutTheScope_answers403() {
    String token = IDP.token().withoutClaim("scope").sign();
    assertThat(api.listOrders("Bearer " + token))
        .isEqualTo(new Response(403, "insufficient_scope"));
  }
}
