package dev.tollgate.benchmarks;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtValidator;
import dev.tollgate.keys.KeyResolver;
import dev.tollgate.testing.TestIssuer;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Tollgate's cost as the key set grows: a JWKS of 1, 16 or 256 keys with the token's key in the
 * middle, the others filler keys with their own ids. HS256, because its verification is cheap
 * enough (about half a microsecond) for a key lookup's cost to show; with ES256's ~0.6 ms it would
 * vanish in the noise. The lookup does not depend on the key type.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JwksSize {
  @Param({"1", "16", "256"})
  int keys;

  Peers.Tollgate tollgate;
  String token;

  @Setup
  public void setUp() {
    TestIssuer issuer = TestIssuer.create(Algorithm.HS256);
    SecureRandom random = new SecureRandom();
    StringBuilder jwks = new StringBuilder("{\"keys\":[");
    for (int i = 0; i < keys; i++) {
      String kid;
      byte[] secret;
      if (i == keys / 2) {
        kid = issuer.keyId();
        secret = issuer.secret();
      } else {
        kid = "filler-" + i;
        secret = new byte[32];
        random.nextBytes(secret);
      }
      jwks.append(i == 0 ? "" : ",")
          .append("{\"kty\":\"oct\",\"kid\":\"")
          .append(kid)
          .append("\",\"use\":\"sig\",\"alg\":\"HS256\",\"k\":\"")
          .append(Base64Url.encode(secret))
          .append("\"}");
    }
    jwks.append("]}");
    JwtValidator validator =
        JwtValidator.builder()
            .algorithms(Algorithm.HS256)
            .issuer(issuer.issuer())
            .audience(issuer.audience())
            .keys(KeyResolver.jwks(jwks.toString()))
            .build();
    tollgate = new Peers.Tollgate(validator);
    token = AccessTokens.realistic(issuer).sign();
    Checks.requireSameChecks("tollgate", tollgate, issuer, token);
  }

  @Benchmark
  public Object tollgate() {
    return tollgate.validate(token);
  }
}
