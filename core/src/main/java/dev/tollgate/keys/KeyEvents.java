package dev.tollgate.keys;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Receives what a {@link RemoteJwks} does, so that its health can be wired to a metrics library
 * (Micrometer, OpenTelemetry, ...) without Tollgate depending on one. Every method has an empty
 * default: implement the ones you count.
 *
 * <pre>{@code
 * AtomicInteger failures = new AtomicInteger();
 * KeyEvents events =
 *     new KeyEvents() {
 *       @Override
 *       public void refreshFailed(
 *           URI source, Failure failure, Duration took, Optional<Duration> keySetAge) {
 *         failures.incrementAndGet();
 *       }
 *     };
 * }</pre>
 *
 * <p>Methods are called on the thread that did the work: an HTTP client thread for refreshes, a
 * request thread for key-id lookups. They must be thread-safe and fast, and should not throw (an
 * exception is logged once and otherwise ignored). No argument ever holds a token, a key id taken
 * from a token, or key material, so every value is safe to use as a metric tag.
 *
 * @since 0.1.0
 */
public interface KeyEvents {
  /**
   * Called after a key set was fetched and installed.
   *
   * @param source the JWKS URI the keys came from
   * @param keyCount how many usable keys the set holds (skipped keys are not counted)
   * @param took how long the refresh took, discovery and redirects included
   * @since 0.1.0
   */
  default void refreshed(URI source, int keyCount, Duration took) {}

  /**
   * Called after a refresh failed; the key set being served, if any, stays in place.
   *
   * @param source the URI that was being read: the JWKS URI, or the metadata URI during discovery
   * @param failure why it failed
   * @param took how long the attempt took
   * @param keySetAge the age of the key set that keeps serving, or empty when there is none
   * @since 0.1.0
   */
  default void refreshFailed(
      URI source, Failure failure, Duration took, Optional<Duration> keySetAge) {}

  /**
   * Called when a token names a key id that the current key set does not have.
   *
   * @param outcome what was done about it
   * @since 0.1.0
   */
  default void unknownKeyId(UnknownKeyId outcome) {}

  /**
   * Why a refresh failed. This enum only grows.
   *
   * @since 0.1.0
   */
  enum Failure {
    /** The connection could not be made or broke (refused, reset, TLS failure, DNS). */
    CONNECTION,
    /** No complete answer came within the connect and read timeouts. */
    TIMEOUT,
    /** The server answered with a status other than 200. */
    HTTP_STATUS,
    /** The server redirected to another scheme, host or port, or more than three times. */
    REDIRECT,
    /** The response was larger than the configured maximum. */
    TOO_LARGE,
    /** The response was not a JSON Web Key Set (HTML, invalid JSON, no or an empty keys array). */
    NOT_A_KEY_SET,
    /** The response was a key set, but every key in it was skipped as unusable. */
    NO_USABLE_KEY,
    /**
     * The discovery metadata was unusable: not JSON, another {@code issuer}, or a missing or
     * refused {@code jwks_uri}.
     */
    DISCOVERY
  }

  /**
   * What happened to a lookup of a key id that the current key set does not have. This enum only
   * grows.
   *
   * @since 0.1.0
   */
  enum UnknownKeyId {
    /** The key set was refreshed and then had the key: a rotation was picked up. */
    FOUND_AFTER_REFRESH,
    /** The key set was refreshed and still lacks the key. */
    NOT_FOUND_AFTER_REFRESH,
    /** The key id was looked up and missing moments ago; no refresh was tried. */
    NOT_FOUND_RECENTLY_CHECKED,
    /** The unknown-key-id refresh is cooling down; no refresh was tried. */
    NOT_FOUND_COOLING_DOWN,
    /** A refresh was tried for it and failed. */
    REFRESH_FAILED
  }
}
