package dev.tollgate.benchmarks;

import dev.tollgate.Algorithm;
import org.openjdk.jmh.annotations.Benchmark;

/** The main comparison for RS256. */
public class ValidateRs256 extends ValidateBase {
  @Override
  Algorithm algorithm() {
    return Algorithm.RS256;
  }

  @Benchmark
  public Object auth0() {
    return auth0.validate(token);
  }
}
