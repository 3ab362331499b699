package dev.tollgate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a token is refused. It says why in a stable {@link Reason} code.
 *
 * <p>The message is the fixed {@link Reason#description() description} of the reason: it is safe to
 * log and to return to a client, because it never contains the token, a signature, a key or a claim
 * value. To correlate log lines without logging the token, use {@link #tokenFingerprint()}.
 *
 * <p>Refusals are part of normal operation, so this exception carries no stack trace.
 *
 * @since 0.1.0
 */
public final class JwtValidationException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final Reason reason;
  // Kept only to compute the fingerprint on demand, never serialized, never printed.
  private final transient @Nullable String token;
  private transient volatile @Nullable String fingerprint;

  /**
   * Creates a refusal for a reason, without a token (for use by a {@link
   * dev.tollgate.keys.KeyResolver} that cannot supply keys).
   *
   * @param reason why the token is refused
   * @throws NullPointerException if {@code reason} is null
   * @since 0.1.0
   */
  public JwtValidationException(Reason reason) {
    this(reason, null, null);
  }

  /**
   * Creates a refusal for a reason, without a token, with the cause that led to it. The cause must
   * not carry a token or key material in its message.
   *
   * @param reason why the token is refused
   * @param cause the failure behind the refusal, for example an I/O error of a key source
   * @throws NullPointerException if {@code reason} or {@code cause} is null
   * @since 0.1.0
   */
  public JwtValidationException(Reason reason, Throwable cause) {
    this(reason, null, Objects.requireNonNull(cause, "cause"));
  }

  JwtValidationException(Reason reason, @Nullable String token, @Nullable Throwable cause) {
    super(Objects.requireNonNull(reason, "reason").description(), cause, false, false);
    this.reason = reason;
    this.token = token;
  }

  /**
   * Returns why the token was refused.
   *
   * @return the reason code
   * @since 0.1.0
   */
  public Reason reason() {
    return reason;
  }

  /**
   * Returns a short fingerprint of the refused token: the first 8 hex digits of its SHA-256.
   *
   * <p>It lets log lines about one token be correlated without logging the token; 32 bits of a hash
   * reveal nothing usable about it. The fingerprint is computed on first call.
   *
   * @return 8 lowercase hex digits, or {@code "-"} when the refusal is not about a given token
   * @since 0.1.0
   */
  public String tokenFingerprint() {
    String fp = fingerprint;
    if (fp == null) {
      fp = token == null ? "-" : fingerprintOf(token);
      fingerprint = fp;
    }
    return fp;
  }

  /**
   * Computes the fingerprint of a token: the first 8 hex digits of the SHA-256 of its characters
   * (UTF-8).
   *
   * @param token a token
   * @return 8 lowercase hex digits
   * @throws NullPointerException if {@code token} is null
   * @since 0.1.0
   */
  public static String fingerprintOf(String token) {
    Objects.requireNonNull(token, "token");
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
    byte[] digest = sha256.digest(token.getBytes(StandardCharsets.UTF_8));
    char[] out = new char[8];
    for (int i = 0; i < 4; i++) {
      out[2 * i] = HEX[(digest[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[digest[i] & 0xf];
    }
    return new String(out);
  }
}
