package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.keys.KeyResolver;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JwtValidatorBuilderTest {
  private static KeyResolver rsaKeys;

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    rsaKeys = KeyResolver.publicKey(gen.generateKeyPair().getPublic());
  }

  private static JwtValidator.Builder complete() {
    return JwtValidator.builder()
        .algorithms(Algorithm.RS256)
        .issuer("https://idp.example/")
        .audience("api")
        .keys(rsaKeys);
  }

  @Test
  void build_complete_succeeds() {
    assertThat(complete().build().toString()).contains("RS256", "https://idp.example/", "api");
  }

  @Test
  void build_eachRequiredOptionMissing_failsNamingIt() {
    assertThatThrownBy(() -> JwtValidator.builder().issuer("i").audience("a").keys(rsaKeys).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("algorithms(");
    assertThatThrownBy(
            () ->
                JwtValidator.builder()
                    .algorithms(Algorithm.RS256)
                    .audience("a")
                    .keys(rsaKeys)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("issuer(");
    assertThatThrownBy(
            () ->
                JwtValidator.builder()
                    .algorithms(Algorithm.RS256)
                    .issuer("i")
                    .keys(rsaKeys)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("audience(");
    assertThatThrownBy(
            () ->
                JwtValidator.builder()
                    .algorithms(Algorithm.RS256)
                    .issuer("i")
                    .audience("a")
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("keys(");
  }

  @Test
  void options_setTwice_throwIllegalState() {
    assertSecondSetFails(b -> b.algorithms(Algorithm.RS256));
    assertSecondSetFails(b -> b.issuer("x"));
    assertSecondSetFails(b -> b.audience("x"));
    assertSecondSetFails(b -> b.keys(rsaKeys));
    assertSecondSetFails(b -> b.clock(Clock.systemUTC()));
    assertSecondSetFails(b -> b.clockSkew(Duration.ZERO));
    assertSecondSetFails(b -> b.maxTokenAge(Duration.ofHours(1)));
    assertSecondSetFails(b -> b.type("at+jwt"));
    assertSecondSetFails(JwtValidator.Builder::accessTokenProfile);
    assertSecondSetFails(b -> b.requireClaims("sub"));
    assertSecondSetFails(b -> b.requireClaim("tenant", v -> true));
    assertSecondSetFails(b -> b.minimumRsaKeyBits(3072));
    assertSecondSetFails(b -> b.maxTokenLength(4096));
  }

  private static void assertSecondSetFails(Consumer<JwtValidator.Builder> option) {
    JwtValidator.Builder b = JwtValidator.builder();
    option.accept(b);
    assertThatThrownBy(() -> option.accept(b))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already set");
  }

  @Test
  void nullArguments_throwNpeNamingThem() {
    JwtValidator.Builder b = JwtValidator.builder();
    assertThatThrownBy(() -> b.algorithms(null)).hasMessage("first");
    assertThatThrownBy(() -> b.algorithms(Algorithm.RS256, (Algorithm) null)).hasMessage("more[]");
    assertThatThrownBy(() -> b.issuer(null)).hasMessage("first");
    assertThatThrownBy(() -> b.audience("a", (String[]) null)).hasMessage("more");
    assertThatThrownBy(() -> b.keys(null)).hasMessage("resolver");
    assertThatThrownBy(() -> b.clock(null)).hasMessage("clock");
    assertThatThrownBy(() -> b.clockSkew(null)).hasMessage("skew");
    assertThatThrownBy(() -> b.maxTokenAge(null)).hasMessage("maxAge");
    assertThatThrownBy(() -> b.type(null)).hasMessage("first");
    assertThatThrownBy(() -> b.requireClaims((String[]) null)).hasMessage("names");
    assertThatThrownBy(() -> b.requireClaim(null, v -> true)).hasMessage("name");
    assertThatThrownBy(() -> b.requireClaim("x", null)).hasMessage("check");
    assertThatThrownBy(() -> complete().build().validate(null)).hasMessage("token");
  }

  @Test
  void ranges_outOfBounds_throwIllegalArgumentStatingTheBound() {
    JwtValidator.Builder b = JwtValidator.builder();
    assertThatThrownBy(() -> b.clockSkew(Duration.ofMinutes(5).plusMillis(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5 minutes");
    assertThatThrownBy(() -> b.clockSkew(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxTokenAge(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.minimumRsaKeyBits(2047))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2048");
    assertThatThrownBy(() -> b.minimumRsaKeyBits(16385))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxTokenLength(127)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxTokenLength((1 << 20) + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.issuer("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.audience("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.type("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.requireClaims()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.requireClaim("", v -> true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JwtValidator.builder().maxTokenAge(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JwtValidator.builder().requireClaims())
        .isInstanceOf(IllegalArgumentException.class);
    // The bounds themselves are accepted.
    JwtValidator.builder().minimumRsaKeyBits(16384);
    JwtValidator.builder().clockSkew(Duration.ofMinutes(5));
    JwtValidator.builder().clockSkew(Duration.ZERO);
    JwtValidator.builder().minimumRsaKeyBits(2048);
    JwtValidator.builder().maxTokenLength(128);
    JwtValidator.builder().maxTokenLength(1 << 20);
  }

  @Test
  void build_accessTokenProfileWithType_conflicts() {
    assertThatThrownBy(() -> complete().accessTokenProfile().type("jwt").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("accessTokenProfile");
  }

  @Test
  void build_staticRsaKeyBelowRaisedFloor_refusedAtBuild() {
    assertThatThrownBy(() -> complete().minimumRsaKeyBits(3072).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("minimumRsaKeyBits(3072)");
  }

  @Test
  void build_noStaticKeyFitsTheAlgorithms_refusedAtBuild() {
    assertThatThrownBy(
            () ->
                JwtValidator.builder()
                    .algorithms(Algorithm.ES256, Algorithm.HS256)
                    .issuer("i")
                    .audience("a")
                    .keys(rsaKeys)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("none of the keys");
  }
}
