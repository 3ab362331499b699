package dev.tollgate.fuzz;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtValidator;
import dev.tollgate.keys.KeyResolver;
import dev.tollgate.testing.TestIssuer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the validator fuzz targets share: a fixed clock, two trusted issuers (ES256 and HS256, keys
 * from the test kit, made once per JVM), the validators under test, and base tokens to mutate.
 *
 * <p>Every token the harness signs with a trusted key is one the validator may accept; the {@link
 * Oracle} holds each acceptance to that.
 */
final class Fixtures {
  static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final long SKEW_MILLIS = 60_000;
  static final Duration MAX_AGE = Duration.ofMinutes(10);

  static final TestIssuer ES = TestIssuer.builder().algorithm(Algorithm.ES256).clock(CLOCK).build();
  static final TestIssuer HS = TestIssuer.builder().algorithm(Algorithm.HS256).clock(CLOCK).build();

  /** Both issuers name the same {@code iss} and {@code aud}: the test kit's defaults. */
  static final String ISS = ES.issuer();

  static final String AUD = ES.audience();

  /** A key of the same kind as the ES256 issuer's that nobody trusts. */
  static final KeyPair STRANGER_EC = ecKeyPair();

  /** Default policy, trusting both issuers' keys: ES256 and HS256 allowed, {@code typ} optional. */
  static final JwtValidator LENIENT =
      JwtValidator.builder()
          .algorithms(Algorithm.ES256, Algorithm.HS256)
          .issuer(ISS)
          .audience(AUD)
          .keys(KeyResolver.of(ES.jwtKey(), HS.jwtKey()))
          .clock(CLOCK)
          .build();

  /**
   * RFC 9068 access tokens of the ES256 issuer (keys from its JWKS), with a maximum age and a claim
   * check.
   */
  static final JwtValidator STRICT =
      ES.validatorBuilder()
          .accessTokenProfile()
          .maxTokenAge(MAX_AGE)
          .requireClaim("tenant", "acme"::equals)
          .build();

  /** Valid tokens: each passes the validator it is made for. */
  static final List<String> VALID = new ArrayList<>();

  /** Tokens the test kit breaks on purpose: real attacks, each to be refused. */
  static final List<String> BROKEN = new ArrayList<>();

  static {
    VALID.add(ES.validToken());
    VALID.add(HS.validToken());
    VALID.add(accessToken(ES).sign());
    VALID.add(HS.token().withoutHeader("typ").withoutHeader("kid").scope("read", "write").sign());
    for (TestIssuer i : List.of(ES, HS)) {
      BROKEN.add(i.expiredToken());
      BROKEN.add(i.notYetValidToken());
      BROKEN.add(i.wrongIssuerToken());
      BROKEN.add(i.wrongAudienceToken());
      BROKEN.add(i.tokenWithout("exp"));
      BROKEN.add(i.unsignedToken());
      BROKEN.add(i.alteredSignatureToken());
      BROKEN.add(i.signedByAnotherKeyToken());
      BROKEN.add(i.wrongTypeToken());
      BROKEN.add(i.embeddedJwkToken());
      BROKEN.add(i.jkuToken());
      BROKEN.add(i.critToken());
      BROKEN.add(i.unencodedPayloadToken());
    }
    BROKEN.add(ES.hmacConfusionToken());
    BROKEN.add(ES.hmacConfusionTokenWithDerKey());
    BROKEN.add(ES.x5cToken());
    BROKEN.add(ES.ecdsaZeroSignatureToken());
  }

  private Fixtures() {}

  /** A token of the issuer that passes {@link #STRICT}: {@code at+jwt} with every claim. */
  static dev.tollgate.testing.TokenBuilder accessToken(TestIssuer issuer) {
    return issuer
        .token()
        .type("at+jwt")
        .claim("client_id", "fuzz-client")
        .claim("tenant", "acme")
        .scope("read");
  }

  /** Signs {@code header.payload} (both already base64url) with the HS256 issuer's secret. */
  static String hmacSigned(String signingInput) {
    return signingInput + "." + b64(hmac(HS.secret(), signingInput.getBytes(US_ASCII)));
  }

  static byte[] hmac(byte[] secret, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static KeyPair ecKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
