package dev.tollgate;

/**
 * Why a token was refused: a stable code, safe to log, to count and to return to a client.
 *
 * <p>This enum only grows: constants are never renamed or removed. Each has a fixed {@link
 * #description()} that never contains data from the token.
 *
 * @since 0.1.0
 */
public enum Reason {
  /**
   * The token is not a compact JWS of three base64url segments, or its header or claims are not a
   * strict JSON object (invalid JSON, duplicate member names, too deep), or a header member has the
   * wrong type.
   */
  MALFORMED("the token is malformed"),
  /** The token is longer than the configured maximum length; nothing else was read. */
  TOO_LARGE("the token is too large"),
  /** The header's {@code alg} is not one of the configured algorithms (or is not an algorithm). */
  ALGORITHM_NOT_ALLOWED("the token's algorithm is not allowed"),
  /** The header's {@code typ} is not the configured token type, or is not an accepted type. */
  TYPE_MISMATCH("the token's type is not accepted"),
  /**
   * The header lists critical extensions ({@code crit}) that are not understood, or asks for an
   * unencoded payload ({@code b64: false}, RFC 7797).
   */
  UNSUPPORTED_CRITICAL_HEADER("the token requires an unsupported header extension"),
  /** No trusted key matches the token's key id and algorithm. */
  KEY_NOT_FOUND("no trusted key matches the token"),
  /** The source of trusted keys cannot be reached or gave nothing usable; retry later. */
  KEYS_UNAVAILABLE("the trusted keys are unavailable"),
  /** The matching key is weaker than the configured minimum and is never used to verify. */
  WEAK_KEY("the matching key is too weak"),
  /** The signature does not verify with any matching trusted key. */
  BAD_SIGNATURE("the token's signature is invalid"),
  /** The token has expired ({@code exp} is not after now, allowing for the clock skew). */
  EXPIRED("the token has expired"),
  /** The token is not valid yet: its {@code nbf} or {@code iat} is in the future. */
  NOT_YET_VALID("the token is not valid yet"),
  /** The token was issued ({@code iat}) longer ago than the configured maximum token age. */
  TOO_OLD("the token is too old"),
  /** The {@code iss} claim is not one of the configured issuers. */
  ISSUER_MISMATCH("the token's issuer is not accepted"),
  /** The {@code aud} claim names none of the configured audiences. */
  AUDIENCE_MISMATCH("the token's audience is not accepted"),
  /** A required claim is missing (or {@code null}). */
  MISSING_CLAIM("the token lacks a required claim"),
  /**
   * A claim has the wrong JSON type or an impossible value (for example a string {@code exp}), or a
   * configured claim check refused it.
   */
  CLAIM_INVALID("a claim of the token is invalid");

  private final String description;

  Reason(String description) {
    this.description = description;
  }

  /**
   * Returns the fixed, human-readable description of this reason; it is the message of every {@link
   * JwtValidationException} with this reason.
   *
   * @return a short lowercase phrase, safe to log and to return to a client
   * @since 0.1.0
   */
  public String description() {
    return description;
  }
}
