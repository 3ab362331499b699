package dev.tollgate.examples;

import dev.tollgate.Reason;
import dev.tollgate.ValidationEvents;
import dev.tollgate.keys.KeyEvents;
import dev.tollgate.keys.RemoteJwks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tollgate's listeners wired to Micrometer: one object that is both the validator's {@link
 * ValidationEvents} and the key source's {@link KeyEvents}. Tollgate itself depends on no metrics
 * library; this class is all it takes.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>meter</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@code tollgate.validations}</td><td>counter</td>
 *       <td>{@code outcome} (accepted, refused), {@code reason} (a {@link Reason} name, or none)</td></tr>
 *   <tr><td>{@code tollgate.validation.duration}</td><td>timer</td>
 *       <td>{@code outcome}</td></tr>
 *   <tr><td>{@code tollgate.keys.refreshes}</td><td>timer</td>
 *       <td>{@code outcome} (success, failure), {@code failure} (a {@link KeyEvents.Failure}
 *       name, or none)</td></tr>
 *   <tr><td>{@code tollgate.keys.count}</td><td>gauge</td><td>keys in the last fetched set</td></tr>
 *   <tr><td>{@code tollgate.keys.age}</td><td>gauge, seconds</td>
 *       <td>age of the key set being served, NaN before the first ({@link #watch(RemoteJwks)})</td></tr>
 *   <tr><td>{@code tollgate.keys.unknown.kid}</td><td>counter</td>
 *       <td>{@code outcome} (a {@link KeyEvents.UnknownKeyId} name)</td></tr>
 * </table>
 *
 * <p>Every meter is registered up front, so the listener methods, which run on every request, only
 * increment: no lookup, no allocation. Tag values come from Tollgate's enums, never from a token,
 * so cardinality is fixed. For several key sources or validators, make one instance each and tell
 * them apart with a registry of their own or common tags.
 */
public final class MicrometerMetrics implements ValidationEvents, KeyEvents {
  private static final String NONE = "none";

  private final Counter accepted;
  private final Map<Reason, Counter> refused = new EnumMap<>(Reason.class);
  private final Timer acceptedTime;
  private final Timer refusedTime;
  private final Timer refreshSucceeded;
  private final Map<Failure, Timer> refreshFailed = new EnumMap<>(Failure.class);
  private final Map<UnknownKeyId, Counter> unknownKid = new EnumMap<>(UnknownKeyId.class);
  private final AtomicInteger keyCount;
  private final MeterRegistry registry;

  /**
   * Registers the meters.
   *
   * @param registry where the meters live
   */
  public MicrometerMetrics(MeterRegistry registry) {
    this.registry = registry;
    // metrics: register
    accepted = validations(registry, "accepted", NONE);
    for (Reason reason : Reason.values()) {
      refused.put(reason, validations(registry, "refused", reason.name()));
    }
    acceptedTime = validationTime(registry, "accepted");
    refusedTime = validationTime(registry, "refused");
    // end
    refreshSucceeded = refreshes(registry, "success", NONE);
    for (Failure failure : Failure.values()) {
      refreshFailed.put(failure, refreshes(registry, "failure", failure.name()));
    }
    for (UnknownKeyId outcome : UnknownKeyId.values()) {
      unknownKid.put(
          outcome,
          Counter.builder("tollgate.keys.unknown.kid")
              .description("Tokens whose key id the key set lacked, by what was done about it")
              .tag("outcome", outcome.name())
              .register(registry));
    }
    keyCount = new AtomicInteger();
    Gauge.builder("tollgate.keys.count", keyCount, AtomicInteger::doubleValue)
        .description("Usable keys in the last key set fetched")
        .strongReference(true)
        .register(registry);
  }

  private static Counter validations(MeterRegistry registry, String outcome, String reason) {
    return Counter.builder("tollgate.validations")
        .description("Tokens validated, by outcome and refusal reason")
        .tag("outcome", outcome)
        .tag("reason", reason)
        .register(registry);
  }

  private static Timer validationTime(MeterRegistry registry, String outcome) {
    return Timer.builder("tollgate.validation.duration")
        .description("Time to validate a token, key lookup included")
        .tag("outcome", outcome)
        .register(registry);
  }

  private static Timer refreshes(MeterRegistry registry, String outcome, String failure) {
    return Timer.builder("tollgate.keys.refreshes")
        .description("Fetches of the remote key set, discovery included")
        .tag("outcome", outcome)
        .tag("failure", failure)
        .register(registry);
  }

  /**
   * Adds the gauge of the key set's age for a key source built with this object as its listener.
   * The source is held weakly, as Micrometer holds gauge objects.
   *
   * @param keys the key source
   * @return this object
   */
  public MicrometerMetrics watch(RemoteJwks keys) {
    Gauge.builder("tollgate.keys.age", keys, MicrometerMetrics::ageSeconds)
        .description("Age of the key set being served; NaN before the first one")
        .baseUnit("seconds")
        .register(registry);
    return this;
  }

  private static double ageSeconds(RemoteJwks keys) {
    return keys.keySetAge().map(age -> age.toMillis() / 1000.0).orElse(Double.NaN);
  }

  // metrics: validation events
  @Override
  public void accepted(Duration took) {
    accepted.increment();
    acceptedTime.record(took);
  }

  @Override
  public void refused(Reason reason, Duration took) {
    refused.get(reason).increment();
    refusedTime.record(took);
  }

  // end

  @Override
  public void refreshed(URI source, int keyCount, Duration took) {
    this.keyCount.set(keyCount);
    refreshSucceeded.record(took);
  }

  @Override
  public void refreshFailed(
      URI source, Failure failure, Duration took, Optional<Duration> keySetAge) {
    refreshFailed.get(failure).record(took);
  }

  @Override
  public void unknownKeyId(UnknownKeyId outcome) {
    unknownKid.get(outcome).increment();
  }

  /**
   * Describes the counts so far in one line, for the demo.
   *
   * @return for example {@code 5 accepted, 3 refused; key set fetched 2 times, 0 failed}
   */
  public String summary() {
    long refusals = 0;
    for (Counter c : refused.values()) {
      refusals += (long) c.count();
    }
    long failures = 0;
    for (Timer t : refreshFailed.values()) {
      failures += t.count();
    }
    return String.format(
        Locale.ROOT,
        "%d accepted, %d refused; key set fetched %d times, %d failed",
        (long) accepted.count(),
        refusals,
        refreshSucceeded.count(),
        failures);
  }

  /**
   * Lists the reasons of the refusals so far with their counts, for the demo.
   *
   * @return for example {@code EXPIRED 1, BAD_SIGNATURE 2}, or {@code none}
   */
  public String refusalsByReason() {
    StringJoiner reasons = new StringJoiner(", ");
    reasons.setEmptyValue(NONE);
    for (Map.Entry<Reason, Counter> e : refused.entrySet()) {
      long n = (long) e.getValue().count();
      if (n > 0) {
        reasons.add(e.getKey() + " " + n);
      }
    }
    return reasons.toString();
  }
}
