package dev.tollgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtValidator;
import dev.tollgate.VerifiedJwt;
import dev.tollgate.keys.KeyResolver;
import java.security.Key;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tokens of the kit verify with raw jose4j, and tokens signed by jose4j with the kit's keys pass
 * Tollgate. jose4j 0.9.7 knows {@code EdDSA} but not the fully specified {@code Ed25519} and {@code
 * Ed448} names (RFC 9864), so those two are left out.
 */
class Jose4jInteropTest {
  private static final Instant NOW = Instant.parse("2031-05-06T07:08:09Z");
  private static final Clock FIXED = Clock.fixed(NOW, ZoneOffset.UTC);

  private static TestIssuer issuer(Algorithm alg) {
    return TestIssuer.builder().algorithm(alg).clock(FIXED).build();
  }

  private static Key verificationKey(TestIssuer issuer) {
    return issuer.algorithm().jwaName().startsWith("HS")
        ? new HmacKey(issuer.secret())
        : issuer.publicKey();
  }

  private static Key signingKey(TestIssuer issuer) {
    return issuer.algorithm().jwaName().startsWith("HS")
        ? new HmacKey(issuer.secret())
        : issuer.privateKey();
  }

  private static boolean jose4jVerifies(String token, String alg, Key key) throws Exception {
    JsonWebSignature jws = new JsonWebSignature();
    jws.setAlgorithmConstraints(new AlgorithmConstraints(ConstraintType.PERMIT, alg));
    jws.setCompactSerialization(token);
    jws.setKey(key);
    return jws.verifySignature();
  }

  @ParameterizedTest
  @EnumSource(
      value = Algorithm.class,
      mode = EnumSource.Mode.EXCLUDE,
      names = {"Ed25519", "Ed448"})
  void kitToken_verifiesWithJose4j(Algorithm alg) throws Exception {
    TestIssuer issuer = issuer(alg);
    String token = issuer.validToken();

    assertThat(jose4jVerifies(token, alg.jwaName(), verificationKey(issuer))).isTrue();
    assertThat(
            jose4jVerifies(issuer.alteredSignatureToken(), alg.jwaName(), verificationKey(issuer)))
        .isFalse();
    JsonWebSignature jws = new JsonWebSignature();
    jws.setCompactSerialization(token);
    JwtClaims claims = JwtClaims.parse(jws.getUnverifiedPayload());
    assertThat(claims.getIssuer()).isEqualTo(issuer.issuer());
    assertThat(claims.getExpirationTime().getValue()).isEqualTo(NOW.getEpochSecond() + 300);
    assertThat(jws.getKeyIdHeaderValue()).isEqualTo(issuer.keyId());
  }

  @Test
  void kitEdDsaTokenWithEd448Key_verifiesWithJose4j() throws Exception {
    TestIssuer issuer = issuer(Algorithm.Ed448);
    String token = issuer.token().algorithm(Algorithm.EdDSA).sign();
    assertThat(jose4jVerifies(token, "EdDSA", issuer.publicKey())).isTrue();
  }

  @ParameterizedTest
  @EnumSource(
      value = Algorithm.class,
      mode = EnumSource.Mode.EXCLUDE,
      names = {"Ed25519", "Ed448"})
  void jose4jToken_acceptedByTollgate(Algorithm alg) throws Exception {
    TestIssuer issuer = issuer(alg);
    String token = jose4jSign(issuer, alg.jwaName(), signingKey(issuer));

    VerifiedJwt jwt = issuer.validator().validate(token);

    assertThat(jwt.subject()).contains("jose4j-user");
    assertThat(jwt.algorithm()).isEqualTo(alg);
    assertThat(jwt.keyId()).contains(issuer.keyId());
  }

  @Test
  void jose4jEdDsaTokenWithEd448Key_acceptedByTollgate() throws Exception {
    TestIssuer issuer = issuer(Algorithm.Ed448);
    String token = jose4jSign(issuer, "EdDSA", issuer.privateKey());
    JwtValidator v =
        JwtValidator.builder()
            .algorithms(Algorithm.EdDSA)
            .issuer(issuer.issuer())
            .audience(issuer.audience())
            .keys(KeyResolver.publicKey(issuer.publicKey()))
            .clock(FIXED)
            .build();
    assertThat(v.validate(token).algorithm()).isEqualTo(Algorithm.EdDSA);
  }

  private static String jose4jSign(TestIssuer issuer, String alg, Key key) throws Exception {
    JwtClaims claims = new JwtClaims();
    claims.setIssuer(issuer.issuer());
    claims.setAudience(issuer.audience());
    claims.setSubject("jose4j-user");
    claims.setIssuedAt(NumericDate.fromSeconds(NOW.getEpochSecond()));
    claims.setExpirationTime(NumericDate.fromSeconds(NOW.getEpochSecond() + 120));
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setAlgorithmHeaderValue(alg);
    jws.setKeyIdHeaderValue(issuer.keyId());
    jws.setKey(key);
    return jws.getCompactSerialization();
  }
}
