package dev.tollgate.benchmarks;

import dev.tollgate.Algorithm;

/**
 * The main comparison for EdDSA with an Ed25519 key. Auth0 java-jwt has no EdDSA, so it is absent;
 * Nimbus verifies with Tink's Ed25519, everyone else with the JDK's.
 */
public class ValidateEdDsa extends ValidateBase {
  @Override
  Algorithm algorithm() {
    return Algorithm.EdDSA;
  }
}
