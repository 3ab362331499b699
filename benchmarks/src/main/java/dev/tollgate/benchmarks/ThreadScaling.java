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
import org.openjdk.jmh.annotations.Threads;

/**
 * Throughput of one HS256 validator shared by one and by two threads, as a server shares it. The
 * same for the bare JCA floor (an engine per thread) shows how far this machine itself scales at
 * that moment: on two cores shared with other work, read Tollgate's ratio against the floor's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ThreadScaling {
  Peers.Tollgate tollgate;
  String token;

  @Setup
  public void setUp() {
    TestIssuer issuer = TestIssuer.create(Algorithm.HS256);
    tollgate = new Peers.Tollgate(issuer);
    token = AccessTokens.realistic(issuer).sign();
    Checks.requireSameChecks("tollgate", tollgate, issuer, token);
  }

  /** A floor per thread: a JCA engine is not thread-safe. */
  @State(Scope.Thread)
  public static class PerThread {
    Floor floor;

    @Setup
    public void setUp() throws Exception {
      // Test-kit keys are made once per JVM: this is the same secret as the validator's.
      TestIssuer issuer = TestIssuer.create(Algorithm.HS256);
      floor = new Floor(issuer, AccessTokens.realistic(issuer).sign());
      floor.check();
    }
  }

  @Benchmark
  @Threads(1)
  public Object tollgateOneThread() {
    return tollgate.validate(token);
  }

  @Benchmark
  @Threads(2)
  public Object tollgateTwoThreads() {
    return tollgate.validate(token);
  }

  @Benchmark
  @Threads(1)
  public boolean floorOneThread(PerThread t) throws Exception {
    return t.floor.verify();
  }

  @Benchmark
  @Threads(2)
  public boolean floorTwoThreads(PerThread t) throws Exception {
    return t.floor.verify();
  }
}
