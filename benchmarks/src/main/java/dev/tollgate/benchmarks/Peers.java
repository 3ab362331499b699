package dev.tollgate.benchmarks;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.tollgate.Algorithm;
import dev.tollgate.JwtValidator;
import dev.tollgate.VerifiedJwt;
import dev.tollgate.testing.TestIssuer;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.SecureDigestAlgorithm;
import java.security.Key;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;

/**
 * The contenders, each configured for one {@link TestIssuer} with the same policy: only the
 * issuer's algorithm, its key, an exact {@code iss}, the {@code aud}, a required {@code exp}, and
 * 60 seconds of clock skew (Tollgate's default) where the library has such a setting.
 *
 * <p>Tollgate, jose4j and Nimbus are given the issuer's key set and find the key by the token's
 * {@code kid}, as an API behind an identity provider does; Auth0 and jjwt take one key, as their
 * documented configuration does (neither has a key-set type of its own).
 */
final class Peers {
  /** Clock skew for every library that has the setting; Tollgate's default. */
  static final int SKEW_SECONDS = 60;

  private Peers() {}

  /** Tollgate, configured by the test kit: the issuer's JWKS, system clock, default options. */
  static final class Tollgate implements Contender {
    private final JwtValidator validator;

    Tollgate(TestIssuer issuer) {
      this.validator = issuer.validatorBuilder().build();
    }

    Tollgate(JwtValidator validator) {
      this.validator = validator;
    }

    @Override
    public VerifiedJwt validate(String token) {
      return validator.validate(token);
    }
  }

  /** jose4j's JwtConsumer, the library Tollgate is built on, used directly. */
  static final class Jose4j implements Contender {
    private final JwtConsumer consumer;

    Jose4j(TestIssuer issuer) {
      Algorithm alg = issuer.algorithm();
      Key key = isHmac(alg) ? new HmacKey(issuer.secret()) : issuer.publicKey();
      this.consumer =
          new JwtConsumerBuilder()
              .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, alg.jwaName())
              .setVerificationKey(key)
              .setExpectedIssuer(issuer.issuer())
              .setExpectedAudience(issuer.audience())
              .setRequireExpirationTime()
              .setAllowedClockSkewInSeconds(SKEW_SECONDS)
              .build();
    }

    @Override
    public JwtClaims validate(String token) throws Exception {
      return consumer.processToClaims(token);
    }
  }

  /**
   * Nimbus JOSE+JWT's DefaultJWTProcessor: the key selected from the issuer's JWKS by kid and
   * algorithm (JWSVerificationKeySelector), claims checked by a DefaultJWTClaimsVerifier with the
   * exact issuer, the audience and {@code exp} required (its default clock skew is 60 s).
   *
   * <p>EdDSA is the exception: the processor cannot use an Ed25519 JWK (Nimbus's KeyConverter does
   * not export an OctetKeyPair as a JCA key, so the selector finds no key), and Nimbus verifies
   * Ed25519 only with Tink. For EdDSA the same steps are composed from Nimbus's own parts: parse,
   * require the algorithm, verify with an {@link Ed25519Verifier} made once, then the same claims
   * verifier. That spares Nimbus the per-token key selection and verifier creation the processor
   * does, so its EdDSA figure is, if anything, flattering.
   */
  static final class Nimbus implements Contender {
    private final DefaultJWTProcessor<SecurityContext> processor; // null for EdDSA
    private final JWSAlgorithm algorithm;
    private final Ed25519Verifier ed25519; // EdDSA only
    private final DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier;

    Nimbus(TestIssuer issuer) throws Exception {
      this.algorithm = JWSAlgorithm.parse(issuer.algorithm().jwaName());
      JWKSet jwks = JWKSet.parse(issuer.jwks());
      this.claimsVerifier =
          new DefaultJWTClaimsVerifier<>(
              issuer.audience(),
              new JWTClaimsSet.Builder().issuer(issuer.issuer()).build(),
              Set.of("exp"));
      if (issuer.algorithm() == Algorithm.EdDSA) {
        this.processor = null;
        this.ed25519 = new Ed25519Verifier(jwks.getKeyByKeyId(issuer.keyId()).toOctetKeyPair());
      } else {
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSKeySelector(
            new JWSVerificationKeySelector<>(algorithm, new ImmutableJWKSet<>(jwks)));
        p.setJWTClaimsSetVerifier(claimsVerifier);
        this.processor = p;
        this.ed25519 = null;
      }
    }

    @Override
    public JWTClaimsSet validate(String token) throws Exception {
      if (processor != null) {
        return processor.process(token, null);
      }
      SignedJWT jwt = SignedJWT.parse(token);
      if (!algorithm.equals(jwt.getHeader().getAlgorithm())) {
        throw new BadJOSEException("algorithm not allowed");
      }
      if (!jwt.verify(ed25519)) {
        throw new BadJWSException("bad signature");
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      claimsVerifier.verify(claims, null);
      return claims;
    }
  }

  /**
   * Auth0 java-jwt: {@code JWT.require(alg).withIssuer().withAudience()}, plus {@code
   * withClaimPresence("exp")} since it only checks {@code exp} when present. No EdDSA.
   */
  static final class Auth0 implements Contender {
    private final JWTVerifier verifier;

    Auth0(TestIssuer issuer) {
      this.verifier =
          JWT.require(auth0Algorithm(issuer))
              .withIssuer(issuer.issuer())
              .withAudience(issuer.audience())
              .withClaimPresence("exp")
              .acceptLeeway(SKEW_SECONDS)
              .build();
    }

    /** Whether Auth0 java-jwt can verify this algorithm at all. */
    static boolean supports(Algorithm alg) {
      return alg != Algorithm.EdDSA && alg != Algorithm.Ed25519 && alg != Algorithm.Ed448;
    }

    private static com.auth0.jwt.algorithms.Algorithm auth0Algorithm(TestIssuer issuer) {
      return switch (issuer.algorithm()) {
        case HS256 -> com.auth0.jwt.algorithms.Algorithm.HMAC256(issuer.secret());
        case RS256 -> com.auth0.jwt.algorithms.Algorithm.RSA256((RSAKey) issuer.publicKey());
        case PS256 -> com.auth0.jwt.algorithms.Algorithm.RSA256PSS((RSAKey) issuer.publicKey());
        case ES256 -> com.auth0.jwt.algorithms.Algorithm.ECDSA256((ECKey) issuer.publicKey());
        default -> throw new IllegalArgumentException("not benchmarked with Auth0: " + issuer);
      };
    }

    @Override
    public Object validate(String token) {
      return verifier.verify(token);
    }
  }

  /**
   * jjwt: {@code Jwts.parser().verifyWith(key).requireIssuer().requireAudience()}, its algorithm
   * registry cut down to the issuer's algorithm (by default it accepts any algorithm that fits the
   * key). jjwt has no "require present" for {@code exp} (only an exact value), so the claim is
   * checked after parsing: one null check.
   */
  static final class Jjwt implements Contender {
    private final JwtParser parser;

    Jjwt(TestIssuer issuer) {
      SecureDigestAlgorithm<?, ?> alg = Jwts.SIG.get().forKey(issuer.algorithm().jwaName());
      var builder = Jwts.parser().sig().clear().add(alg).and();
      if (isHmac(issuer.algorithm())) {
        // "HS256" -> "HmacSHA256": jjwt checks the key's JCA algorithm against the token's.
        String jca = "HmacSHA" + issuer.algorithm().jwaName().substring(2);
        builder.verifyWith(new SecretKeySpec(issuer.secret(), jca));
      } else {
        builder.verifyWith(issuer.publicKey());
      }
      this.parser =
          builder
              .requireIssuer(issuer.issuer())
              .requireAudience(issuer.audience())
              .clockSkewSeconds(SKEW_SECONDS)
              .build();
    }

    @Override
    public Jws<Claims> validate(String token) {
      Jws<Claims> jws = parser.parseSignedClaims(token);
      if (jws.getPayload().getExpiration() == null) {
        throw new IllegalArgumentException("exp is required");
      }
      return jws;
    }
  }

  static boolean isHmac(Algorithm alg) {
    return alg == Algorithm.HS256 || alg == Algorithm.HS384 || alg == Algorithm.HS512;
  }
}
