package dev.tollgate.benchmarks;

import dev.tollgate.Algorithm;
import org.openjdk.jmh.annotations.Benchmark;

/** The main comparison for HS256. */
public class ValidateHs256 extends ValidateBase {
  @Override
  Algorithm algorithm() {
    return Algorithm.HS256;
  }

  @Benchmark
  public Object auth0() {
    return auth0.validate(token);
  }
}
