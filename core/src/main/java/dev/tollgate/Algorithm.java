package dev.tollgate;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A JWS signature algorithm (RFC 7518, RFC 8037, RFC 9864) that a validator may allow.
 *
 * <p>There is no {@code none}: an unsigned token cannot be allowed. Each algorithm is bound to one
 * kind of key, and a token is verified only with a key of that kind: RSA keys for {@code RS*} and
 * {@code PS*}, an EC key on the named curve for {@code ES*}, an Edwards-curve key for {@code
 * EdDSA}, {@code Ed25519} and {@code Ed448}, and a secret of at least the hash size for {@code
 * HS*}.
 *
 * @since 0.1.0
 */
public enum Algorithm {
  /** RSASSA-PKCS1-v1_5 with SHA-256. */
  RS256("RS256"),
  /** RSASSA-PKCS1-v1_5 with SHA-384. */
  RS384("RS384"),
  /** RSASSA-PKCS1-v1_5 with SHA-512. */
  RS512("RS512"),
  /** RSASSA-PSS with SHA-256, MGF1 with SHA-256 and a 32-byte salt. */
  PS256("PS256"),
  /** RSASSA-PSS with SHA-384, MGF1 with SHA-384 and a 48-byte salt. */
  PS384("PS384"),
  /** RSASSA-PSS with SHA-512, MGF1 with SHA-512 and a 64-byte salt. */
  PS512("PS512"),
  /** ECDSA on P-256 with SHA-256. */
  ES256("ES256"),
  /** ECDSA on P-384 with SHA-384. */
  ES384("ES384"),
  /** ECDSA on P-521 with SHA-512. */
  ES512("ES512"),
  /** EdDSA (RFC 8037) with an Ed25519 or Ed448 key; the key decides the curve. */
  EdDSA("EdDSA"),
  /** EdDSA with an Ed25519 key only (RFC 9864, fully specified). */
  Ed25519("Ed25519"),
  /** EdDSA with an Ed448 key only (RFC 9864, fully specified). */
  Ed448("Ed448"),
  /** HMAC with SHA-256; the secret must have at least 256 bits. */
  HS256("HS256"),
  /** HMAC with SHA-384; the secret must have at least 384 bits. */
  HS384("HS384"),
  /** HMAC with SHA-512; the secret must have at least 512 bits. */
  HS512("HS512");

  private final String jwaName;

  Algorithm(String jwaName) {
    this.jwaName = jwaName;
  }

  /**
   * Returns the name of this algorithm as it appears in a JWS {@code alg} header.
   *
   * @return the JWA name, for example {@code "RS256"}
   * @since 0.1.0
   */
  public String jwaName() {
    return jwaName;
  }

  /**
   * Finds the algorithm with this exact, case-sensitive JWA name.
   *
   * @param name a JWA name, for example {@code "ES256"}
   * @return the algorithm, or empty when Tollgate supports no algorithm of that name ({@code none}
   *     among them)
   * @throws NullPointerException if {@code name} is null
   * @since 0.1.0
   */
  public static Optional<Algorithm> fromJwaName(String name) {
    return Optional.ofNullable(byJwaName(Objects.requireNonNull(name, "name")));
  }

  /** Like {@link #fromJwaName(String)}, without allocating: for the hot path. */
  static @Nullable Algorithm byJwaName(String name) {
    return switch (name) {
      case "RS256" -> RS256;
      case "RS384" -> RS384;
      case "RS512" -> RS512;
      case "PS256" -> PS256;
      case "PS384" -> PS384;
      case "PS512" -> PS512;
      case "ES256" -> ES256;
      case "ES384" -> ES384;
      case "ES512" -> ES512;
      case "EdDSA" -> EdDSA;
      case "Ed25519" -> Ed25519;
      case "Ed448" -> Ed448;
      case "HS256" -> HS256;
      case "HS384" -> HS384;
      case "HS512" -> HS512;
      default -> null;
    };
  }
}
