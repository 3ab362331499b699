package dev.tollgate.benchmarks;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtValidator;
import dev.tollgate.VerifiedJwt;
import dev.tollgate.testing.TestIssuer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The verified-token cache ({@code JwtValidator.Builder.verifiedTokenCache}) on a workload where
 * clients reuse their tokens: 1,024 distinct tokens (clients), presented in a fixed random order
 * drawn from a Zipf distribution (a few busy clients, many quiet ones), against a cache of {@code
 * cacheSize} entries ({@code 0}: no cache). The {@code hits} and {@code misses} counters say how
 * often the cache answered; the time per operation is the average over the mix.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CacheWorkload {
  private static final int CLIENTS = 1024;
  private static final int SEQUENCE = 1 << 16;

  @Param({"HS256", "ES256"})
  String algorithm;

  @Param({"0", "128", "1024"})
  int cacheSize;

  JwtValidator workloadValidator;
  String[] clients;
  int[] sequence;
  VerifiedJwt[] last;
  int next;

  /** Hits and misses of {@code workload}, per iteration. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Outcomes {
    public long hits;
    public long misses;

    @Setup(Level.Iteration)
    public void reset() {
      hits = 0;
      misses = 0;
    }
  }

  @Setup
  public void setUp() {
    TestIssuer issuer = TestIssuer.create(Algorithm.valueOf(algorithm));
    workloadValidator =
        cacheSize == 0
            ? issuer.validatorBuilder().build()
            : issuer.validatorBuilder().verifiedTokenCache(cacheSize).build();
    clients = new String[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
      clients[i] = AccessTokens.realistic(issuer).claim("client_id", "client-" + i).sign();
    }
    // Zipf(1) over the clients: client k is drawn with probability proportional to 1/(k+1).
    double[] cumulative = new double[CLIENTS];
    double sum = 0;
    for (int k = 0; k < CLIENTS; k++) {
      sum += 1.0 / (k + 1);
      cumulative[k] = sum;
    }
    Random random = new Random(42);
    sequence = new int[SEQUENCE];
    for (int i = 0; i < SEQUENCE; i++) {
      double u = random.nextDouble() * sum;
      int k = java.util.Arrays.binarySearch(cumulative, u);
      sequence[i] = k >= 0 ? k : Math.min(-k - 1, CLIENTS - 1);
    }
    last = new VerifiedJwt[CLIENTS];
  }

  @Benchmark
  public Object workload(Outcomes outcomes) {
    int client = sequence[next];
    next = (next + 1) & (SEQUENCE - 1);
    VerifiedJwt jwt = workloadValidator.validate(clients[client]);
    if (jwt == last[client]) {
      outcomes.hits++;
    } else {
      outcomes.misses++;
      last[client] = jwt;
    }
    return jwt;
  }
}
