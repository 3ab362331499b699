package dev.tollgate.keys;

import dev.tollgate.JwsHeader;
import dev.tollgate.JwtKey;
import dev.tollgate.JwtValidationException;
import dev.tollgate.internal.KeyParsing;
import dev.tollgate.internal.StaticKeyResolver;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Supplies the trusted keys that may verify a token: the plug-in point for key sources.
 *
 * <p>The validator calls {@link #resolve(JwsHeader)} after the token's header passed its checks and
 * before the signature is verified. The validator itself makes sure that a returned key fits the
 * token's algorithm and is strong enough, so a resolver may return any candidates; it should return
 * few (the validator tries at most {@value #MAX_CANDIDATES}).
 *
 * <p>The static factories here build resolvers over keys known at start-up. A key is checked when
 * the resolver is made, so a weak or broken key fails at start-up, not on the first request.
 *
 * <p><b>Security:</b> never take keys from the token itself ({@code jwk}, {@code jku}, {@code x5u},
 * {@code x5c} headers): the {@link JwsHeader} deliberately does not offer them.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface KeyResolver {
  /** How many candidate keys the validator tries for one token, at most. */
  int MAX_CANDIDATES = 8;

  /**
   * Returns the keys that may verify a token with this header.
   *
   * <p>Implementations must be thread-safe, fast on repeated calls (cache), and must not block
   * longer than their own timeouts.
   *
   * @param header the token's checked, still unverified header
   * @return candidate keys, possibly empty (the token is then refused with {@code KEY_NOT_FOUND})
   * @throws JwtValidationException with {@code KEY_NOT_FOUND} or {@code KEYS_UNAVAILABLE} when no
   *     key can be supplied
   * @since 0.1.0
   */
  List<JwtKey> resolve(JwsHeader header);

  /**
   * Trusts exactly these keys. A token with a {@code kid} is matched against keys with that id and
   * keys without an id; a token without {@code kid} against all keys that fit its algorithm.
   *
   * @param first a trusted key
   * @param more further trusted keys
   * @return a resolver over these keys
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if two keys share a key id
   * @since 0.1.0
   */
  static KeyResolver of(JwtKey first, JwtKey... more) {
    List<JwtKey> keys = new ArrayList<>();
    keys.add(Objects.requireNonNull(first, "first"));
    for (JwtKey k : Objects.requireNonNull(more, "more")) {
      keys.add(Objects.requireNonNull(k, "more[]"));
    }
    return new StaticKeyResolver(keys);
  }

  /**
   * Trusts one public key (RSA, EC on P-256/P-384/P-521, Ed25519 or Ed448).
   *
   * @param publicKey the key
   * @return a resolver over this key
   * @throws NullPointerException if {@code publicKey} is null
   * @throws IllegalArgumentException if the key is of another kind, too weak, or not on its curve
   * @since 0.1.0
   */
  static KeyResolver publicKey(PublicKey publicKey) {
    return of(JwtKey.of(publicKey));
  }

  /**
   * Trusts the public key of an X.509 certificate. Only the key is used: the certificate's validity
   * period and chain are not checked.
   *
   * @param certificate the certificate
   * @return a resolver over its key
   * @throws NullPointerException if {@code certificate} is null
   * @throws IllegalArgumentException if the key is of another kind, too weak, or not on its curve
   * @since 0.1.0
   */
  static KeyResolver certificate(X509Certificate certificate) {
    return of(JwtKey.of(Objects.requireNonNull(certificate, "certificate").getPublicKey()));
  }

  /**
   * Trusts the public keys in PEM text: {@code PUBLIC KEY} (SubjectPublicKeyInfo) and {@code
   * CERTIFICATE} blocks, one or more.
   *
   * @param pem PEM text
   * @return a resolver over its keys
   * @throws NullPointerException if {@code pem} is null
   * @throws IllegalArgumentException if the text holds no key, a private key, another kind of
   *     block, or a key that is weak or broken
   * @since 0.1.0
   */
  static KeyResolver pem(String pem) {
    return new StaticKeyResolver(KeyParsing.pem(Objects.requireNonNull(pem, "pem")));
  }

  /**
   * Trusts one key given as a JSON Web Key (RFC 7517). The JWK's {@code alg}, {@code use} and
   * {@code key_ops}, when present, must allow verification and restrict the key accordingly.
   *
   * @param json the JWK as JSON text
   * @return a resolver over this key
   * @throws NullPointerException if {@code json} is null
   * @throws IllegalArgumentException if the JWK is invalid, not for signatures, weak or broken
   * @since 0.1.0
   */
  static KeyResolver jwk(String json) {
    return new StaticKeyResolver(List.of(KeyParsing.jwk(Objects.requireNonNull(json, "json"))));
  }

  /**
   * Trusts the keys of a JSON Web Key Set document ({@code {"keys":[...]}}), matched by {@code
   * kid}. Every key must be valid: a set with one bad key, a duplicate {@code kid}, or a mix of
   * secrets and public keys is refused as a whole.
   *
   * @param json the JWKS as JSON text
   * @return a resolver over its keys
   * @throws NullPointerException if {@code json} is null
   * @throws IllegalArgumentException if the set or one of its keys is invalid
   * @since 0.1.0
   */
  static KeyResolver jwks(String json) {
    return new StaticKeyResolver(KeyParsing.jwks(Objects.requireNonNull(json, "json")));
  }

  /**
   * Trusts one HMAC secret. The bytes are copied.
   *
   * <p><b>Security:</b> whoever holds the secret can mint tokens. Use a random secret of at least
   * the hash size, never a password.
   *
   * @param secret at least 32 random bytes (48 for {@code HS384}, 64 for {@code HS512})
   * @return a resolver over this secret
   * @throws NullPointerException if {@code secret} is null
   * @throws IllegalArgumentException if the secret is shorter than 32 bytes
   * @since 0.1.0
   */
  static KeyResolver secret(byte[] secret) {
    return of(JwtKey.secret(secret));
  }
}
