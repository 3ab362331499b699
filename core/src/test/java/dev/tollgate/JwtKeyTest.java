package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class JwtKeyTest {
  private static final dev.tollgate.testing.TestIssuer KIT_RSA =
      dev.tollgate.testing.TestIssuer.create(Algorithm.RS256);

  private static PublicKey generate(String algorithm, Object spec) throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance(algorithm);
    if (spec instanceof Integer) {
      gen.initialize((Integer) spec);
    } else if (spec instanceof ECGenParameterSpec) {
      gen.initialize((ECGenParameterSpec) spec);
    }
    return gen.generateKeyPair().getPublic();
  }

  @Test
  void of_rsa2048_verifiesRsaAlgorithmsOnly() throws Exception {
    JwtKey key = JwtKey.of(generate("RSA", 2048));
    assertThat(key.algorithms())
        .containsExactlyInAnyOrder(
            Algorithm.RS256,
            Algorithm.RS384,
            Algorithm.RS512,
            Algorithm.PS256,
            Algorithm.PS384,
            Algorithm.PS512);
    assertThat(key.bits()).isEqualTo(2048);
    assertThat(key.keyId()).isEmpty();
  }

  @Test
  void of_rsa1024_refusedAsWeak() throws Exception {
    PublicKey weak = generate("RSA", 1024);
    assertThatThrownBy(() -> JwtKey.of(weak))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2048");
  }

  @Test
  void of_rsa2047Bits_refusedAsWeak() throws Exception {
    RSAPublicKey strong = (RSAPublicKey) generate("RSA", 2048);
    // Any odd 2047-bit modulus: the floor is about size, not about factoring.
    BigInteger n = strong.getModulus().shiftRight(1).setBit(0);
    PublicKey weak = rsa(n, strong.getPublicExponent());
    assertThat(n.bitLength()).isEqualTo(2047);
    assertThatThrownBy(() -> JwtKey.of(weak)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void of_rsaPublicExponentOneOrEven_refused() throws Exception {
    RSAPublicKey strong = (RSAPublicKey) generate("RSA", 2048);
    for (long e : new long[] {1, 2, 65536}) {
      // The JDK's KeyFactory refuses such exponents itself; other providers may not.
      PublicKey bad = new RawRsaKey(strong.getModulus(), BigInteger.valueOf(e));
      assertThatThrownBy(() -> JwtKey.of(bad))
          .as("e = %d", e)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(JwtKey.of(rsa(strong.getModulus(), BigInteger.valueOf(3))).bits()).isEqualTo(2048);
  }

  @Test
  void of_rsaOutsideSizeOrShape_refused() throws Exception {
    BigInteger e = BigInteger.valueOf(65537);
    BigInteger huge = BigInteger.ONE.shiftLeft(16384).add(BigInteger.ONE); // 16385 bits, odd
    assertThatThrownBy(() -> JwtKey.of(new RawRsaKey(huge, e)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16384");
    BigInteger largest = BigInteger.ONE.shiftLeft(16383).add(BigInteger.valueOf(3)); // 16384 bits
    assertThat(JwtKey.of(new RawRsaKey(largest, e)).bits()).isEqualTo(16384);
    RSAPublicKey strong = (RSAPublicKey) generate("RSA", 2048);
    BigInteger evenModulus = strong.getModulus().add(BigInteger.ONE);
    assertThatThrownBy(() -> JwtKey.of(new RawRsaKey(evenModulus, e)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("modulus");
    BigInteger hugeExponent = BigInteger.ONE.shiftLeft(300).add(BigInteger.ONE);
    assertThatThrownBy(() -> JwtKey.of(new RawRsaKey(strong.getModulus(), hugeExponent)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exponent");
  }

  @Test
  void secret_bitsAreTheSecretsLength() {
    assertThat(JwtKey.secret(new byte[32]).bits()).isEqualTo(256);
    assertThat(JwtKey.secret(new byte[64]).bits()).isEqualTo(512);
    assertThat(JwtKey.secret(new byte[48]).toString()).contains("secret 384");
  }

  @Test
  void of_rsaWithRocaFingerprint_refused() throws Exception {
    // A modulus of the form the ROCA generator produces (see RocaFingerprintTest).
    BigInteger product = BigInteger.ONE;
    for (int p = 3; p <= 701; p += 2) {
      if (BigInteger.valueOf(p).isProbablePrime(50)) {
        product = product.multiply(BigInteger.valueOf(p));
      }
    }
    BigInteger residue = BigInteger.valueOf(65537).modPow(BigInteger.valueOf(77), product);
    BigInteger n =
        residue.add(product.multiply(BigInteger.ONE.shiftLeft(2048 - product.bitLength())));
    if (!n.testBit(0)) {
      n = n.add(product);
    }
    PublicKey roca = rsa(n, BigInteger.valueOf(65537));
    assertThatThrownBy(() -> JwtKey.of(roca))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ROCA");
  }

  @Test
  void of_ecKeys_boundToTheirCurve() throws Exception {
    assertThat(JwtKey.of(generate("EC", new ECGenParameterSpec("secp256r1"))).algorithms())
        .containsExactly(Algorithm.ES256);
    assertThat(JwtKey.of(generate("EC", new ECGenParameterSpec("secp384r1"))).algorithms())
        .containsExactly(Algorithm.ES384);
    assertThat(JwtKey.of(generate("EC", new ECGenParameterSpec("secp521r1"))).algorithms())
        .containsExactly(Algorithm.ES512);
  }

  @Test
  void of_ecPointNotOnCurve_refused() throws Exception {
    ECPublicKey good = (ECPublicKey) generate("EC", new ECGenParameterSpec("secp256r1"));
    ECPoint moved =
        new ECPoint(good.getW().getAffineX(), good.getW().getAffineY().add(BigInteger.ONE));
    PublicKey bad =
        KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(moved, good.getParams()));
    assertThatThrownBy(() -> JwtKey.of(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not on P-256");
  }

  @Test
  void of_edwardsKeys_verifyEdDsaAndTheirOwnCurve() throws Exception {
    assertThat(JwtKey.of(generate("Ed25519", null)).algorithms())
        .containsExactlyInAnyOrder(Algorithm.EdDSA, Algorithm.Ed25519);
    assertThat(JwtKey.of(generate("Ed448", null)).algorithms())
        .containsExactlyInAnyOrder(Algorithm.EdDSA, Algorithm.Ed448);
  }

  @Test
  void of_keyAgreementKey_refused() throws Exception {
    PublicKey x25519 = generate("X25519", null);
    PublicKey dh = generate("DH", 2048);
    assertThatThrownBy(() -> JwtKey.of(x25519)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JwtKey.of(dh)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void secret_lengthDecidesAlgorithms() {
    assertThatThrownBy(() -> JwtKey.secret(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("256");
    assertThatThrownBy(() -> JwtKey.secret(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(JwtKey.secret(new byte[32]).algorithms()).containsExactly(Algorithm.HS256);
    assertThat(JwtKey.secret(new byte[47]).algorithms()).containsExactly(Algorithm.HS256);
    assertThat(JwtKey.secret(new byte[48]).algorithms())
        .containsExactlyInAnyOrder(Algorithm.HS256, Algorithm.HS384);
    assertThat(JwtKey.secret(new byte[64]).algorithms())
        .containsExactlyInAnyOrder(Algorithm.HS256, Algorithm.HS384, Algorithm.HS512);
  }

  @Test
  void secret_isCopied() {
    byte[] secret = new byte[32];
    JwtKey key = JwtKey.secret(secret, "k1");
    Arrays.fill(secret, (byte) 1);
    byte[] data = "a.b".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] macOfZeros = hmacSha256(new byte[32], data);
    assertThat(key.verify(Algorithm.HS256, data, data.length, macOfZeros)).isTrue();
  }

  @Test
  void restrictedTo_limitsAlgorithms_andRefusesMisfits() throws Exception {
    JwtKey rsa = JwtKey.of(generate("RSA", 2048), "r1");
    JwtKey pinned = rsa.restrictedTo(Algorithm.PS256);
    assertThat(pinned.algorithms()).containsExactly(Algorithm.PS256);
    assertThat(pinned.keyId()).contains("r1");
    assertThatThrownBy(() -> rsa.restrictedTo(Algorithm.ES256))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> pinned.restrictedTo(Algorithm.RS256))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toString_showsNoKeyMaterial() throws Exception {
    byte[] secret = new byte[32];
    Arrays.fill(secret, (byte) 0x5a);
    String text = JwtKey.secret(secret, "hmac-1").toString();
    assertThat(text).contains("hmac-1").doesNotContain(HexFormat.of().formatHex(secret));
    assertThat(text).doesNotContain(java.util.Base64.getEncoder().encodeToString(secret));
    RSAPublicKey rsa = (RSAPublicKey) generate("RSA", 2048);
    assertThat(JwtKey.of(rsa).toString())
        .doesNotContain(rsa.getModulus().toString())
        .doesNotContain(rsa.getModulus().toString(16));
  }

  @Test
  void verify_ecdsaSignatureOutOfRange_refusedBeforeCrypto() throws Exception {
    JwtKey key = JwtKey.of(generate("EC", new ECGenParameterSpec("secp256r1")));
    byte[] data = "a.b".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] zeros = new byte[64];
    byte[] ones = new byte[64];
    Arrays.fill(ones, (byte) 0xff);
    assertThat(key.verify(Algorithm.ES256, data, data.length, zeros)).isFalse();
    assertThat(key.verify(Algorithm.ES256, data, data.length, ones)).isFalse();
    assertThat(key.verify(Algorithm.ES256, data, data.length, new byte[65])).isFalse();
  }

  @Test
  void factories_nullArguments_throwNpeNamingThem() {
    assertThatThrownBy(() -> JwtKey.of(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("publicKey");
    assertThatThrownBy(() -> JwtKey.secret(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("secret");
    assertThatThrownBy(() -> JwtKey.secret(new byte[32], null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("keyId");
  }

  @Test
  void of_rsaExponentOfUpTo256Bits_accepted_longerRefused() throws Exception {
    RSAPublicKey strong = (RSAPublicKey) KIT_RSA.publicKey();
    BigInteger bits256 = BigInteger.ONE.shiftLeft(255).add(BigInteger.ONE);
    BigInteger bits257 = BigInteger.ONE.shiftLeft(256).add(BigInteger.ONE);
    assertThat(JwtKey.of(new RawRsaKey(strong.getModulus(), bits256)).bits()).isEqualTo(2048);
    assertThatThrownBy(() -> JwtKey.of(new RawRsaKey(strong.getModulus(), bits257)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void of_rsaNegativeModulus_refused() throws Exception {
    RSAPublicKey strong = (RSAPublicKey) KIT_RSA.publicKey();
    BigInteger negative = strong.getModulus().negate();
    assertThatThrownBy(() -> JwtKey.of(new RawRsaKey(negative, BigInteger.valueOf(65537))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("modulus");
  }

  @Test
  void of_ecKeyOnAnotherCurve_refused() throws Exception {
    ECPublicKey p256 = (ECPublicKey) generate("EC", new ECGenParameterSpec("secp256r1"));
    java.security.spec.ECParameterSpec s = p256.getParams();
    java.security.spec.ECParameterSpec otherCurve =
        new java.security.spec.ECParameterSpec(
            new java.security.spec.EllipticCurve(
                s.getCurve().getField(), s.getCurve().getA(), BigInteger.valueOf(7)),
            s.getGenerator(),
            s.getOrder(),
            s.getCofactor());
    assertThatThrownBy(() -> JwtKey.of(new RawEcKey(otherCurve, p256.getW())))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("P-256, P-384 or P-521");
  }

  @Test
  void of_ecPointAtInfinity_refused() throws Exception {
    ECPublicKey p256 = (ECPublicKey) generate("EC", new ECGenParameterSpec("secp256r1"));
    assertThatThrownBy(() -> JwtKey.of(new RawEcKey(p256.getParams(), ECPoint.POINT_INFINITY)))
        .isExactlyInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void of_edwardsKeyOfAnotherCurve_refused() throws Exception {
    java.security.interfaces.EdECPublicKey ed25519 =
        (java.security.interfaces.EdECPublicKey) generate("Ed25519", null);
    PublicKey other =
        new java.security.interfaces.EdECPublicKey() {
          private static final long serialVersionUID = 1L;

          @Override
          public java.security.spec.EdECPoint getPoint() {
            return ed25519.getPoint();
          }

          @Override
          public java.security.spec.NamedParameterSpec getParams() {
            return new java.security.spec.NamedParameterSpec("Ed1174");
          }

          @Override
          public String getAlgorithm() {
            return "EdDSA";
          }

          @Override
          public String getFormat() {
            return "X.509";
          }

          @Override
          public byte[] getEncoded() {
            return new byte[0];
          }
        };
    assertThatThrownBy(() -> JwtKey.of(other))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("neither Ed25519 nor Ed448");
  }

  @Test
  void verify_algorithmTheKeyIsNotAllowed_false_evenForItsOwnSignature() {
    String token = KIT_RSA.validToken();
    int dot = token.lastIndexOf('.');
    byte[] data = token.substring(0, dot).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] rs256 = java.util.Base64.getUrlDecoder().decode(token.substring(dot + 1));

    JwtKey any = JwtKey.of(KIT_RSA.publicKey());
    assertThat(any.verify(Algorithm.RS256, data, data.length, rs256)).isTrue();
    JwtKey pinned = any.restrictedTo(Algorithm.PS256);
    assertThat(pinned.verify(Algorithm.RS256, data, data.length, rs256)).isFalse();
    assertThat(any.verify(Algorithm.RS256, data, data.length - 1, rs256)).isFalse();
  }

  @Test
  void verify_ecdsaWithZeroS_refusedWithoutThrowing() throws Exception {
    JwtKey key = JwtKey.of(generate("EC", new ECGenParameterSpec("secp256r1")));
    byte[] data = "a.b".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] oneThenZero = new byte[64];
    oneThenZero[31] = 1; // r = 1, s = 0
    assertThat(key.verify(Algorithm.ES256, data, data.length, oneThenZero)).isFalse();
  }

  @Test
  void verify_ed25519SignatureTheProviderCannotDecode_false_andTheKeyStillVerifies()
      throws Exception {
    java.security.KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    JwtKey key = JwtKey.of(pair.getPublic());
    byte[] data = "a.b".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    // The JDK throws (rather than answering false) for these: R's y at or above p, and S at or
    // above the group order. Both must be a refusal, never an acceptance.
    byte[] badPoint = new byte[64];
    Arrays.fill(badPoint, 0, 32, (byte) 0xff);
    byte[] bigS = new byte[64];
    Arrays.fill(bigS, (byte) 0xff);
    assertThat(key.verify(Algorithm.EdDSA, data, data.length, badPoint)).isFalse();
    assertThat(key.verify(Algorithm.Ed25519, data, data.length, bigS)).isFalse();

    // The engine that threw is dropped; the next verification on this thread works.
    java.security.Signature signer = java.security.Signature.getInstance("Ed25519");
    signer.initSign(pair.getPrivate());
    signer.update(data);
    byte[] good = signer.sign();
    assertThat(key.verify(Algorithm.EdDSA, data, data.length, good)).isTrue();
    assertThat(key.verify(Algorithm.Ed25519, data, data.length, good)).isTrue();
  }

  @Test
  void kindAndRawKeyId_forTheValidator() throws Exception {
    JwtKey secret = JwtKey.secret(new byte[32], "h1");
    JwtKey rsa = JwtKey.of(KIT_RSA.publicKey());
    assertThat(secret.isSecret()).isTrue();
    assertThat(secret.isRsa()).isFalse();
    assertThat(rsa.isSecret()).isFalse();
    assertThat(rsa.isRsa()).isTrue();
    assertThat(secret.rawKeyId()).isEqualTo("h1");
    assertThat(rsa.rawKeyId()).isNull();
  }

  @Test
  void toString_withoutKeyId_saysNothingOfOne() throws Exception {
    assertThat(JwtKey.of(generate("EC", new ECGenParameterSpec("secp256r1"))))
        .hasToString("JwtKey[EC P-256, [ES256]]");
    assertThat(JwtKey.secret(new byte[32], "h1"))
        .hasToString("JwtKey[secret 256, kid=h1, [HS256]]");
  }

  @Test
  void secret_tooShort_messageStatesItsBits() {
    assertThatThrownBy(() -> JwtKey.secret(new byte[31]))
        .hasMessageStartingWith("HMAC secret has 248 bits;");
  }

  private static PublicKey rsa(BigInteger n, BigInteger e) throws Exception {
    return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
  }

  /** An RSA key as another provider might hand it over, without the JDK's own checks. */
  private static final class RawRsaKey implements RSAPublicKey {
    private static final long serialVersionUID = 1L;
    private final BigInteger n;
    private final BigInteger e;

    RawRsaKey(BigInteger n, BigInteger e) {
      this.n = n;
      this.e = e;
    }

    @Override
    public BigInteger getModulus() {
      return n;
    }

    @Override
    public BigInteger getPublicExponent() {
      return e;
    }

    @Override
    public String getAlgorithm() {
      return "RSA";
    }

    @Override
    public String getFormat() {
      return "X.509";
    }

    @Override
    public byte[] getEncoded() {
      return new byte[0];
    }
  }

  /** An EC key as another provider might hand it over, with any parameters and point. */
  private static final class RawEcKey implements ECPublicKey {
    private static final long serialVersionUID = 1L;
    private final transient java.security.spec.ECParameterSpec params;
    private final transient ECPoint w;

    RawEcKey(java.security.spec.ECParameterSpec params, ECPoint w) {
      this.params = params;
      this.w = w;
    }

    @Override
    public ECPoint getW() {
      return w;
    }

    @Override
    public java.security.spec.ECParameterSpec getParams() {
      return params;
    }

    @Override
    public String getAlgorithm() {
      return "EC";
    }

    @Override
    public String getFormat() {
      return "X.509";
    }

    @Override
    public byte[] getEncoded() {
      return new byte[0];
    }
  }

  private static byte[] hmacSha256(byte[] key, byte[] data) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }
}
