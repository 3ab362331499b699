package dev.tollgate.benchmarks;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtValidator;
import dev.tollgate.testing.TestIssuer;
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
 * What a hit of the verified-token cache ({@code JwtValidator.Builder.verifiedTokenCache}) costs:
 * the same realistic token again and again, without ({@code uncached}) and with the cache ({@code
 * hit}; after the first call every call is a hit). Setup checks that a hit returns the remembered
 * result and that the cached validator still refuses every broken token of {@link Checks}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CacheHit {
  @Param({"HS256", "ES256"})
  String algorithm;

  JwtValidator plain;
  JwtValidator cached;
  String token;

  @Setup
  public void setUp() {
    TestIssuer issuer = TestIssuer.create(Algorithm.valueOf(algorithm));
    plain = issuer.validatorBuilder().build();
    cached = issuer.validatorBuilder().verifiedTokenCache(16).build();
    token = AccessTokens.realistic(issuer).sign();
    Checks.requireSameChecks("tollgate (cached)", new Peers.Tollgate(cached), issuer, token);
    if (cached.validate(token) != cached.validate(token)) {
      throw new IllegalStateException("the second validation was not a cache hit");
    }
  }

  @Benchmark
  public Object uncached() {
    return plain.validate(token);
  }

  @Benchmark
  public Object hit() {
    return cached.validate(token);
  }
}
