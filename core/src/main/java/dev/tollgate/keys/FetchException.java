package dev.tollgate.keys;

/**
 * Why one refresh of a {@link RemoteJwks} failed: a category for events and a detail for the log.
 * The detail names what went wrong, never key material or response text beyond a status code or a
 * sanitized issuer. Thrown inside future chains, so it carries no stack trace.
 */
final class FetchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final KeyEvents.Failure failure;

  FetchException(KeyEvents.Failure failure, String detail) {
    super(detail, null, false, false);
    this.failure = failure;
  }

  KeyEvents.Failure failure() {
    return failure;
  }
}
