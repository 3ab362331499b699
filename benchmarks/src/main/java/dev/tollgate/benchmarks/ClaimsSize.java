package dev.tollgate.benchmarks;

import dev.tollgate.Algorithm;
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
 * Cost as the claims grow: the realistic access token with 10, 50 or 200 claims (the extra ones
 * strings, numbers, booleans, string arrays and small objects), HS256 so that parsing, not crypto,
 * dominates. Every peer is measured too, to tell Tollgate's slope from the inevitable one; the
 * floor grows only with the bytes the MAC reads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ClaimsSize {
  @Param({"10", "50", "200"})
  int claims;

  String token;
  Peers.Tollgate tollgate;
  Peers.Jose4j jose4j;
  Peers.Nimbus nimbus;
  Peers.Auth0 auth0;
  Peers.Jjwt jjwt;
  Floor floor;

  @Setup
  public void setUp() throws Exception {
    TestIssuer issuer = TestIssuer.create(Algorithm.HS256);
    token = AccessTokens.withClaims(issuer, claims).sign();
    tollgate = new Peers.Tollgate(issuer);
    jose4j = new Peers.Jose4j(issuer);
    nimbus = new Peers.Nimbus(issuer);
    auth0 = new Peers.Auth0(issuer);
    jjwt = new Peers.Jjwt(issuer);
    floor = new Floor(issuer, token);
    Checks.requireSameChecks("tollgate", tollgate, issuer, token);
    Checks.requireSameChecks("jose4j", jose4j, issuer, token);
    Checks.requireSameChecks("nimbus", nimbus, issuer, token);
    Checks.requireSameChecks("auth0", auth0, issuer, token);
    Checks.requireSameChecks("jjwt", jjwt, issuer, token);
    floor.check();
  }

  @Benchmark
  public boolean floor() throws Exception {
    return floor.verify();
  }

  @Benchmark
  public Object tollgate() {
    return tollgate.validate(token);
  }

  @Benchmark
  public Object jose4j() throws Exception {
    return jose4j.validate(token);
  }

  @Benchmark
  public Object nimbus() throws Exception {
    return nimbus.validate(token);
  }

  @Benchmark
  public Object auth0() {
    return auth0.validate(token);
  }

  @Benchmark
  public Object jjwt() {
    return jjwt.validate(token);
  }
}
