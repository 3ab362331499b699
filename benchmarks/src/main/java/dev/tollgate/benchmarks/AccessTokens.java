package dev.tollgate.benchmarks;

import dev.tollgate.testing.TestIssuer;
import dev.tollgate.testing.TokenBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The tokens every contender sees: realistic access tokens minted by Tollgate's test kit. */
final class AccessTokens {
  /** Claims in {@link #realistic(TestIssuer)}. */
  static final int REALISTIC_CLAIMS = 10;

  private AccessTokens() {}

  /**
   * Starts an OAuth access token as an authorisation server would issue it: {@code iss}, {@code
   * sub}, {@code aud}, {@code iat}, {@code exp}, {@code jti} (the kit's defaults) plus {@code nbf},
   * {@code scope}, {@code client_id} and {@code azp}: 10 claims, with the header {@code alg},
   * {@code typ} and {@code kid}. The texts are sized so that the HS256 token is 461 characters and
   * the RS256 one 760, the range the measurements used.
   *
   * <p>It lives an hour, so that no run outlives it: every contender reads the system clock.
   */
  static TokenBuilder realistic(TestIssuer issuer) {
    TokenBuilder t = issuer.token();
    return t.expiresIn(Duration.ofHours(1))
        .notBefore(issuer.clock().instant().minusSeconds(5))
        .subject("2482897610012345")
        .scope("openid profile orders:read orders:write")
        .claim("client_id", "catalog-web")
        .claim("azp", "catalog-web");
  }

  /**
   * Starts a realistic token with more claims: the 10 of {@link #realistic(TestIssuer)} and then
   * claims {@code ext_11}, {@code ext_12}, ... of the kinds an identity provider adds (strings,
   * numbers, booleans, short string arrays, small objects) until there are {@code claims}.
   */
  static TokenBuilder withClaims(TestIssuer issuer, int claims) {
    if (claims < REALISTIC_CLAIMS) {
      throw new IllegalArgumentException("at least " + REALISTIC_CLAIMS + " claims");
    }
    TokenBuilder t = realistic(issuer);
    for (int i = REALISTIC_CLAIMS + 1; i <= claims; i++) {
      String name = "ext_" + i;
      switch (i % 5) {
        case 0 -> t.claim(name, "value-" + i);
        case 1 -> t.claim(name, 1_000_000L + i);
        case 2 -> t.claim(name, i % 2 == 0);
        case 3 -> t.claim(name, List.of("group-" + i, "role-" + i));
        default -> {
          Map<String, Object> object = new LinkedHashMap<>();
          object.put("tenant", "t-" + i);
          object.put("tier", i);
          t.claim(name, object);
        }
      }
    }
    return t;
  }

  /** Flips one bit in the middle of a token's signature; the result stays canonical base64url. */
  static String forge(String token) {
    int dot = token.lastIndexOf('.');
    byte[] signature = Base64Url.decode(token.substring(dot + 1));
    signature[signature.length / 2] ^= 0x01;
    return token.substring(0, dot + 1) + Base64Url.encode(signature);
  }
}
