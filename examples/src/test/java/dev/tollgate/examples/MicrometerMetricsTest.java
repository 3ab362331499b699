package dev.tollgate.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtValidationException;
import dev.tollgate.JwtValidator;
import dev.tollgate.Reason;
import dev.tollgate.keys.RemoteJwks;
import dev.tollgate.testing.JwksServer;
import dev.tollgate.testing.TestIssuer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MicrometerMetricsTest {
  /** A clock the test moves by hand, for the key source's view of time. */
  private static final class MovableClock extends Clock {
    private volatile Instant now = Instant.now();

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MovableClock keyClock = new MovableClock();
  private JwksServer server;
  private TestIssuer idp;
  private RemoteJwks keys;
  private JwtValidator validator;

  @BeforeEach
  void setUp() {
    server = JwksServer.start();
    idp =
        TestIssuer.builder()
            .algorithm(Algorithm.ES256)
            .issuer(server.issuerUri().toString())
            .audience("catalog-api")
            .build();
    server.publish(idp);
    // metrics: wire
    MicrometerMetrics metrics = new MicrometerMetrics(registry);
    RemoteJwks keys =
        RemoteJwks.builder(server.jwksUri())
            .allowPlainHttpOnLoopback()
            .clock(keyClock)
            .listener(metrics) // refreshes, failures, unknown key ids
            .build();
    metrics.watch(keys); // the gauge of the key set's age
    JwtValidator validator =
        JwtValidator.builder()
            .algorithms(Algorithm.ES256)
            .issuer(idp.issuer())
            .audience("catalog-api")
            .keys(keys)
            .listener(metrics) // every outcome, with its latency
            .build();
    // end
    this.keys = keys;
    this.validator = validator;
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private double validations(String outcome, String reason) {
    return registry
        .get("tollgate.validations")
        .tag("outcome", outcome)
        .tag("reason", reason)
        .counter()
        .count();
  }

  private long validationTimes(String outcome) {
    return registry.get("tollgate.validation.duration").tag("outcome", outcome).timer().count();
  }

  private long refreshes(String outcome, String failure) {
    return registry
        .get("tollgate.keys.refreshes")
        .tag("outcome", outcome)
        .tag("failure", failure)
        .timer()
        .count();
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  private void refuse(String token, Reason expected) {
    assertThatThrownBy(() -> validator.validate(token))
        .isInstanceOfSatisfying(
            JwtValidationException.class, e -> assertThat(e.reason()).isEqualTo(expected));
  }

  @Test
  void validate_countsEachOutcomeByReasonAndTimesIt() {
    validator.validate(idp.validToken());
    validator.validate(idp.validToken());
    refuse(idp.expiredToken(), Reason.EXPIRED);
    refuse(idp.wrongAudienceToken(), Reason.AUDIENCE_MISMATCH);
    refuse(idp.unsignedToken(), Reason.ALGORITHM_NOT_ALLOWED);
    refuse(idp.expiredToken(), Reason.EXPIRED);

    assertThat(validations("accepted", "none")).isEqualTo(2.0);
    assertThat(validations("refused", "EXPIRED")).isEqualTo(2.0);
    assertThat(validations("refused", "AUDIENCE_MISMATCH")).isEqualTo(1.0);
    assertThat(validations("refused", "ALGORITHM_NOT_ALLOWED")).isEqualTo(1.0);
    assertThat(validations("refused", "BAD_SIGNATURE")).isZero();
    assertThat(validationTimes("accepted")).isEqualTo(2);
    assertThat(validationTimes("refused")).isEqualTo(4);
    assertThat(
            registry
                .get("tollgate.validation.duration")
                .tag("outcome", "accepted")
                .timer()
                .totalTime(java.util.concurrent.TimeUnit.NANOSECONDS))
        .isPositive();
  }

  @Test
  void keySet_ageGaugeFollowsTheKeySourceClock() {
    assertThat(gauge("tollgate.keys.age")).isNaN();

    validator.validate(idp.validToken());
    assertThat(gauge("tollgate.keys.age")).isZero();
    assertThat(gauge("tollgate.keys.count")).isEqualTo(1.0);
    assertThat(refreshes("success", "none")).isEqualTo(1);

    keyClock.advance(Duration.ofSeconds(90));
    assertThat(gauge("tollgate.keys.age")).isEqualTo(90.0);
    assertThat(keys.keySetAge()).hasValue(Duration.ofSeconds(90));
  }

  @Test
  void keySet_rotationAndOutageCountedByOutcome() {
    validator.validate(idp.validToken());

    TestIssuer rotated = idp.rotate();
    server.publish(rotated);
    validator.validate(rotated.validToken());
    assertThat(
            registry
                .get("tollgate.keys.unknown.kid")
                .tag("outcome", "FOUND_AFTER_REFRESH")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(refreshes("success", "none")).isEqualTo(2);
    assertThat(gauge("tollgate.keys.count")).isEqualTo(2.0);

    // The provider goes down and the cached set expires: the old keys keep serving, and the failed
    // refresh is counted by its cause.
    server.refuseConnections();
    keyClock.advance(Duration.ofMinutes(6));
    validator.validate(rotated.validToken());
    TestIssuer next = rotated.rotate();
    refuse(next.validToken(), Reason.KEYS_UNAVAILABLE);
    assertThat(refreshes("failure", "CONNECTION")).isGreaterThanOrEqualTo(1);
    assertThat(gauge("tollgate.keys.age")).isGreaterThanOrEqualTo(360.0);
  }
}
