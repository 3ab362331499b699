package dev.tollgate.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.internal.StaticKeyResolver;
import dev.tollgate.keys.KeyResolver;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The limits on key documents ({@link KeyResolver#jwks(String)}, {@link KeyResolver#jwk(String)}):
 * at most 1024 keys, JSON depth 8, no repeated names, numbers a double can hold, RSA moduli of at
 * most 16384 bits. Refusals are {@code IllegalArgumentException}s; each refused document is built
 * so that reading on would fail with another message, which the test tells apart.
 */
class KeySetLimitsTest {
  private static final String SECRET =
      Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);

  private static String secretKey(int i) {
    return "{\"kty\":\"oct\",\"kid\":\"k" + i + "\",\"k\":\"" + SECRET + "\"}";
  }

  private static String keySet(int n, String member) {
    List<String> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      keys.add(member.isEmpty() ? secretKey(i) : member);
    }
    return "{\"keys\":[" + String.join(",", keys) + "]}";
  }

  @Test
  void jwks_1024Keys_accepted() {
    KeyResolver resolver = KeyResolver.jwks(keySet(1024, ""));
    assertThat(((StaticKeyResolver) resolver).keys()).hasSize(1024);
  }

  @Test
  void jwks_1025Keys_refusedBeforeAnyKeyIsRead() {
    assertThatThrownBy(() -> KeyResolver.jwks(keySet(1025, "")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than 1024 keys");
    // Had the keys been read, the first empty one would have been refused for lacking "kty".
    assertThatThrownBy(() -> KeyResolver.jwks(keySet(100_000, "{}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than 1024 keys");
  }

  @Test
  void jwks_depth8_accepted_depth9_refused() {
    // Levels: the set 1, "keys" 2, the key 3, then 5 nested arrays in an extra member: 8.
    String depth8 = "{\"keys\":[{\"kty\":\"oct\",\"k\":\"" + SECRET + "\",\"x\":[[[[[]]]]]}]}";
    assertThat(KeyResolver.jwks(depth8)).isNotNull();
    String depth9 = depth8.replace("[[[[[]]]]]", "[[[[[[]]]]]]");
    assertThatThrownBy(() -> KeyResolver.jwks(depth9))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid JSON object");
  }

  @Test
  void jwksAndJwk_100000LevelsOfNesting_refusedWithoutExhaustingTheStack() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    String objects = "{\"a\":".repeat(100_000) + "{}" + "}".repeat(100_000);
    for (String doc :
        List.of(
            "{\"keys\":" + deep + "}",
            "{\"keys\":[" + objects + "]}",
            "{\"kty\":\"oct\",\"k\":\"" + SECRET + "\",\"x\":" + deep + "}",
            objects)) {
      assertThatThrownBy(() -> KeyResolver.jwks(doc))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a valid JSON object");
      assertThatThrownBy(() -> KeyResolver.jwk(doc))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a valid JSON object");
    }
  }

  @Test
  void jwksAndJwk_repeatedNames_refused() {
    String twice = "{\"keys\":[],\"keys\":[" + secretKey(0) + "]}";
    assertThatThrownBy(() -> KeyResolver.jwks(twice))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid JSON object");
    String kty = "{\"kty\":\"RSA\",\"kty\":\"oct\",\"k\":\"" + SECRET + "\"}";
    assertThatThrownBy(() -> KeyResolver.jwk(kty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid JSON object");
    String kids = "{\"keys\":[" + secretKey(7) + "," + secretKey(7) + "]}";
    assertThatThrownBy(() -> KeyResolver.jwks(kids))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two keys with the key id");
  }

  @Test
  void jwksAndJwk_numbersBeyondADouble_refused() {
    String big = "{\"keys\":[" + secretKey(0) + "],\"x\":1" + "0".repeat(10_000) + "}";
    assertThatThrownBy(() -> KeyResolver.jwks(big))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid JSON object");
    String bigInKey = "{\"kty\":\"oct\",\"k\":\"" + SECRET + "\",\"x\":-1e400}";
    assertThatThrownBy(() -> KeyResolver.jwk(bigInKey))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid JSON object");
  }

  @Test
  void jwk_rsaModulusAbove16384Bits_refused() {
    // An odd modulus of 20000 bits; far larger ones are only more of the same digits.
    BigInteger n = BigInteger.ONE.shiftLeft(19_999).add(BigInteger.valueOf(0x10001 * 2 + 1));
    String jwk =
        "{\"kty\":\"RSA\",\"n\":\""
            + Base64.getUrlEncoder().withoutPadding().encodeToString(n.toByteArray())
            + "\",\"e\":\"AQAB\"}";
    assertThatThrownBy(() -> KeyResolver.jwk(jwk)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void jwk_rsaExponentAbove256Bits_refused() {
    BigInteger n = BigInteger.ONE.shiftLeft(2047).add(BigInteger.valueOf(12345));
    BigInteger e = BigInteger.ONE.shiftLeft(300).add(BigInteger.ONE);
    Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();
    String jwk =
        "{\"kty\":\"RSA\",\"n\":\""
            + enc.encodeToString(n.toByteArray())
            + "\",\"e\":\""
            + enc.encodeToString(e.toByteArray())
            + "\"}";
    assertThatThrownBy(() -> KeyResolver.jwk(jwk)).isInstanceOf(IllegalArgumentException.class);
  }
}
