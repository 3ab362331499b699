package dev.tollgate;

import dev.tollgate.internal.EcCurves;
import dev.tollgate.internal.RocaFingerprint;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * A trusted key that may verify tokens: a public key or an HMAC secret, checked when it is made.
 *
 * <p>A {@code JwtKey} cannot be weak: RSA keys have at least 2048 bits (and at most 16384) and an
 * odd public exponent of at least 3; EC keys lie on P-256, P-384 or P-521 and their point is on the
 * curve; Edwards keys are Ed25519 or Ed448; secrets have at least 256 bits. Each key verifies only
 * the {@link #algorithms() algorithms} that fit its kind, which closes algorithm-confusion attacks:
 * an RSA public key is never used as an HMAC secret.
 *
 * <p>Instances are immutable and thread-safe. {@link #toString()} never shows key material.
 *
 * @since 0.1.0
 */
public final class JwtKey {
  /** The largest RSA key accepted; larger ones only make verification slow. */
  static final int MAX_RSA_BITS = 16384;

  private static final int MIN_RSA_BITS = 2048;
  private static final int MIN_SECRET_BYTES = 32;

  enum Kind {
    RSA,
    EC,
    OKP,
    SECRET
  }

  private final Kind kind;
  private final Key key;
  private final @Nullable String keyId;
  private final Set<Algorithm> algorithms;
  private final int bits;
  private final String description;
  // ES*: the group order, big-endian, padded to the coordinate length; empty otherwise.
  private final byte[] ecOrder;
  // One Signature or Mac per algorithm and thread, initialised once with this key.
  private final ThreadLocal<@Nullable Object[]> verifiers;

  private JwtKey(
      Kind kind,
      Key key,
      @Nullable String keyId,
      Set<Algorithm> algorithms,
      int bits,
      String description,
      byte[] ecOrder) {
    this.kind = kind;
    this.key = key;
    this.keyId = keyId;
    this.algorithms = Collections.unmodifiableSet(EnumSet.copyOf(algorithms));
    this.bits = bits;
    this.description = description;
    this.ecOrder = ecOrder;
    this.verifiers = ThreadLocal.withInitial(() -> new Object[Algorithm.values().length]);
  }

  /**
   * Makes a trusted key from a public key without a key id.
   *
   * @param publicKey an RSA, EC (P-256, P-384, P-521) or Edwards-curve (Ed25519, Ed448) public key
   * @return the key, allowed for every algorithm that fits its kind
   * @throws NullPointerException if {@code publicKey} is null
   * @throws IllegalArgumentException if the key is of another kind, too weak, or not on its curve
   * @since 0.1.0
   */
  public static JwtKey of(PublicKey publicKey) {
    return create(Objects.requireNonNull(publicKey, "publicKey"), null);
  }

  /**
   * Makes a trusted key from a public key with a key id, matched against the token's {@code kid}.
   *
   * @param publicKey an RSA, EC (P-256, P-384, P-521) or Edwards-curve (Ed25519, Ed448) public key
   * @param keyId the key id
   * @return the key, allowed for every algorithm that fits its kind
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the key is of another kind, too weak, or not on its curve
   * @since 0.1.0
   */
  public static JwtKey of(PublicKey publicKey, String keyId) {
    return create(
        Objects.requireNonNull(publicKey, "publicKey"), Objects.requireNonNull(keyId, "keyId"));
  }

  /**
   * Makes a trusted HMAC secret without a key id. The bytes are copied.
   *
   * <p><b>Security:</b> a secret shared with the issuer lets anyone who holds it mint tokens;
   * prefer asymmetric keys when the issuer is another party. The secret must be random, not a
   * password.
   *
   * @param secret at least 32 random bytes; {@code HS384} needs 48 and {@code HS512} 64
   * @return the key, allowed for each {@code HS*} algorithm its length permits
   * @throws NullPointerException if {@code secret} is null
   * @throws IllegalArgumentException if the secret is shorter than 32 bytes
   * @since 0.1.0
   */
  public static JwtKey secret(byte[] secret) {
    return createSecret(Objects.requireNonNull(secret, "secret"), null);
  }

  /**
   * Makes a trusted HMAC secret with a key id. The bytes are copied.
   *
   * @param secret at least 32 random bytes; {@code HS384} needs 48 and {@code HS512} 64
   * @param keyId the key id
   * @return the key, allowed for each {@code HS*} algorithm its length permits
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the secret is shorter than 32 bytes
   * @since 0.1.0
   */
  public static JwtKey secret(byte[] secret, String keyId) {
    return createSecret(
        Objects.requireNonNull(secret, "secret"), Objects.requireNonNull(keyId, "keyId"));
  }

  /**
   * Returns a copy of this key that verifies only the given algorithms (RFC 8725 §3.1: pin each key
   * to the algorithm it was made for).
   *
   * @param first an algorithm this key may verify
   * @param more further algorithms
   * @return the restricted key
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if an algorithm does not fit this key
   * @since 0.1.0
   */
  public JwtKey restrictedTo(Algorithm first, Algorithm... more) {
    EnumSet<Algorithm> wanted = EnumSet.of(Objects.requireNonNull(first, "first"));
    for (Algorithm a : Objects.requireNonNull(more, "more")) {
      wanted.add(Objects.requireNonNull(a, "more[]"));
    }
    for (Algorithm a : wanted) {
      if (!algorithms.contains(a)) {
        throw new IllegalArgumentException(
            "algorithm " + a.jwaName() + " does not fit this key (" + description + ")");
      }
    }
    return new JwtKey(kind, key, keyId, wanted, bits, description, ecOrder);
  }

  /**
   * Returns the key id, matched against a token's {@code kid} header.
   *
   * @return the key id, if the key has one
   * @since 0.1.0
   */
  public Optional<String> keyId() {
    return Optional.ofNullable(keyId);
  }

  /**
   * Returns the algorithms this key may verify.
   *
   * @return an unmodifiable, non-empty set
   * @since 0.1.0
   */
  public Set<Algorithm> algorithms() {
    return algorithms;
  }

  /**
   * Returns the strength of this key in bits: the RSA modulus size, the EC field size, the
   * Edwards-curve size or the secret's length.
   *
   * @return the size in bits
   * @since 0.1.0
   */
  public int bits() {
    return bits;
  }

  /**
   * Describes the key without its material: kind, size, key id and algorithms.
   *
   * @return a description safe to log
   */
  @Override
  public String toString() {
    return "JwtKey["
        + description
        + (keyId == null ? "" : ", kid=" + keyId)
        + ", "
        + algorithms
        + "]";
  }

  boolean isRsa() {
    return kind == Kind.RSA;
  }

  boolean isSecret() {
    return kind == Kind.SECRET;
  }

  @Nullable String rawKeyId() {
    return keyId;
  }

  /**
   * Verifies a JWS signature; the algorithm must be one of {@link #algorithms()}.
   *
   * @param alg the token's algorithm
   * @param data the signing input (ASCII of header '.' payload)
   * @param length how many bytes of {@code data} are the signing input
   * @param signature the decoded signature
   * @return whether the signature is valid
   */
  boolean verify(Algorithm alg, byte[] data, int length, byte[] signature) {
    if (!algorithms.contains(alg) || !signatureHasExpectedShape(alg, signature)) {
      return false;
    }
    @Nullable Object[] perAlg = verifiers.get();
    int slot = alg.ordinal();
    try {
      if (kind == Kind.SECRET) {
        Mac mac = (Mac) perAlg[slot];
        if (mac == null) {
          mac = Mac.getInstance(macName(alg));
          mac.init(new SecretKeySpec(key.getEncoded(), macName(alg)));
          perAlg[slot] = mac;
        }
        mac.update(data, 0, length);
        return MessageDigest.isEqual(mac.doFinal(), signature);
      }
      Signature sig = (Signature) perAlg[slot];
      if (sig == null) {
        sig = newSignature(alg);
        perAlg[slot] = sig;
      }
      sig.update(data, 0, length);
      return sig.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      // A provider refusing a malformed signature is a bad signature; drop the engine, whose state
      // is now unknown.
      perAlg[slot] = null;
      return false;
    }
  }

  private Signature newSignature(Algorithm alg) throws GeneralSecurityException {
    Signature sig =
        Signature.getInstance(
            switch (alg) {
              case RS256 -> "SHA256withRSA";
              case RS384 -> "SHA384withRSA";
              case RS512 -> "SHA512withRSA";
              case PS256, PS384, PS512 -> "RSASSA-PSS";
              case ES256 -> "SHA256withECDSAinP1363Format";
              case ES384 -> "SHA384withECDSAinP1363Format";
              case ES512 -> "SHA512withECDSAinP1363Format";
              case EdDSA, Ed25519, Ed448 -> bits == 448 ? "Ed448" : "Ed25519";
              case HS256, HS384, HS512 -> throw new GeneralSecurityException("not a signature");
            });
    sig.initVerify((PublicKey) key);
    if (alg == Algorithm.PS256) {
      sig.setParameter(pss("SHA-256", MGF1ParameterSpec.SHA256, 32));
    } else if (alg == Algorithm.PS384) {
      sig.setParameter(pss("SHA-384", MGF1ParameterSpec.SHA384, 48));
    } else if (alg == Algorithm.PS512) {
      sig.setParameter(pss("SHA-512", MGF1ParameterSpec.SHA512, 64));
    }
    return sig;
  }

  private static PSSParameterSpec pss(String hash, MGF1ParameterSpec mgf, int saltLength) {
    return new PSSParameterSpec(hash, "MGF1", mgf, saltLength, PSSParameterSpec.TRAILER_FIELD_BC);
  }

  private static String macName(Algorithm alg) {
    return switch (alg) {
      case HS256 -> "HmacSHA256";
      case HS384 -> "HmacSHA384";
      default -> "HmacSHA512";
    };
  }

  /** Checks sizes and, for ECDSA, that r and s lie in [1, n-1] before any crypto runs. */
  private boolean signatureHasExpectedShape(Algorithm alg, byte[] signature) {
    return switch (kind) {
      case RSA -> signature.length == (bits + 7) / 8;
      case SECRET -> signature.length == hashBytes(alg);
      case OKP -> signature.length == (bits == 448 ? 114 : 64);
      case EC ->
          signature.length == 2 * ecOrder.length
              && inOrderRange(signature, 0, ecOrder.length)
              && inOrderRange(signature, ecOrder.length, ecOrder.length);
    };
  }

  private boolean inOrderRange(byte[] sig, int off, int n) {
    boolean zero = true;
    for (int i = 0; i < n; i++) {
      if (sig[off + i] != 0) {
        zero = false;
        break;
      }
    }
    if (zero) {
      return false;
    }
    return Arrays.compareUnsigned(sig, off, off + n, ecOrder, 0, n) < 0;
  }

  private static int hashBytes(Algorithm alg) {
    return switch (alg) {
      case HS256 -> 32;
      case HS384 -> 48;
      default -> 64;
    };
  }

  private static JwtKey create(PublicKey publicKey, @Nullable String keyId) {
    if (publicKey instanceof RSAPublicKey rsa) {
      int bits = rsa.getModulus().bitLength();
      if (bits < MIN_RSA_BITS) {
        throw new IllegalArgumentException(
            "RSA key has " + bits + " bits; at least " + MIN_RSA_BITS + " are required");
      }
      if (bits > MAX_RSA_BITS) {
        throw new IllegalArgumentException(
            "RSA key has " + bits + " bits; at most " + MAX_RSA_BITS + " are accepted");
      }
      BigInteger e = rsa.getPublicExponent();
      if (!e.testBit(0) || e.compareTo(BigInteger.valueOf(3)) < 0 || e.bitLength() > 256) {
        throw new IllegalArgumentException("RSA public exponent must be odd, at least 3");
      }
      if (rsa.getModulus().signum() <= 0 || !rsa.getModulus().testBit(0)) {
        throw new IllegalArgumentException("RSA modulus must be odd and positive");
      }
      if (RocaFingerprint.matches(rsa.getModulus())) {
        throw new IllegalArgumentException(
            "RSA key was made by a generator with the ROCA flaw (CVE-2017-15361)");
      }
      return new JwtKey(
          Kind.RSA,
          publicKey,
          keyId,
          EnumSet.of(
              Algorithm.RS256,
              Algorithm.RS384,
              Algorithm.RS512,
              Algorithm.PS256,
              Algorithm.PS384,
              Algorithm.PS512),
          bits,
          "RSA " + bits,
          new byte[0]);
    }
    if (publicKey instanceof ECPublicKey ec) {
      EcCurves.Curve curve = EcCurves.identify(ec.getParams());
      if (curve == null) {
        throw new IllegalArgumentException("EC key is not on P-256, P-384 or P-521");
      }
      if (!curve.contains(ec.getW())) {
        throw new IllegalArgumentException("EC key's point is not on " + curve.name());
      }
      Algorithm alg =
          curve.bits() == 256
              ? Algorithm.ES256
              : curve.bits() == 384 ? Algorithm.ES384 : Algorithm.ES512;
      return new JwtKey(
          Kind.EC,
          publicKey,
          keyId,
          EnumSet.of(alg),
          curve.bits(),
          "EC " + curve.name(),
          curve.orderBytes());
    }
    if (publicKey instanceof EdECPublicKey ed) {
      String curve = ed.getParams().getName();
      if ("Ed25519".equalsIgnoreCase(curve)) {
        return new JwtKey(
            Kind.OKP,
            publicKey,
            keyId,
            EnumSet.of(Algorithm.EdDSA, Algorithm.Ed25519),
            255,
            "Ed25519",
            new byte[0]);
      }
      if ("Ed448".equalsIgnoreCase(curve)) {
        return new JwtKey(
            Kind.OKP,
            publicKey,
            keyId,
            EnumSet.of(Algorithm.EdDSA, Algorithm.Ed448),
            448,
            "Ed448",
            new byte[0]);
      }
      throw new IllegalArgumentException("Edwards-curve key is neither Ed25519 nor Ed448");
    }
    throw new IllegalArgumentException(
        "unsupported public key type "
            + publicKey.getAlgorithm()
            + "; RSA, EC and EdDSA keys can verify tokens");
  }

  private static JwtKey createSecret(byte[] secret, @Nullable String keyId) {
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "HMAC secret has "
              + secret.length * 8
              + " bits; at least 256 are required (HS384: 384, HS512: 512)");
    }
    EnumSet<Algorithm> algs = EnumSet.of(Algorithm.HS256);
    if (secret.length >= 48) {
      algs.add(Algorithm.HS384);
    }
    if (secret.length >= 64) {
      algs.add(Algorithm.HS512);
    }
    return new JwtKey(
        Kind.SECRET,
        new SecretKeySpec(secret.clone(), "HMAC"),
        keyId,
        algs,
        secret.length * 8,
        "secret " + secret.length * 8,
        new byte[0]);
  }
}
