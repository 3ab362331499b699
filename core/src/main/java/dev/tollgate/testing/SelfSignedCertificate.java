package dev.tollgate.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Makes a minimal self-signed X.509 v3 certificate (RFC 5280) in DER, for the attacker's {@code
 * x5c} header: no extensions, one common name as subject and issuer.
 */
final class SelfSignedCertificate {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final DateTimeFormatter UTC_TIME =
      DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", Locale.ROOT);
  private static final DateTimeFormatter GENERALIZED_TIME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'", Locale.ROOT);

  private SelfSignedCertificate() {}

  /**
   * Returns the DER bytes of a certificate for {@code publicKey}, signed by {@code privateKey}.
   *
   * @param commonName the subject's and issuer's CN
   * @param notBefore the start of validity
   * @param notAfter the end of validity
   */
  static byte[] create(
      String commonName,
      PublicKey publicKey,
      PrivateKey privateKey,
      Instant notBefore,
      Instant notAfter) {
    byte[] signatureAlgorithm;
    String jdkName;
    if (privateKey instanceof RSAKey) {
      // sha256WithRSAEncryption, with NULL parameters
      signatureAlgorithm = sequence(oid(1, 2, 840, 113549, 1, 1, 11), new byte[] {0x05, 0x00});
      jdkName = "SHA256withRSA";
    } else if (privateKey instanceof ECKey) {
      signatureAlgorithm = sequence(oid(1, 2, 840, 10045, 4, 3, 2)); // ecdsa-with-SHA256
      jdkName = "SHA256withECDSA";
    } else if (privateKey instanceof EdECKey ed) {
      boolean ed448 = "Ed448".equalsIgnoreCase(ed.getParams().getName());
      signatureAlgorithm = sequence(oid(1, 3, 101, ed448 ? 113 : 112));
      jdkName = ed448 ? "Ed448" : "Ed25519";
    } else {
      throw new IllegalArgumentException("unsupported key type " + privateKey.getAlgorithm());
    }
    byte[] name =
        sequence(set(sequence(oid(2, 5, 4, 3), tlv(0x0c, commonName.getBytes(UTF_8))))); // CN, UTF8
    byte[] tbs =
        sequence(
            tlv(0xa0, integer(BigInteger.valueOf(2))), // [0] EXPLICIT version v3
            integer(new BigInteger(63, RANDOM).add(BigInteger.ONE)),
            signatureAlgorithm,
            name,
            sequence(time(notBefore), time(notAfter)),
            name,
            publicKey.getEncoded()); // SubjectPublicKeyInfo, already DER
    byte[] signature;
    try {
      Signature s = Signature.getInstance(jdkName);
      s.initSign(privateKey);
      s.update(tbs);
      signature = s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot sign a certificate with " + jdkName, e);
    }
    byte[] bits = new byte[signature.length + 1]; // no unused bits
    System.arraycopy(signature, 0, bits, 1, signature.length);
    return sequence(tbs, signatureAlgorithm, tlv(0x03, bits));
  }

  private static byte[] time(Instant instant) {
    ZonedDateTime t = instant.atZone(ZoneOffset.UTC);
    if (t.getYear() >= 1950 && t.getYear() < 2050) {
      return tlv(0x17, UTC_TIME.format(t).getBytes(US_ASCII));
    }
    return tlv(0x18, GENERALIZED_TIME.format(t).getBytes(US_ASCII));
  }

  private static byte[] integer(BigInteger value) {
    return tlv(0x02, value.toByteArray());
  }

  private static byte[] oid(int... arcs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    base128(out, 40 * arcs[0] + arcs[1]);
    for (int i = 2; i < arcs.length; i++) {
      base128(out, arcs[i]);
    }
    return tlv(0x06, out.toByteArray());
  }

  private static void base128(ByteArrayOutputStream out, int value) {
    int groups = 1;
    while ((value >>> (7 * groups)) != 0) {
      groups++;
    }
    for (int g = groups - 1; g >= 0; g--) {
      int b = (value >>> (7 * g)) & 0x7f;
      out.write(g == 0 ? b : b | 0x80);
    }
  }

  private static byte[] sequence(byte[]... parts) {
    return tlv(0x30, concat(parts));
  }

  private static byte[] set(byte[]... parts) {
    return tlv(0x31, concat(parts));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int len = content.length;
    if (len < 0x80) {
      out.write(len);
    } else {
      int bytes = len > 0xffff ? 3 : len > 0xff ? 2 : 1;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write((len >>> (8 * i)) & 0xff);
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }
}
