package dev.tollgate.benchmarks;

import dev.tollgate.Algorithm;
import dev.tollgate.testing.TestIssuer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The main comparison: one valid, realistic access token validated by Tollgate and each peer, and
 * the bare JCA verification of its signature (the floor). Each algorithm is a subclass, so each is
 * one JMH state and a run can pick algorithms by class name ({@code ValidateHs256}, ...).
 *
 * <p>Every contender sees the same token bytes, minted in setup by Tollgate's test kit, and setup
 * fails unless each accepts that token and refuses the same broken ones ({@link Checks}).
 *
 * <p>The state is per thread: the floor's JCA engine is not thread-safe, and a run with {@code -t}
 * then measures each thread with its own validators (thread scaling of one shared Tollgate
 * validator is {@link ThreadScaling}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public abstract class ValidateBase {
  String token;
  Peers.Tollgate tollgate;
  Peers.Jose4j jose4j;
  Peers.Nimbus nimbus;
  Peers.Auth0 auth0; // null where Auth0 lacks the algorithm
  Peers.Jjwt jjwt;
  Floor floor;

  /** The algorithm this state measures. */
  abstract Algorithm algorithm();

  @Setup
  public void setUp() throws Exception {
    TestIssuer issuer = TestIssuer.create(algorithm());
    token = AccessTokens.realistic(issuer).sign();
    if (token.length() < 460 || token.length() > 760) {
      throw new IllegalStateException("token of " + token.length() + " chars, not 460 to 760");
    }
    tollgate = new Peers.Tollgate(issuer);
    jose4j = new Peers.Jose4j(issuer);
    nimbus = new Peers.Nimbus(issuer);
    auth0 = Peers.Auth0.supports(algorithm()) ? new Peers.Auth0(issuer) : null;
    jjwt = new Peers.Jjwt(issuer);
    floor = new Floor(issuer, token);

    Checks.requireSameChecks("tollgate", tollgate, issuer, token);
    Checks.requireSameChecks("jose4j", jose4j, issuer, token);
    Checks.requireSameChecks("nimbus", nimbus, issuer, token);
    if (auth0 != null) {
      Checks.requireSameChecks("auth0", auth0, issuer, token);
    }
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

  /**
   * Tollgate, then every claim built as Java values: {@code VerifiedJwt} reads claims lazily, and
   * the peers build all of theirs, so this is the like-for-like figure for callers that read them
   * all (most read a few: the subject, the scopes, a tenant).
   */
  @Benchmark
  public Object tollgateAllClaims() {
    return tollgate.validate(token).claims();
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
  public Object jjwt() {
    return jjwt.validate(token);
  }
}
