package dev.tollgate;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The parts of a token's JOSE header that a {@link dev.tollgate.keys.KeyResolver} may use to pick
 * keys. It is handed over only after the algorithm passed the allow-list and the header passed its
 * checks, but before the signature is verified: every value is still attacker input.
 *
 * @since 0.1.0
 */
public final class JwsHeader {
  private final Algorithm algorithm;
  private final @Nullable String keyId;
  private final @Nullable String type;
  // Made once: resolvers ask for them on every validation.
  private final Optional<String> keyIdOptional;
  private final Optional<String> typeOptional;

  JwsHeader(Algorithm algorithm, @Nullable String keyId, @Nullable String type) {
    this.algorithm = algorithm;
    this.keyId = keyId;
    this.type = type;
    this.keyIdOptional = Optional.ofNullable(keyId);
    this.typeOptional = Optional.ofNullable(type);
  }

  /**
   * Returns the token's algorithm; it is one of the validator's allowed algorithms.
   *
   * @return the algorithm
   * @since 0.1.0
   */
  public Algorithm algorithm() {
    return algorithm;
  }

  /**
   * Returns the token's key id ({@code kid}). Unverified: use it only to look keys up.
   *
   * @return the key id, if the header has one
   * @since 0.1.0
   */
  public Optional<String> keyId() {
    return keyIdOptional;
  }

  /**
   * Returns the token's type ({@code typ}) as written in the header.
   *
   * @return the type, if the header has one
   * @since 0.1.0
   */
  public Optional<String> type() {
    return typeOptional;
  }

  @Nullable String rawKeyId() {
    return keyId;
  }

  @Nullable String rawType() {
    return type;
  }

  /**
   * Describes the header by its algorithm and key id.
   *
   * @return a description safe to log
   */
  @Override
  public String toString() {
    return "JwsHeader[alg=" + algorithm.jwaName() + (keyId == null ? "" : ", kid=" + keyId) + "]";
  }
}
