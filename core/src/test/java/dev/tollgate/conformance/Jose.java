package dev.tollgate.conformance;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtValidationException;
import dev.tollgate.JwtValidator;
import dev.tollgate.WycheproofBridge;
import dev.tollgate.keys.KeyResolver;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Drives Tollgate with Wycheproof vectors and judges the outcome. */
final class Jose {
  static final String ISSUER = "https://wycheproof.invalid/";
  static final String AUDIENCE = "wycheproof";

  private Jose() {}

  /** A validator over loaded keys, or the refusal that loading them ended in. */
  record Loaded(@Nullable JwtValidator validator, @Nullable Outcome refusal) {}

  /**
   * Trusts a JWKS document through {@link KeyResolver#jwks(String)} and builds a validator that
   * allows every algorithm. A refusal while loading the keys or building the validator ({@code
   * build()} checks static keys once more) is a refusal at load.
   */
  static Loaded loadJwks(String jwksJson) {
    try {
      return new Loaded(validator(KeyResolver.jwks(jwksJson)), null);
    } catch (RuntimeException e) {
      return new Loaded(null, Outcome.fromLoadFailure(e));
    }
  }

  /** A validator allowing every algorithm Tollgate supports, any issuer and audience it names. */
  static JwtValidator validator(KeyResolver keys) {
    Algorithm[] all = Algorithm.values();
    return JwtValidator.builder()
        .algorithms(all[0], Arrays.copyOfRange(all, 1, all.length))
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .keys(keys)
        .build();
  }

  /** A validator over a freshly generated EC P-256 key: any token it accepts would be a forgery. */
  static JwtValidator freshEcValidator() {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"));
      return validator(KeyResolver.publicKey(gen.generateKeyPair().getPublic()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot make a P-256 key", e);
    }
  }

  /** Runs the JWS layer only (no claims). */
  static Outcome verifyJws(JwtValidator validator, String token) {
    try {
      WycheproofBridge.verifyJws(validator, token);
      return Outcome.accepted();
    } catch (JwtValidationException e) {
      return Outcome.refused(e);
    } catch (RuntimeException e) {
      return Outcome.unexpected(e);
    }
  }

  /** Runs the full JWT validation. */
  static Outcome validate(JwtValidator validator, String token) {
    try {
      validator.validate(token);
      return Outcome.accepted();
    } catch (JwtValidationException e) {
      return Outcome.refused(e);
    } catch (RuntimeException e) {
      return Outcome.unexpected(e);
    }
  }

  /**
   * Judges one outcome. A case listed in {@code knownDiscrepancies} must still disagree with its
   * label (when it starts to agree, the entry has to go); any other case must agree, and no case
   * may end in an unexpected exception.
   */
  static void judge(
      Wycheproof.Case c,
      Outcome outcome,
      boolean expectAccepted,
      Map<Integer, String> knownDiscrepancies) {
    String known = knownDiscrepancies.get(c.tcId());
    boolean conforms = outcome.conforms(expectAccepted);
    if (known != null) {
      if (conforms) {
        throw new AssertionError(
            c.name()
                + " now behaves as expected ("
                + outcome
                + "): remove it from KNOWN_DISCREPANCIES");
      }
      return;
    }
    if (outcome.isUnexpected()) {
      throw new AssertionError(
          c.name() + " (" + c.comment() + "): " + outcome + " instead of a documented refusal",
          outcome.error());
    }
    if (!conforms) {
      throw new AssertionError(
          c.name()
              + " ("
              + c.comment()
              + ", flags "
              + c.flags()
              + ", labelled "
              + c.result()
              + "): expected "
              + (expectAccepted ? "acceptance" : "refusal")
              + ", got "
              + outcome);
    }
  }
}
