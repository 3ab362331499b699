package dev.tollgate.benchmarks;

import dev.tollgate.testing.TestIssuer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The proof that every contender does the same work: each must accept the measured token and refuse
 * the same broken ones, or the benchmark fails in setup rather than measure a library that checks
 * less.
 */
final class Checks {
  private Checks() {}

  /**
   * Throws unless the contender accepts {@code valid} and refuses: a forged signature (one bit
   * flipped), another issuer, another audience, an expired token, a token without {@code exp}, an
   * unsigned token ({@code alg: none}), and, for public-key issuers, the HMAC-confusion token.
   */
  static void requireSameChecks(String name, Contender contender, TestIssuer issuer, String valid) {
    try {
      contender.validate(valid);
    } catch (Exception e) {
      throw new IllegalStateException(name + " refused the valid token", e);
    }
    Map<String, String> broken = new LinkedHashMap<>();
    broken.put("a forged signature", AccessTokens.forge(valid));
    broken.put("another issuer", issuer.wrongIssuerToken());
    broken.put("another audience", issuer.wrongAudienceToken());
    broken.put("an expired token", issuer.expiredToken());
    broken.put("a token without exp", issuer.tokenWithout("exp"));
    broken.put("alg none", issuer.unsignedToken());
    if (!Peers.isHmac(issuer.algorithm())) {
      broken.put("HMAC confusion", issuer.hmacConfusionToken());
    }
    for (Map.Entry<String, String> e : broken.entrySet()) {
      boolean accepted;
      try {
        contender.validate(e.getValue());
        accepted = true;
      } catch (Exception refused) {
        accepted = false;
      }
      if (accepted) {
        throw new IllegalStateException(name + " accepted " + e.getKey());
      }
    }
  }
}
