package dev.tollgate.benchmarks;

import dev.tollgate.Algorithm;
import dev.tollgate.testing.TestIssuer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The floor: the bare JCA verification of one token's signature and nothing else. The signing input
 * and the decoded signature are made in setup, and the {@link Signature} or {@link Mac} is created
 * and keyed once and reused (a JCA engine returns to its keyed state after each verification), so a
 * call is {@code update} + {@code verify}, or {@code doFinal} + a constant-time compare. No
 * validator can do less and still check the signature.
 *
 * <p>Not thread-safe: each benchmark thread needs its own.
 */
final class Floor {
  private final byte[] signingInput;
  private final byte[] signature;
  private final Mac mac; // HS*: keyed once; null otherwise
  private final Signature verifier; // the others: initialised once; null for HS*

  Floor(TestIssuer issuer, String token) throws GeneralSecurityException {
    int dot = token.lastIndexOf('.');
    this.signingInput = token.substring(0, dot).getBytes(StandardCharsets.US_ASCII);
    this.signature = Base64Url.decode(token.substring(dot + 1));
    Algorithm alg = issuer.algorithm();
    if (alg == Algorithm.HS256) {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(issuer.secret(), "HmacSHA256"));
      verifier = null;
    } else {
      mac = null;
      verifier = Signature.getInstance(jcaName(alg));
      verifier.initVerify(issuer.publicKey());
      if (alg == Algorithm.PS256) {
        verifier.setParameter(
            new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
      }
    }
  }

  private static String jcaName(Algorithm alg) {
    return switch (alg) {
      case RS256 -> "SHA256withRSA";
      case PS256 -> "RSASSA-PSS";
      // The JWS signature is R || S, which this JDK engine reads without a DER conversion.
      case ES256 -> "SHA256withECDSAinP1363Format";
      case EdDSA, Ed25519 -> "Ed25519";
      default -> throw new IllegalArgumentException("no floor for " + alg.jwaName());
    };
  }

  /** Verifies the token's own signature. */
  boolean verify() throws GeneralSecurityException {
    return verify(signature);
  }

  /** Verifies another signature over the same signing input (for the checks in setup). */
  boolean verify(byte[] candidate) throws GeneralSecurityException {
    if (mac != null) {
      return MessageDigest.isEqual(mac.doFinal(signingInput), candidate);
    }
    verifier.update(signingInput);
    return verifier.verify(candidate);
  }

  /** Throws unless the floor accepts the token's signature and refuses a one-bit change of it. */
  void check() throws GeneralSecurityException {
    byte[] forged = signature.clone();
    forged[forged.length / 2] ^= 0x01;
    if (!verify() || verify(forged)) {
      throw new IllegalStateException("the JCA floor does not verify like the validators");
    }
  }
}
