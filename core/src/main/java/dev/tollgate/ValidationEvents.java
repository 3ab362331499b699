package dev.tollgate;

import java.time.Duration;

/**
 * Receives the outcome of every {@link JwtValidator#validate(String)} call with its latency, so
 * that validation can be wired to a metrics library (Micrometer, OpenTelemetry, ...) without
 * Tollgate depending on one. Both methods have an empty default.
 *
 * <pre>{@code
 * Map<Reason, LongAdder> refusals = new ConcurrentHashMap<>();
 * ValidationEvents events =
 *     new ValidationEvents() {
 *       @Override
 *       public void refused(Reason reason, Duration took) {
 *         refusals.computeIfAbsent(reason, r -> new LongAdder()).increment();
 *       }
 *     };
 * JwtValidator validator = issuer.validatorBuilder().listener(events).build();
 * }</pre>
 *
 * <p>Methods are called on the validating thread, after the outcome is decided: they must be
 * thread-safe and fast, and should not throw (an exception is logged once and otherwise ignored; it
 * never changes the outcome). No argument holds token data, so a {@link Reason} is safe to use as a
 * metric tag.
 *
 * @since 0.1.0
 */
public interface ValidationEvents {
  /**
   * Called after a token was accepted.
   *
   * @param took how long the validation took
   * @since 0.1.0
   */
  default void accepted(Duration took) {}

  /**
   * Called after a token was refused.
   *
   * @param reason why it was refused
   * @param took how long the validation took
   * @since 0.1.0
   */
  default void refused(Reason reason, Duration took) {}
}
