package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.testing.TestIssuer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class ValidationEventsTest {
  private final TestIssuer issuer = TestIssuer.create(Algorithm.ES256);

  /** Records "accepted" or the reason of each outcome. */
  private static final class Recorder implements ValidationEvents {
    final List<String> outcomes = new ArrayList<>();
    final List<Duration> took = new ArrayList<>();

    @Override
    public void accepted(Duration took) {
      outcomes.add("accepted");
      this.took.add(took);
    }

    @Override
    public void refused(Reason reason, Duration took) {
      outcomes.add(reason.name());
      this.took.add(took);
    }
  }

  @Test
  void listener_hearsEveryOutcomeWithItsLatency() {
    Recorder events = new Recorder();
    JwtValidator validator = issuer.validatorBuilder().listener(events).build();

    validator.validate(issuer.validToken());
    assertThatThrownBy(() -> validator.validate(issuer.expiredToken()))
        .isInstanceOf(JwtValidationException.class);
    assertThatThrownBy(() -> validator.validate(issuer.unsignedToken()))
        .isInstanceOf(JwtValidationException.class);
    assertThatThrownBy(() -> validator.validate(null)).isInstanceOf(NullPointerException.class);

    assertThat(events.outcomes).containsExactly("accepted", "EXPIRED", "ALGORITHM_NOT_ALLOWED");
    assertThat(events.took)
        .allSatisfy(d -> assertThat(d).isPositive().isLessThan(Duration.ofMinutes(1)));
  }

  @Test
  void listenerThatThrows_neverChangesTheOutcome() {
    ValidationEvents broken =
        new ValidationEvents() {
          @Override
          public void accepted(Duration took) {
            throw new IllegalStateException("boom");
          }

          @Override
          public void refused(Reason reason, Duration took) {
            throw new IllegalStateException("boom");
          }
        };
    JwtValidator validator = issuer.validatorBuilder().listener(broken).build();
    long warningsBefore = listenerWarnings();
    assertThat(validator.validate(issuer.validToken()).subject()).isPresent();
    assertThatThrownBy(() -> validator.validate(issuer.expiredToken()))
        .isInstanceOfSatisfying(
            JwtValidationException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED));
    assertThat(validator.validate(issuer.validToken()).subject()).isPresent();

    assertThat(listenerWarnings() - warningsBefore)
        .as("the first failure of a listener is logged, later ones are not")
        .isEqualTo(1);
  }

  private static long listenerWarnings() {
    return dev.tollgate.leaks.CapturedLogs.lines().stream()
        .filter(l -> l.contains("A ValidationEvents listener threw"))
        .count();
  }

  @Test
  void listener_setOnce() {
    JwtValidator.Builder b = issuer.validatorBuilder().listener(new ValidationEvents() {});
    assertThatThrownBy(() -> b.listener(new ValidationEvents() {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("listener");
    assertThatThrownBy(() -> issuer.validatorBuilder().listener(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("listener");
  }

  @Test
  void javadocExample_countsRefusalsPerReason() {
    Map<Reason, LongAdder> refusals = new ConcurrentHashMap<>();
    ValidationEvents events =
        new ValidationEvents() {
          @Override
          public void refused(Reason reason, Duration took) {
            refusals.computeIfAbsent(reason, r -> new LongAdder()).increment();
          }
        };
    JwtValidator validator = issuer.validatorBuilder().listener(events).build();
    assertThatThrownBy(() -> validator.validate(issuer.wrongAudienceToken()))
        .isInstanceOf(JwtValidationException.class);
    assertThat(refusals.get(Reason.AUDIENCE_MISMATCH).sum()).isEqualTo(1);
  }
}
