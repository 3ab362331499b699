package dev.tollgate.internal;

import static dev.tollgate.JwsHeaders.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtKey;
import dev.tollgate.testing.TestIssuer;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaticKeyResolverTest {
  private static final TestIssuer RS = TestIssuer.create(Algorithm.RS256);
  private static final JwtKey RSA = JwtKey.of(RS.publicKey(), "rsa-1");
  private static final JwtKey EC = TestIssuer.create(Algorithm.ES256).jwtKey();
  private static final JwtKey KIDLESS_RSA = JwtKey.of(RS.rotate().publicKey());

  @Test
  void constructor_noKeys_refused() {
    assertThatThrownBy(() -> new StaticKeyResolver(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void constructor_twoKeysWithOneKid_refused() {
    JwtKey twin = JwtKey.of(RS.rotate().publicKey(), "rsa-1");
    assertThatThrownBy(() -> new StaticKeyResolver(List.of(RSA, twin)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void resolve_knownKid_thatKeyAndTheKeysWithoutKid() {
    StaticKeyResolver keys = new StaticKeyResolver(List.of(EC, RSA, KIDLESS_RSA));
    assertThat(keys.resolve(header(Algorithm.RS256, "rsa-1"))).containsExactly(RSA, KIDLESS_RSA);
    assertThat(keys.keys()).containsExactly(EC, RSA, KIDLESS_RSA);
  }

  @Test
  void resolve_onlyKeysThatFitTheAlgorithm() {
    StaticKeyResolver rsaOnly = new StaticKeyResolver(List.of(RSA, KIDLESS_RSA));
    assertThat(rsaOnly.resolve(header(Algorithm.ES256, null))).isEmpty();
    assertThat(rsaOnly.resolve(header(Algorithm.HS256, null))).isEmpty();
    assertThat(rsaOnly.resolve(header(Algorithm.ES256, RSA.keyId().orElseThrow()))).isEmpty();
    assertThat(rsaOnly.resolve(header(Algorithm.PS256, null))).containsExactly(RSA, KIDLESS_RSA);
  }

  @Test
  void resolve_unknownKid_triesOnlyTheKeysWithoutKid() {
    StaticKeyResolver keys = new StaticKeyResolver(List.of(RSA, EC, KIDLESS_RSA));
    assertThat(keys.resolve(header(Algorithm.RS256, "other"))).containsExactly(KIDLESS_RSA);
    assertThat(keys.resolveUnknown(header(Algorithm.RS256, "other"))).containsExactly(KIDLESS_RSA);
    assertThat(keys.resolveUnknown(header(Algorithm.ES256, "other"))).isEmpty();
    assertThat(keys.resolveIfKnown(header(Algorithm.RS256, "other"))).isNull();
    assertThat(keys.resolveIfKnown(header(Algorithm.RS256, RSA.keyId().orElseThrow())))
        .containsExactly(RSA, KIDLESS_RSA);
    assertThat(keys.resolveIfKnown(header(Algorithm.RS256, null)))
        .containsExactly(RSA, KIDLESS_RSA);
  }

  @Test
  void toString_namesTheKeysWithoutMaterial() {
    assertThat(new StaticKeyResolver(List.of(EC))).hasToString("StaticKeyResolver[" + EC + "]");
  }
}
