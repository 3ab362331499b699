package dev.tollgate.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.tollgate.Algorithm;
import dev.tollgate.internal.Base64Url;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * A generated key pair or HMAC secret of one {@link Family}, made once per JVM and cached: test
 * keys are never read from files, and RSA generation is too slow to repeat for every test.
 *
 * <p>Also holds the JDK signing code of the kit and the JWK encoding of public keys.
 */
final class KeyMaterial {
  /** The index of the "stranger" key of a family: a key nobody publishes. */
  static final int STRANGER = -1;

  private static final ConcurrentMap<String, KeyMaterial> CACHE = new ConcurrentHashMap<>();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A kind of key: the RSA keys serve every {@code RS*} and {@code PS*} algorithm. */
  enum Family {
    RSA,
    P256,
    P384,
    P521,
    ED25519,
    ED448,
    HS256,
    HS384,
    HS512;

    /** Returns the family that signs tokens of this algorithm. */
    static Family of(Algorithm alg) {
      return switch (alg) {
        case RS256, RS384, RS512, PS256, PS384, PS512 -> RSA;
        case ES256 -> P256;
        case ES384 -> P384;
        case ES512 -> P521;
        case EdDSA, Ed25519 -> ED25519;
        case Ed448 -> ED448;
        case HS256 -> HS256;
        case HS384 -> HS384;
        case HS512 -> HS512;
      };
    }

    /** Whether a key of this family may make tokens of this algorithm, by Tollgate's key rules. */
    boolean fits(Algorithm alg) {
      return switch (this) {
        case RSA -> of(alg) == RSA;
        case P256, P384, P521 -> of(alg) == this;
        case ED25519 -> alg == Algorithm.EdDSA || alg == Algorithm.Ed25519;
        case ED448 -> alg == Algorithm.EdDSA || alg == Algorithm.Ed448;
        case HS256 -> alg == Algorithm.HS256;
        case HS384 -> alg == Algorithm.HS256 || alg == Algorithm.HS384;
        case HS512 -> of(alg) == HS256 || of(alg) == HS384 || of(alg) == HS512;
      };
    }

    boolean isSecret() {
      return this == HS256 || this == HS384 || this == HS512;
    }

    /** The bytes of one ECDSA coordinate (r or s), or 0 for other families. */
    int ecCoordinateBytes() {
      return switch (this) {
        case P256 -> 32;
        case P384 -> 48;
        case P521 -> 66;
        default -> 0;
      };
    }
  }

  private final Family family;
  private final @Nullable KeyPair pair;
  private final byte @Nullable [] secret;

  private KeyMaterial(Family family, @Nullable KeyPair pair, byte @Nullable [] secret) {
    this.family = family;
    this.pair = pair;
    this.secret = secret;
  }

  /**
   * Returns the cached key of a family and index, generating it on first use.
   *
   * @param index 0 for an issuer's first key, 1 after one rotation, and so on; {@link #STRANGER}
   *     for a key no issuer publishes
   */
  static KeyMaterial get(Family family, int index) {
    String cacheKey = family.name() + '#' + index;
    KeyMaterial cached = CACHE.get(cacheKey);
    if (cached != null) {
      return cached;
    }
    // Generated outside the map's lock; if two threads race, the first to store wins.
    KeyMaterial made = generate(family);
    KeyMaterial raced = CACHE.putIfAbsent(cacheKey, made);
    return raced == null ? made : raced;
  }

  private static KeyMaterial generate(Family family) {
    try {
      switch (family) {
        case HS256, HS384, HS512 -> {
          byte[] bytes = new byte[family == Family.HS256 ? 32 : family == Family.HS384 ? 48 : 64];
          RANDOM.nextBytes(bytes);
          return new KeyMaterial(family, null, bytes);
        }
        case RSA -> {
          KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
          g.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), RANDOM);
          return new KeyMaterial(family, g.generateKeyPair(), null);
        }
        case P256, P384, P521 -> {
          KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
          String curve =
              family == Family.P256
                  ? "secp256r1"
                  : family == Family.P384 ? "secp384r1" : "secp521r1";
          g.initialize(new ECGenParameterSpec(curve), RANDOM);
          return new KeyMaterial(family, g.generateKeyPair(), null);
        }
        case ED25519, ED448 -> {
          KeyPairGenerator g =
              KeyPairGenerator.getInstance(family == Family.ED25519 ? "Ed25519" : "Ed448");
          return new KeyMaterial(family, g.generateKeyPair(), null);
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot generate a " + family + " key", e);
    }
    throw new AssertionError(family);
  }

  Family family() {
    return family;
  }

  boolean isSecret() {
    return secret != null;
  }

  PublicKey publicKey() {
    if (pair == null) {
      throw new IllegalStateException("an HMAC issuer has a secret, not a public key");
    }
    return pair.getPublic();
  }

  PrivateKey privateKey() {
    if (pair == null) {
      throw new IllegalStateException("an HMAC issuer has a secret, not a private key");
    }
    return pair.getPrivate();
  }

  /** Returns a copy of the secret. */
  byte[] secret() {
    if (secret == null) {
      throw new IllegalStateException("an asymmetric issuer has no shared secret");
    }
    return secret.clone();
  }

  /** The key that signs: the private key, or the secret. */
  Key signingKey() {
    return pair != null ? pair.getPrivate() : new SecretKeySpec(secret(), "HMAC");
  }

  /** Signs with this key; {@code alg} must fit {@link #family()}. */
  byte[] sign(Algorithm alg, byte[] input) {
    return sign(alg, signingKey(), input);
  }

  /**
   * Signs a JWS signing input with the JDK.
   *
   * @throws IllegalArgumentException if the key cannot make this algorithm
   */
  static byte[] sign(Algorithm alg, Key key, byte[] input) {
    try {
      String macName = macName(alg);
      if (macName != null) {
        if (!(key instanceof SecretKey)) {
          throw new IllegalArgumentException(alg.jwaName() + " needs a secret");
        }
        Mac mac = Mac.getInstance(macName);
        mac.init(new SecretKeySpec(key.getEncoded(), macName));
        return mac.doFinal(input);
      }
      if (!(key instanceof PrivateKey)) {
        throw new IllegalArgumentException(alg.jwaName() + " needs a private key");
      }
      Signature sig = Signature.getInstance(signatureName(alg, key));
      sig.initSign((PrivateKey) key);
      switch (alg) {
        case PS256 -> sig.setParameter(pss("SHA-256", MGF1ParameterSpec.SHA256, 32));
        case PS384 -> sig.setParameter(pss("SHA-384", MGF1ParameterSpec.SHA384, 48));
        case PS512 -> sig.setParameter(pss("SHA-512", MGF1ParameterSpec.SHA512, 64));
        default -> {}
      }
      sig.update(input);
      return sig.sign();
    } catch (java.security.InvalidKeyException e) {
      throw new IllegalArgumentException(
          "the " + key.getAlgorithm() + " key cannot sign " + alg.jwaName(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot sign " + alg.jwaName(), e);
    }
  }

  private static @Nullable String macName(Algorithm alg) {
    return switch (alg) {
      case HS256 -> "HmacSHA256";
      case HS384 -> "HmacSHA384";
      case HS512 -> "HmacSHA512";
      default -> null;
    };
  }

  private static String signatureName(Algorithm alg, Key key) {
    return switch (alg) {
      case RS256 -> "SHA256withRSA";
      case RS384 -> "SHA384withRSA";
      case RS512 -> "SHA512withRSA";
      case PS256, PS384, PS512 -> "RSASSA-PSS";
      case ES256 -> "SHA256withECDSAinP1363Format";
      case ES384 -> "SHA384withECDSAinP1363Format";
      case ES512 -> "SHA512withECDSAinP1363Format";
      case Ed25519 -> "Ed25519";
      case Ed448 -> "Ed448";
      case EdDSA -> key instanceof EdECKey ? ((EdECKey) key).getParams().getName() : "EdDSA";
      case HS256, HS384, HS512 -> throw new IllegalArgumentException("not a signature");
    };
  }

  private static PSSParameterSpec pss(String hash, MGF1ParameterSpec mgf, int saltLength) {
    return new PSSParameterSpec(hash, "MGF1", mgf, saltLength, PSSParameterSpec.TRAILER_FIELD_BC);
  }

  /**
   * Returns this key's public JWK members (or the {@code oct} JWK with {@code k}), with {@code
   * kid}, {@code use} and {@code alg}.
   */
  Map<String, Object> jwk(String kid, Algorithm alg) {
    Map<String, Object> members;
    if (secret != null) {
      members = new LinkedHashMap<>();
      members.put("kty", "oct");
      members.put("k", Base64Url.encode(secret));
    } else {
      members = publicJwk(publicKey());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("kty", members.remove("kty"));
    out.put("kid", kid);
    out.put("use", "sig");
    out.put("alg", alg.jwaName());
    out.putAll(members);
    return out;
  }

  /** Returns the JWK members that describe a public key: {@code kty} and the key material. */
  static Map<String, Object> publicJwk(PublicKey key) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (key instanceof RSAPublicKey rsa) {
      m.put("kty", "RSA");
      m.put("n", Base64Url.encode(unsigned(rsa.getModulus())));
      m.put("e", Base64Url.encode(unsigned(rsa.getPublicExponent())));
    } else if (key instanceof ECPublicKey ec) {
      int fieldBits = ec.getParams().getCurve().getField().getFieldSize();
      int len = (fieldBits + 7) / 8;
      m.put("kty", "EC");
      m.put("crv", fieldBits == 256 ? "P-256" : fieldBits == 384 ? "P-384" : "P-521");
      m.put("x", Base64Url.encode(fixed(ec.getW().getAffineX(), len)));
      m.put("y", Base64Url.encode(fixed(ec.getW().getAffineY(), len)));
    } else if (key instanceof EdECKey ed) {
      String curve = ed.getParams().getName();
      int len = "Ed448".equalsIgnoreCase(curve) ? 57 : 32;
      // The SubjectPublicKeyInfo of an Edwards key ends with the raw public key.
      byte[] spki = key.getEncoded();
      m.put("kty", "OKP");
      m.put("crv", len == 57 ? "Ed448" : "Ed25519");
      m.put("x", Base64Url.encode(Arrays.copyOfRange(spki, spki.length - len, spki.length)));
    } else {
      throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm());
    }
    return m;
  }

  /** Returns a public key as PEM text ({@code PUBLIC KEY}, 64-character lines, final newline). */
  static String pem(PublicKey key) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(US_ASCII)).encodeToString(key.getEncoded());
    return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
  }

  private static byte[] unsigned(BigInteger value) {
    return fixed(value, (value.bitLength() + 7) / 8);
  }

  /** Big-endian, unsigned, left-padded with zeros to exactly {@code len} bytes. */
  private static byte[] fixed(BigInteger value, int len) {
    byte[] b = value.toByteArray();
    byte[] out = new byte[len];
    if (b.length >= len) {
      System.arraycopy(b, b.length - len, out, 0, len);
    } else {
      System.arraycopy(b, 0, out, len - b.length, b.length);
    }
    return out;
  }

  @Override
  public String toString() {
    return "KeyMaterial[" + family + "]";
  }
}
