package dev.tollgate.examples;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtValidator;
import dev.tollgate.keys.RemoteJwks;
import java.time.Duration;

/**
 * Validating with the keys an identity provider publishes: the JWKS URI is read from the issuer's
 * OpenID Connect Discovery document, and the keys are fetched, cached and refreshed by {@link
 * RemoteJwks}, so a key rotation at the provider needs no restart.
 */
public final class RemoteKeys {
  private RemoteKeys() {}

  /**
   * Builds a validator for an issuer reached over HTTPS: what a real service does.
   *
   * @param issuer the issuer, exactly as its tokens carry it in {@code iss}, for example {@code
   *     https://idp.example.com/}
   * @param audience this API's name in the tokens' {@code aud}
   * @return the validator; the first token it validates fetches the discovery document and keys
   */
  public static JwtValidator validator(String issuer, String audience) {
    // remote-keys: build
    RemoteJwks keys =
        RemoteJwks.fromIssuer(issuer) // reads <issuer>/.well-known/openid-configuration
            .refreshInterval(Duration.ofMinutes(5))
            .staleIfError(Duration.ofHours(6))
            .build();
    JwtValidator validator =
        JwtValidator.builder()
            .algorithms(Algorithm.RS256)
            .issuer(issuer)
            .audience(audience)
            .keys(keys)
            .build();
    // end
    return validator;
  }

  /**
   * Builds the same validator for an issuer on this machine that speaks plain HTTP, such as the
   * test kit's {@code JwksServer} in the demo and in tests. Plain HTTP must be asked for by name;
   * to any host but a loopback address it is refused even then.
   *
   * @param issuer the issuer, {@code http://127.0.0.1:<port>/}
   * @param audience this API's name in the tokens' {@code aud}
   * @return the validator
   */
  public static JwtValidator validatorForLoopback(String issuer, String audience) {
    // remote-keys: loopback
    RemoteJwks keys = RemoteJwks.fromIssuer(issuer).allowPlainHttpOnLoopback().build();
    // end
    return JwtValidator.builder()
        .algorithms(Algorithm.RS256)
        .issuer(issuer)
        .audience(audience)
        .keys(keys)
        .build();
  }
}
