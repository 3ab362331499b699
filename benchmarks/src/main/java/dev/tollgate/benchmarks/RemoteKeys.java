package dev.tollgate.benchmarks;

import dev.tollgate.Algorithm;
import dev.tollgate.JwsHeader;
import dev.tollgate.JwtValidator;
import dev.tollgate.keys.KeyResolver;
import dev.tollgate.keys.RemoteJwks;
import dev.tollgate.testing.JwksServer;
import dev.tollgate.testing.TestIssuer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The key lookup of a validation, from static keys and from a {@link RemoteJwks} whose key set is
 * fresh (a cache hit: no request). The JWKS is served by the test kit's {@code JwksServer} on
 * loopback and fetched once at start-up; teardown fails if the benchmark made it fetch again. The
 * lookup is measured alone, since next to any public-key signature (tens of microseconds at least)
 * it would vanish in the noise; the header is the one a real validation passed to the resolver.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RemoteKeys {
  JwksServer server;
  RemoteJwks remote;
  KeyResolver staticKeys;
  JwsHeader header;

  @Setup
  public void setUp() {
    TestIssuer issuer = TestIssuer.create(Algorithm.ES256);
    server = JwksServer.start(issuer);
    remote = RemoteJwks.builder(server.jwksUri()).allowPlainHttpOnLoopback().prefetch().build();
    staticKeys = KeyResolver.jwks(issuer.jwks());
    AtomicReference<JwsHeader> seen = new AtomicReference<>();
    JwtValidator validator =
        JwtValidator.builder()
            .algorithms(issuer.algorithm())
            .issuer(issuer.issuer())
            .audience(issuer.audience())
            .keys(
                h -> {
                  seen.set(h);
                  return remote.resolve(h);
                })
            .build();
    Checks.requireSameChecks(
        "tollgate (remote keys)",
        new Peers.Tollgate(validator),
        issuer,
        AccessTokens.realistic(issuer).sign());
    header = seen.get();
    if (remote.resolve(header).isEmpty() || staticKeys.resolve(header).isEmpty()) {
      throw new IllegalStateException("a resolver found no key for the token's header");
    }
  }

  @TearDown
  public void tearDown() {
    int fetches = server.requestCount();
    remote.close();
    server.close();
    if (fetches != 1) {
      throw new IllegalStateException("expected one fetch of the key set, saw " + fetches);
    }
  }

  @Benchmark
  public Object staticKeys() {
    return staticKeys.resolve(header);
  }

  @Benchmark
  public Object remoteKeys() {
    return remote.resolve(header);
  }
}
