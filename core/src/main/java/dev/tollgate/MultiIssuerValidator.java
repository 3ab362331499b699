package dev.tollgate;

import dev.tollgate.internal.Base64Url;
import dev.tollgate.internal.Json;
import dev.tollgate.internal.JsonException;
import dev.tollgate.internal.JsonMembers;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Validates tokens from several issuers, each with its own {@link JwtValidator} (its own keys,
 * audiences and rules): a token goes to the validator of its issuer, among an explicit list, and is
 * validated fully there.
 *
 * <pre>{@code
 * MultiIssuerValidator validator =
 *     MultiIssuerValidator.builder()
 *         .issuer("https://login.partner-a.example/", partnerA)
 *         .issuer("https://login.partner-b.example/", partnerB)
 *         .build();
 * VerifiedJwt jwt = validator.validate(token); // or JwtValidationException
 * }</pre>
 *
 * <p>To choose the validator, the token's {@code iss} claim is read before its signature is
 * verified, with the same strict, bounded reader as the validators use (the token must be a compact
 * JWS no longer than the longest that one of the validators accepts, and its claims a strict JSON
 * object). That value only routes: the chosen validator then checks the token from the start,
 * signature and issuer included. A token whose {@code iss} is not in the list is refused with
 * {@link Reason#ISSUER_MISMATCH} before any key is looked up, so it never makes a key source fetch
 * anything.
 *
 * <p>Refusals while routing: {@link Reason#TOO_LARGE}, {@link Reason#MALFORMED} (not three
 * base64url segments, or claims that are not a strict JSON object), {@link Reason#MISSING_CLAIM}
 * (no {@code iss}), {@link Reason#CLAIM_INVALID} ({@code iss} not a string) and {@link
 * Reason#ISSUER_MISMATCH}. They are not reported to the validators' {@link ValidationEvents}.
 *
 * <p>Immutable and thread-safe.
 *
 * <p><b>Security:</b> never add an issuer taken from a token or from anywhere a caller controls:
 * the list is what makes this safe.
 *
 * @since 0.1.0
 */
public final class MultiIssuerValidator {
  private final Map<String, JwtValidator> byIssuer;
  private final int maxTokenLength;

  private MultiIssuerValidator(Map<String, JwtValidator> byIssuer) {
    this.byIssuer = Collections.unmodifiableMap(new LinkedHashMap<>(byIssuer));
    int longest = 0;
    for (JwtValidator v : byIssuer.values()) {
      longest = Math.max(longest, v.maxTokenLength());
    }
    this.maxTokenLength = longest;
  }

  /**
   * Starts configuring a validator for several issuers; at least one issuer must be given.
   *
   * @return a new builder
   * @since 0.1.0
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Validates a token with the validator of its issuer.
   *
   * @param token a compact JWS
   * @return the verified token
   * @throws JwtValidationException if the token names no configured issuer ({@code
   *     ISSUER_MISMATCH}), cannot be read to route it, or is refused by its issuer's validator; its
   *     {@link JwtValidationException#reason()} says why
   * @throws NullPointerException if {@code token} is null
   * @since 0.1.0
   */
  public VerifiedJwt validate(String token) {
    Objects.requireNonNull(token, "token");
    String issuer = untrustedIssuer(token);
    JwtValidator validator = byIssuer.get(issuer);
    if (validator == null) {
      throw refuse(Reason.ISSUER_MISMATCH, token);
    }
    return validator.validate(token);
  }

  /**
   * Reads the {@code iss} claim of a token without verifying anything: for routing only.
   *
   * @throws JwtValidationException if the token cannot be read, or has no string {@code iss}
   */
  private String untrustedIssuer(String token) {
    if (token.length() > maxTokenLength) {
      throw refuse(Reason.TOO_LARGE, token);
    }
    int dot1 = token.indexOf('.');
    int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    if (dot1 <= 0 || dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) {
      throw refuse(Reason.MALFORMED, token);
    }
    int payloadChars = dot2 - dot1 - 1;
    int payloadLength = Base64Url.decodedLength(payloadChars);
    byte[] payload = new byte[Math.max(0, payloadLength)];
    if (payloadLength < 0 || Base64Url.decode(token, dot1 + 1, payloadChars, payload) < 0) {
      throw refuse(Reason.MALFORMED, token);
    }
    JsonMembers claims = new JsonMembers();
    try {
      Json.index(payload, 0, payload.length, JwtValidator.CLAIMS_MAX_DEPTH, claims);
    } catch (JsonException e) {
      throw refuse(Reason.MALFORMED, token);
    }
    int iss = claims.member(JsonMembers.ISS);
    if (iss < 0 || claims.kind(iss) == JsonMembers.NULL) {
      throw refuse(Reason.MISSING_CLAIM, token);
    }
    if (!claims.isString(iss)) {
      throw refuse(Reason.CLAIM_INVALID, token);
    }
    return claims.string(iss);
  }

  private static JwtValidationException refuse(Reason reason, String token) {
    return new JwtValidationException(reason, token, null);
  }

  /**
   * Returns the configured issuers, in the order they were given.
   *
   * @return an unmodifiable set
   * @since 0.1.0
   */
  public Set<String> issuers() {
    return byIssuer.keySet();
  }

  /**
   * Describes the validator by its issuers and their validators, without keys or secrets.
   *
   * @return a description safe to log
   */
  @Override
  public String toString() {
    return "MultiIssuerValidator" + byIssuer;
  }

  /**
   * Configures a {@link MultiIssuerValidator}. Each issuer may be given once. Not thread-safe; the
   * validator it builds is.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final Map<String, JwtValidator> byIssuer = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Routes tokens whose {@code iss} equals {@code issuer} exactly to {@code validator}. The
     * validator must accept this issuer itself (its {@link JwtValidator.Builder#issuer(String,
     * String...) issuer} option), so that its own check still applies.
     *
     * @param issuer an issuer, exactly as tokens carry it
     * @param validator the validator for its tokens
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code issuer} is empty or {@code validator} does not
     *     accept it
     * @throws IllegalStateException if this issuer was already given
     * @since 0.1.0
     */
    public Builder issuer(String issuer, JwtValidator validator) {
      Objects.requireNonNull(issuer, "issuer");
      Objects.requireNonNull(validator, "validator");
      if (issuer.isEmpty()) {
        throw new IllegalArgumentException("issuer must not be empty");
      }
      if (byIssuer.containsKey(issuer)) {
        throw new IllegalStateException("issuer \"" + issuer + "\" was already given");
      }
      if (!validator.acceptsIssuer(issuer)) {
        throw new IllegalArgumentException(
            "the validator for \"" + issuer + "\" does not accept that issuer: " + validator);
      }
      byIssuer.put(issuer, validator);
      return this;
    }

    /**
     * Builds the validator.
     *
     * @return an immutable, thread-safe validator, unaffected by later calls on this builder
     * @throws IllegalStateException if no issuer was given
     * @since 0.1.0
     */
    public MultiIssuerValidator build() {
      if (byIssuer.isEmpty()) {
        throw new IllegalStateException("issuer(...) is required: name at least one issuer");
      }
      return new MultiIssuerValidator(byIssuer);
    }
  }
}
