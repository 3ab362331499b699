package dev.tollgate.examples;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtValidationException;
import dev.tollgate.JwtValidator;
import dev.tollgate.VerifiedJwt;
import dev.tollgate.keys.KeyResolver;

/** The README's quick start, compiled and run by the build so that it cannot rot. */
public final class QuickStart {
  private final JwtValidator validator;

  /**
   * Builds the validator once, at start-up.
   *
   * @param jwksJson the identity provider's JSON Web Key Set
   */
  public QuickStart(String jwksJson) {
    // quick-start: build
    JwtValidator validator =
        JwtValidator.builder()
            .algorithms(Algorithm.RS256)
            .issuer("https://idp.example.com/")
            .audience("catalog-api")
            .keys(KeyResolver.jwks(jwksJson))
            .build();
    // end
    this.validator = validator;
  }

  /**
   * Validates a bearer token and says who sent it.
   *
   * @param token the token from the request
   * @return a one-line answer
   */
  public String handle(String token) {
    // quick-start: validate
    try {
      VerifiedJwt jwt = validator.validate(token);
      return "hello " + jwt.subject().orElse("anonymous") + ", scopes " + jwt.scopes();
    } catch (JwtValidationException e) {
      // e.reason() is a stable code such as EXPIRED; the message never contains the token.
      return "refused " + e.tokenFingerprint() + ": " + e.reason();
    }
    // end
  }
}
