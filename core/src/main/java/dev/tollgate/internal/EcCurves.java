package dev.tollgate.internal;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The NIST prime curves that JWS uses (P-256, P-384, P-521) and checks of points on them. */
public final class EcCurves {
  /** A named prime curve. */
  public static final class Curve {
    private final String name;
    private final int bits;
    private final ECParameterSpec spec;
    private final BigInteger p;
    private final byte[] orderBytes;

    Curve(String name, String stdName, int bits) {
      this.name = name;
      this.bits = bits;
      try {
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec(stdName));
        this.spec = params.getParameterSpec(ECParameterSpec.class);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("curve " + stdName + " is missing from this JDK", e);
      }
      this.p = ((ECFieldFp) spec.getCurve().getField()).getP();
      this.orderBytes = toFixed(spec.getOrder(), (bits + 7) / 8);
    }

    /** Returns the JOSE name, e.g. {@code P-256}. */
    public String name() {
      return name;
    }

    /** Returns the field size in bits. */
    public int bits() {
      return bits;
    }

    /** Returns the JDK parameters of the curve. */
    public ECParameterSpec spec() {
      return spec;
    }

    /** Returns the group order, big-endian, padded to the coordinate length. */
    public byte[] orderBytes() {
      return orderBytes.clone();
    }

    /** Returns the coordinate length in bytes. */
    public int coordinateBytes() {
      return orderBytes.length;
    }

    /** Returns whether the point is a finite point of this curve with canonical coordinates. */
    public boolean contains(ECPoint w) {
      if (ECPoint.POINT_INFINITY.equals(w)) {
        return false;
      }
      BigInteger x = w.getAffineX();
      BigInteger y = w.getAffineY();
      if (x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
        return false;
      }
      BigInteger a = spec.getCurve().getA();
      BigInteger b = spec.getCurve().getB();
      BigInteger left = y.multiply(y).mod(p);
      BigInteger right = x.multiply(x).add(a).multiply(x).add(b).mod(p);
      return left.equals(right);
    }
  }

  private static final List<Curve> CURVES =
      List.of(
          new Curve("P-256", "secp256r1", 256),
          new Curve("P-384", "secp384r1", 384),
          new Curve("P-521", "secp521r1", 521));

  private EcCurves() {}

  /** Returns the curve with these parameters, or {@code null} when it is none of the three. */
  public static @Nullable Curve identify(ECParameterSpec params) {
    for (Curve c : CURVES) {
      ECParameterSpec s = c.spec;
      if (s.getCurve().equals(params.getCurve())
          && s.getGenerator().equals(params.getGenerator())
          && s.getOrder().equals(params.getOrder())
          && s.getCofactor() == params.getCofactor()) {
        return c;
      }
    }
    return null;
  }

  /** Returns the curve with this JOSE name ({@code P-256}, {@code P-384}, {@code P-521}). */
  public static @Nullable Curve byName(String name) {
    for (Curve c : CURVES) {
      if (c.name.equals(name)) {
        return c;
      }
    }
    return null;
  }

  /** Writes a non-negative integer big-endian into exactly {@code length} bytes. */
  public static byte[] toFixed(BigInteger value, int length) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[length];
    int copy = Math.min(raw.length, length);
    System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
    return out;
  }
}
