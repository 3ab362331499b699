package dev.tollgate.benchmarks;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtValidationException;
import dev.tollgate.JwtValidator;
import dev.tollgate.Reason;
import dev.tollgate.testing.TestIssuer;
import java.time.Duration;
import java.time.Instant;
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
 * Tollgate's refusal paths, which are as hot as success (a flood of bad tokens is normal traffic):
 * each refused token is the realistic access token with one thing wrong, so the cost differences
 * are the checks reached. {@code valid} is the accepted token for reference. Setup fails unless
 * each token is refused with the expected {@link Reason} and without a stack trace.
 *
 * <p>The refusal is returned to JMH rather than dropped, as an application keeps it to answer the
 * request; the JIT therefore cannot elide the exception's allocation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Refusals {
  @Param({"HS256", "ES256"})
  String algorithm;

  JwtValidator validator;
  String valid;
  String malformed;
  String algorithmNotAllowed;
  String unknownKeyId;
  String badSignature;
  String expired;
  String tooLarge;

  /**
   * Distinct tokens refused at the header (alg none, each with its own kid), taken in turn: more
   * than the validator remembers, so each one is decoded and parsed, as in a flood of varied bad
   * tokens.
   */
  String[] algorithmNotAllowedDistinct;

  int next;

  @Setup
  public void setUp() {
    TestIssuer issuer = TestIssuer.create(Algorithm.valueOf(algorithm));
    validator = issuer.validatorBuilder().build();
    valid = AccessTokens.realistic(issuer).sign();
    // The header's closing brace is missing: all three segments decode, the header's JSON fails.
    String header =
        "{\"alg\":\"" + algorithm + "\",\"typ\":\"JWT\",\"kid\":\"" + issuer.keyId() + "\"";
    malformed = AccessTokens.realistic(issuer).rawHeader(header).sign();
    // alg "none" with an empty signature: refused at the allow-list.
    String unsigned = AccessTokens.realistic(issuer).header("alg", "none").sign();
    algorithmNotAllowed = unsigned.substring(0, unsigned.lastIndexOf('.') + 1);
    algorithmNotAllowedDistinct = new String[256];
    for (int i = 0; i < algorithmNotAllowedDistinct.length; i++) {
      String t = AccessTokens.realistic(issuer).header("alg", "none").keyId("k-" + i).sign();
      algorithmNotAllowedDistinct[i] = t.substring(0, t.lastIndexOf('.') + 1);
    }
    // A well-formed token whose kid is in no key set (say, a key already retired).
    unknownKeyId = AccessTokens.realistic(issuer).keyId("retired-key-7").sign();
    badSignature = AccessTokens.forge(valid);
    Instant now = issuer.clock().instant();
    expired =
        AccessTokens.realistic(issuer)
            .issuedAt(now.minus(Duration.ofHours(2)))
            .notBefore(now.minus(Duration.ofHours(2)))
            .expiresAt(now.minus(Duration.ofHours(1)))
            .sign();
    // One character over the default limit of 16384.
    tooLarge = issuer.oversizedToken(16 * 1024 + 1);

    if (!(validate(valid) instanceof dev.tollgate.VerifiedJwt)) {
      throw new IllegalStateException("the valid token was refused");
    }
    expect(malformed, Reason.MALFORMED);
    expect(algorithmNotAllowed, Reason.ALGORITHM_NOT_ALLOWED);
    for (String t : algorithmNotAllowedDistinct) {
      expect(t, Reason.ALGORITHM_NOT_ALLOWED);
    }
    expect(unknownKeyId, Reason.KEY_NOT_FOUND);
    expect(badSignature, Reason.BAD_SIGNATURE);
    expect(expired, Reason.EXPIRED);
    expect(tooLarge, Reason.TOO_LARGE);
  }

  private void expect(String token, Reason reason) {
    Object outcome = validate(token);
    if (!(outcome instanceof JwtValidationException e) || e.reason() != reason) {
      throw new IllegalStateException("expected " + reason + ", got " + outcome);
    }
    if (e.getStackTrace().length != 0) {
      throw new IllegalStateException(reason + " refusal carries a stack trace");
    }
  }

  private Object validate(String token) {
    try {
      return validator.validate(token);
    } catch (JwtValidationException e) {
      return e;
    }
  }

  @Benchmark
  public Object valid() {
    return validate(valid);
  }

  @Benchmark
  public Object malformed() {
    return validate(malformed);
  }

  @Benchmark
  public Object algorithmNotAllowed() {
    return validate(algorithmNotAllowed);
  }

  @Benchmark
  public Object algorithmNotAllowedDistinct() {
    String[] tokens = algorithmNotAllowedDistinct;
    return validate(tokens[next++ & (tokens.length - 1)]);
  }

  @Benchmark
  public Object unknownKeyId() {
    return validate(unknownKeyId);
  }

  @Benchmark
  public Object badSignature() {
    return validate(badSignature);
  }

  @Benchmark
  public Object expired() {
    return validate(expired);
  }

  @Benchmark
  public Object tooLarge() {
    return validate(tooLarge);
  }
}
