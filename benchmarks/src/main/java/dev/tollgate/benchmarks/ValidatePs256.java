package dev.tollgate.benchmarks;

import dev.tollgate.Algorithm;
import org.openjdk.jmh.annotations.Benchmark;

/** The main comparison for PS256. */
public class ValidatePs256 extends ValidateBase {
  @Override
  Algorithm algorithm() {
    return Algorithm.PS256;
  }

  @Benchmark
  public Object auth0() {
    return auth0.validate(token);
  }
}
