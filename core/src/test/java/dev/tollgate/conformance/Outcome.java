package dev.tollgate.conformance;

import dev.tollgate.JwtValidationException;
import dev.tollgate.Reason;
import org.jspecify.annotations.Nullable;

/**
 * What Tollgate did with one vector: accepted it, refused it in a documented way (an {@link
 * IllegalArgumentException} when the key is loaded, or a {@link JwtValidationException} when the
 * token is checked), or threw something else, which is always a bug.
 */
final class Outcome {
  enum Kind {
    ACCEPTED,
    REFUSED_AT_LOAD,
    REFUSED,
    UNEXPECTED
  }

  private final Kind kind;
  private final @Nullable Reason reason;
  private final @Nullable Throwable error;

  private Outcome(Kind kind, @Nullable Reason reason, @Nullable Throwable error) {
    this.kind = kind;
    this.reason = reason;
    this.error = error;
  }

  static Outcome accepted() {
    return new Outcome(Kind.ACCEPTED, null, null);
  }

  static Outcome refused(JwtValidationException e) {
    return new Outcome(Kind.REFUSED, e.reason(), e);
  }

  static Outcome refusedAtLoad(IllegalArgumentException e) {
    return new Outcome(Kind.REFUSED_AT_LOAD, null, e);
  }

  /**
   * Classifies an exception: exactly {@link IllegalArgumentException} (not a subclass such as
   * {@link NumberFormatException}, which would be a parser's failure leaking through) is a refusal
   * at load; anything else is unexpected.
   */
  static Outcome fromLoadFailure(RuntimeException e) {
    if (e.getClass() == IllegalArgumentException.class) {
      return refusedAtLoad((IllegalArgumentException) e);
    }
    return unexpected(e);
  }

  static Outcome unexpected(Throwable e) {
    return new Outcome(Kind.UNEXPECTED, null, e);
  }

  Kind kind() {
    return kind;
  }

  boolean isAccepted() {
    return kind == Kind.ACCEPTED;
  }

  boolean isUnexpected() {
    return kind == Kind.UNEXPECTED;
  }

  @Nullable Reason reason() {
    return reason;
  }

  @Nullable Throwable error() {
    return error;
  }

  /** Whether the outcome is the documented one for a case that should (or should not) pass. */
  boolean conforms(boolean expectAccepted) {
    return !isUnexpected() && isAccepted() == expectAccepted;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case ACCEPTED -> "accepted";
      case REFUSED_AT_LOAD -> "refused at key load (" + message() + ")";
      case REFUSED -> "refused with " + reason;
      case UNEXPECTED -> {
        Throwable e = error;
        yield "unexpected " + (e == null ? "?" : e.getClass().getName()) + ": " + message();
      }
    };
  }

  private String message() {
    Throwable e = error;
    return e == null ? "" : String.valueOf(e.getMessage());
  }
}
