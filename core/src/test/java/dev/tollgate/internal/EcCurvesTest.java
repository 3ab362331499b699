package dev.tollgate.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.EllipticCurve;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EcCurvesTest {
  private static final EcCurves.Curve P256 = EcCurves.byName("P-256");

  private static ECPublicKey generate(String stdName) throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec(stdName));
    return (ECPublicKey) gen.generateKeyPair().getPublic();
  }

  private static BigInteger p(EcCurves.Curve curve) {
    return ((ECFieldFp) curve.spec().getCurve().getField()).getP();
  }

  @ParameterizedTest
  @CsvSource({
    "P-256, secp256r1, 256, 32",
    "P-384, secp384r1, 384, 48",
    "P-521, secp521r1, 521, 66"
  })
  void byName_andIdentify_findTheSameCurve(String name, String stdName, int bits, int bytes)
      throws Exception {
    EcCurves.Curve curve = EcCurves.byName(name);
    assertThat(curve.name()).isEqualTo(name);
    assertThat(curve.bits()).isEqualTo(bits);
    assertThat(curve.coordinateBytes()).isEqualTo(bytes);
    assertThat(curve.orderBytes()).hasSize(bytes);
    ECParameterSpec jdk = generate(stdName).getParams();
    assertThat(new BigInteger(1, curve.orderBytes())).isEqualTo(jdk.getOrder());
    assertThat(EcCurves.identify(jdk)).isSameAs(curve);
    assertThat(EcCurves.identify(curve.spec())).isSameAs(curve);
  }

  @Test
  void byName_otherNames_none() {
    assertThat(EcCurves.byName("secp256r1")).isNull();
    assertThat(EcCurves.byName("p-256")).isNull();
    assertThat(EcCurves.byName("P-224")).isNull();
  }

  @Test
  void identify_curveDifferingInAnyParameter_none() {
    ECParameterSpec s = P256.spec();
    EllipticCurve otherB =
        new EllipticCurve(s.getCurve().getField(), s.getCurve().getA(), BigInteger.valueOf(7));
    ECPoint otherGenerator = EcCurves.byName("P-384").spec().getGenerator();
    BigInteger otherOrder = s.getOrder().subtract(BigInteger.TWO);
    assertThat(
            EcCurves.identify(
                new ECParameterSpec(otherB, s.getGenerator(), s.getOrder(), s.getCofactor())))
        .isNull();
    assertThat(
            EcCurves.identify(
                new ECParameterSpec(s.getCurve(), otherGenerator, s.getOrder(), s.getCofactor())))
        .isNull();
    assertThat(
            EcCurves.identify(
                new ECParameterSpec(s.getCurve(), s.getGenerator(), otherOrder, s.getCofactor())))
        .isNull();
    assertThat(
            EcCurves.identify(new ECParameterSpec(s.getCurve(), s.getGenerator(), s.getOrder(), 2)))
        .isNull();
  }

  @Test
  void contains_pointsOfTheCurve_true() throws Exception {
    assertThat(P256.contains(generate("secp256r1").getW())).isTrue();
    assertThat(P256.contains(P256.spec().getGenerator())).isTrue();
    // b is a square modulo p, so (0, sqrt(b)) is on the curve: x = 0 is a canonical coordinate.
    BigInteger p = p(P256);
    BigInteger rootOfB =
        P256.spec().getCurve().getB().modPow(p.add(BigInteger.ONE).shiftRight(2), p);
    assertThat(P256.contains(new ECPoint(BigInteger.ZERO, rootOfB))).isTrue();
  }

  @Test
  void contains_infinityOrNonCanonicalCoordinates_false() {
    BigInteger p = p(P256);
    ECPoint g = P256.spec().getGenerator();
    BigInteger x = g.getAffineX();
    BigInteger y = g.getAffineY();
    BigInteger rootOfB =
        P256.spec().getCurve().getB().modPow(p.add(BigInteger.ONE).shiftRight(2), p);
    // Each is the generator (or (0, sqrt(b))) modulo p, written with a coordinate outside [0, p).
    assertThat(P256.contains(ECPoint.POINT_INFINITY)).isFalse();
    assertThat(P256.contains(new ECPoint(x.add(p), y))).isFalse();
    assertThat(P256.contains(new ECPoint(x, y.add(p)))).isFalse();
    assertThat(P256.contains(new ECPoint(x.subtract(p), y))).isFalse();
    assertThat(P256.contains(new ECPoint(x, y.subtract(p)))).isFalse();
    assertThat(P256.contains(new ECPoint(p, rootOfB))).isFalse();
  }

  @Test
  void toFixed_padsOrDropsTheSignByte() {
    HexFormat hex = HexFormat.of();
    assertThat(EcCurves.toFixed(BigInteger.valueOf(0x0102), 4)).isEqualTo(hex.parseHex("00000102"));
    assertThat(EcCurves.toFixed(BigInteger.valueOf(0x0102), 2)).isEqualTo(hex.parseHex("0102"));
    // 0x80 is [0x00, 0x80] as a signed BigInteger.
    assertThat(EcCurves.toFixed(BigInteger.valueOf(0x80), 1)).isEqualTo(hex.parseHex("80"));
    assertThat(EcCurves.toFixed(BigInteger.valueOf(0xff01), 3)).isEqualTo(hex.parseHex("00ff01"));
  }
}
