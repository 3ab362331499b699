package dev.tollgate.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtKey;
import dev.tollgate.testing.TestIssuer;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@link KeyParsing} on its own; {@code KeyResolverTest} covers it through the public factories.
 * Every refusal is an {@link IllegalArgumentException} whose message names the key, never a {@link
 * ClassCastException} or {@link NullPointerException} from a member of the wrong type.
 */
class KeyParsingTest {
  private static final TestIssuer ES = TestIssuer.create(Algorithm.ES256);

  private static String secret(int bytes) {
    return Base64Url.encode(new byte[bytes]);
  }

  @Test
  void jwks_emptyKeysArray_refused() {
    assertThatThrownBy(() -> KeyParsing.jwks("{\"keys\":[]}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void jwk_memberOfTheWrongType_refusedNamingIt() {
    assertThatThrownBy(() -> KeyParsing.jwk("{\"kty\":5}"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("JWK has a non-string \"kty\"");
    assertThatThrownBy(() -> KeyParsing.jwk("{\"kid\":\"k\",\"kty\":5}"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("JWK \"k\" has a non-string \"kty\"");
    assertThatThrownBy(() -> KeyParsing.jwk("{\"kid\":5,\"kty\":\"oct\"}"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("JWK has a non-string \"kid\"");
    assertThatThrownBy(
            () -> KeyParsing.jwk("{\"kid\":\"r\",\"kty\":\"RSA\",\"n\":5,\"e\":\"AQAB\"}"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("JWK \"r\" lacks the string member \"n\"");
  }

  @Test
  void jwk_octWithoutValidK_refused() {
    for (String json :
        new String[] {
          "{\"kty\":\"oct\"}",
          "{\"kty\":\"oct\",\"k\":\"!!!!\"}",
          "{\"kty\":\"oct\",\"k\":\"" + secret(32) + "=\"}"
        }) {
      assertThatThrownBy(() -> KeyParsing.jwk(json))
          .as(json)
          .isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessage("JWK has no valid \"k\"");
    }
  }

  @Test
  void jwk_refusalFromTheKeyCheck_prefixedWithTheKeyOnce() {
    assertThatThrownBy(() -> KeyParsing.jwk("{\"kty\":\"oct\",\"k\":\"" + secret(16) + "\"}"))
        .hasMessageStartingWith("JWK: HMAC secret has 128 bits");
    assertThatThrownBy(
            () -> KeyParsing.jwk("{\"kty\":\"oct\",\"kid\":\"w\",\"k\":\"" + secret(16) + "\"}"))
        .hasMessageStartingWith("JWK \"w\": HMAC secret has 128 bits");
    assertThatThrownBy(() -> KeyParsing.jwk("{\"kty\":\"EC\",\"kid\":\"w\",\"crv\":\"P-256\"}"))
        .hasMessage("JWK \"w\" lacks the string member \"x\"");
  }

  @Test
  void jwk_octWithKid_keepsTheKid() {
    JwtKey key = KeyParsing.jwk("{\"kty\":\"oct\",\"kid\":\"h\",\"k\":\"" + secret(32) + "\"}");
    assertThat(key.keyId()).contains("h");
    assertThat(key.algorithms()).containsExactly(Algorithm.HS256);
  }

  @Test
  void jwk_materialJose4jCannotRead_refusedWithoutQuotingIt() {
    assertThatThrownBy(
            () ->
                KeyParsing.jwk(
                    "{\"kty\":\"EC\",\"kid\":\"e\",\"crv\":\"P-999\",\"x\":\"AAAA\",\"y\":\"AAAA\"}"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("JWK \"e\" has invalid EC key material");
  }

  @Test
  void jwksEntries_upToMaxKeys_read_oneMore_refused() {
    List<Map<String, Object>> entries = new ArrayList<>();
    for (int i = 0; i < KeyParsing.MAX_KEYS; i++) {
      entries.add(Map.of("kty", "EC"));
    }
    Map<String, @Nullable Object> doc = new HashMap<>();
    doc.put("keys", entries);
    assertThat(KeyParsing.jwksEntries(doc)).hasSize(KeyParsing.MAX_KEYS);

    entries.add(Map.of("kty", "EC"));
    assertThatThrownBy(() -> KeyParsing.jwksEntries(doc))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("JWKS has more than 1024 keys");
  }

  @Test
  void checkSet_twoKeysWithOneKid_refused_keysWithoutKid_accepted() {
    PublicKey other = TestIssuer.create(Algorithm.ES256).publicKey();
    assertThatThrownBy(
            () ->
                KeyParsing.checkSet(
                    List.of(JwtKey.of(ES.publicKey(), "same"), JwtKey.of(other, "same"))))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("JWKS has two keys with the key id \"same\"");
    // Several keys without a kid are no duplicates.
    KeyParsing.checkSet(List.of(JwtKey.of(ES.publicKey()), JwtKey.of(other)));
    KeyParsing.checkSet(List.of(JwtKey.of(ES.publicKey(), "a"), JwtKey.of(other, "b")));
  }

  @Test
  void pem_noUsableBlock_refusedSayingWhy() {
    assertThatThrownBy(() -> KeyParsing.pem("no PEM here"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("PEM text holds no PUBLIC KEY or CERTIFICATE block");
    // A private key block that the block pattern does not match (it has no end line).
    assertThatThrownBy(() -> KeyParsing.pem("-----BEGIN PRIVATE KEY-----\nMIIE"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("private key");
  }

  @Test
  void pem_certificateUnderAnotherLabel_refused() throws Exception {
    // The kit's x5c token carries a real certificate; labelled anything but CERTIFICATE, it is
    // refused like any unknown block.
    String token = ES.x5cToken();
    byte[] header = Base64Url.decode(token.substring(0, token.indexOf('.')));
    Map<String, ?> members = Json.parseObject(header, 4);
    String der = (String) ((List<?>) members.get("x5c")).get(0);
    String body = der.replaceAll("(.{64})", "$1\n");
    assertThat(
            KeyParsing.pem("-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----"))
        .hasSize(1);
    for (String label : new String[] {"X509 CERTIFICATE", "TRUSTED CERTIFICATE", "PUBLIC KEY"}) {
      String pem = "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
      assertThatThrownBy(() -> KeyParsing.pem(pem))
          .as(label)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
