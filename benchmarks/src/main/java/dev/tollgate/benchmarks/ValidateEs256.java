package dev.tollgate.benchmarks;

import dev.tollgate.Algorithm;
import org.openjdk.jmh.annotations.Benchmark;

/** The main comparison for ES256. */
public class ValidateEs256 extends ValidateBase {
  @Override
  Algorithm algorithm() {
    return Algorithm.ES256;
  }

  @Benchmark
  public Object auth0() {
    return auth0.validate(token);
  }
}
