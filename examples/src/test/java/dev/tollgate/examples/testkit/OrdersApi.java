package dev.tollgate.examples.testkit;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtValidationException;
import dev.tollgate.JwtValidator;
import dev.tollgate.VerifiedJwt;
import dev.tollgate.keys.KeyResolver;

/**
 * A tiny API as an application would write it, the subject of {@link OrdersApiTest}: one validator,
 * built once from configuration, guards {@code GET /orders}.
 */
final class OrdersApi {
  /** What the API answers: an HTTP status and a body. */
  record Response(int status, String body) {}

  private final JwtValidator validator;

  OrdersApi(JwtValidator validator) {
    this.validator = validator;
  }

  /**
   * Builds the validator as production does. Production passes {@code
   * RemoteJwks.fromIssuer("https://idp.example.com/").build()}; tests pass the test issuer's keys.
   */
  static JwtValidator validator(KeyResolver keys) {
    return JwtValidator.builder()
        .algorithms(Algorithm.ES256)
        .issuer("https://idp.example.com/")
        .audience("orders-api")
        .keys(keys)
        .build();
  }

  /** Answers {@code GET /orders} for the request's {@code Authorization} header. */
  Response listOrders(String authorization) {
    if (!authorization.startsWith("Bearer ")) {
      return new Response(401, "no token");
    }
    VerifiedJwt jwt;
    try {
      jwt = validator.validate(authorization.substring("Bearer ".length()));
    } catch (JwtValidationException e) {
      return new Response(401, e.reason().name());
    }
    if (!jwt.scopes().contains("orders:read")) {
      return new Response(403, "insufficient_scope");
    }
    return new Response(200, "orders of " + jwt.subject().orElse("nobody"));
  }
}
