package dev.tollgate.internal;

/**
 * A JSON text was refused by {@link Json}.
 *
 * <p>The message says what was wrong and at which byte offset (counted from the start of the parsed
 * slice); it never contains any text of the input, which is attacker-controlled and may be a
 * secret. The exception has no stack trace and no suppressed exceptions: it is cheap to create, as
 * refusals are as frequent as successes.
 */
public final class JsonException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates a refusal.
   *
   * @param message what was wrong and where; must not contain input text
   */
  JsonException(String message) {
    super(message, null, false, false);
  }
}
