package dev.tollgate.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtKey;
import dev.tollgate.testing.TestIssuer;
import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JwksDocumentTest {
  private static final TestIssuer ES = TestIssuer.create(Algorithm.ES256);
  private static final TestIssuer RS = TestIssuer.create(Algorithm.RS256);
  private static Map<String, Object> weakRsa;

  @BeforeAll
  static void weakKey() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    weakRsa = rsaJwk("weak-1", (RSAPublicKey) g.generateKeyPair().getPublic());
  }

  static Map<String, Object> rsaJwk(String kid, RSAPublicKey key) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kty", "RSA");
    m.put("kid", kid);
    m.put("use", "sig");
    m.put("n", Base64Url.encode(unsigned(key.getModulus())));
    m.put("e", Base64Url.encode(unsigned(key.getPublicExponent())));
    return m;
  }

  private static byte[] unsigned(BigInteger v) {
    byte[] b = v.toByteArray();
    return b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
  }

  /** The members of an issuer's current JWK, with changes. */
  static Map<String, Object> jwk(TestIssuer issuer, String kid, Object... changes)
      throws Exception {
    Map<String, @Nullable Object> parsed = Json.parseObject(issuer.publicJwk().getBytes(UTF_8), 4);
    Map<String, Object> m = new LinkedHashMap<>();
    parsed.forEach((k, v) -> m.put(k, v));
    m.put("kid", kid);
    for (int i = 0; i < changes.length; i += 2) {
      m.put((String) changes[i], changes[i + 1]);
    }
    return m;
  }

  static String set(Object... keys) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("keys", List.of(keys));
    return Json.write(doc);
  }

  private static JwksDocument parse(String json) {
    return JwksDocument.parse(json.getBytes(UTF_8));
  }

  @Test
  void parse_goodSet_keepsEveryKey() {
    JwksDocument doc = parse(RS.rotate().jwks());
    assertThat(doc.keys())
        .extracting(k -> k.keyId().orElseThrow())
        .containsExactly("test-rs256-1", "test-rs256-2");
    assertThat(doc.warnings()).isEmpty();
  }

  @Test
  void parse_unusableKeys_skippedOneByOneWithAWarningNamingTheKid() throws Exception {
    List<Object> keys = new ArrayList<>();
    keys.add(jwk(ES, "enc-1", "use", "enc"));
    keys.add(weakRsa);
    keys.add(jwk(ES, "ops-1", "key_ops", List.of("encrypt")));
    keys.add(jwk(ES, "alg-1", "alg", "RSA-OAEP"));
    keys.add(Map.of("kty", "oct", "kid", "secret-1", "k", Base64Url.encode(new byte[32])));
    keys.add(jwk(ES, "private-1", "d", "AAAA"));
    keys.add(Map.of("kty", "XYZ", "kid", "kty-1"));
    keys.add(jwk(ES, "broken-1", "x", "AAAA"));
    keys.add("not an object");
    keys.add(jwk(ES, "good-1"));
    keys.add(jwk(RS, "good-1"));

    JwksDocument doc = parse(set(keys.toArray()));

    assertThat(doc.keys()).singleElement().satisfies(k -> assertThat(k.keyId()).contains("good-1"));
    assertThat(doc.warnings()).hasSize(10);
    String[] kids = {
      "enc-1", "weak-1", "ops-1", "alg-1", "secret-1", "private-1", "kty-1", "broken-1", "keys[8]"
    };
    for (int i = 0; i < kids.length; i++) {
      assertThat(doc.warnings().get(i)).contains(kids[i]);
    }
    assertThat(doc.warnings().get(9)).contains("good-1").contains("same kid");
    // Warnings never quote key material.
    String n = (String) weakRsa.get("n");
    assertThat(String.join("\n", doc.warnings())).doesNotContain(n.substring(0, 16), "AAAA");
  }

  @Test
  void parse_json_holdsOnlyUsableKeysWithPublicMembers() throws Exception {
    String json =
        set(jwk(ES, "good-1", "x5c", List.of("MIIB"), "extra", "x"), jwk(ES, "e", "use", "enc"));
    JwksDocument doc = parse(json);

    JwksDocument again = parse(doc.json());
    assertThat(again.keys()).hasSize(1);
    assertThat(again.warnings()).isEmpty();
    assertThat(doc.json()).doesNotContain("x5c", "extra", "\"e\"");
    JwtKey k = again.keys().get(0);
    assertThat(k.algorithms()).containsExactly(Algorithm.ES256);
  }

  @Test
  void parse_notAKeySet_refusedWhole() {
    for (String bad :
        new String[] {
          "",
          "<html>error</html>",
          "{\"keys\":[",
          "[]",
          "{}",
          "{\"keys\":{}}",
          "{\"keys\":[]}",
          "{\"keys\":[],\"keys\":[]}"
        }) {
      assertThatThrownBy(() -> parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .isNotInstanceOf(JwksDocument.NoUsableKeyException.class);
    }
  }

  @Test
  void parse_onlyUnusableKeys_refusedAsNoUsableKey() throws Exception {
    assertThatThrownBy(() -> parse(set(weakRsa, jwk(ES, "enc-1", "use", "enc"))))
        .isInstanceOf(JwksDocument.NoUsableKeyException.class)
        .hasMessageContaining("weak-1")
        .hasMessageContaining("enc-1");
  }

  @Test
  void parse_tooManyKeys_refusedWhole() throws Exception {
    Object[] keys = new Object[KeyParsing.MAX_KEYS + 1];
    java.util.Arrays.fill(keys, Map.of("kty", "XYZ"));
    assertThatThrownBy(() -> parse(set(keys))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parse_exactlyMaxKeys_read_oneMore_refusedWhole() throws Exception {
    Object[] keys = new Object[KeyParsing.MAX_KEYS];
    java.util.Arrays.fill(keys, Map.of("kty", "XYZ"));
    keys[0] = jwk(ES, "good-1");
    assertThat(parse(set(keys)).keys()).hasSize(1);

    Object[] tooMany = java.util.Arrays.copyOf(keys, KeyParsing.MAX_KEYS + 1);
    tooMany[KeyParsing.MAX_KEYS] = jwk(RS, "good-2");
    assertThatThrownBy(() -> parse(set(tooMany)))
        .isInstanceOf(IllegalArgumentException.class)
        .isNotInstanceOf(JwksDocument.NoUsableKeyException.class);
  }

  @Test
  void parse_keysWithoutKid_kept() throws Exception {
    Map<String, Object> first = jwk(ES, "x");
    first.remove("kid");
    Map<String, Object> second = jwk(RS, "x");
    second.remove("kid");
    JwksDocument doc = parse(set(first, second));
    assertThat(doc.keys()).hasSize(2).allSatisfy(k -> assertThat(k.keyId()).isEmpty());
    assertThat(doc.warnings()).isEmpty();
  }

  @Test
  void parse_keyWithNonStringKid_skippedNamedByPosition() throws Exception {
    JwksDocument doc = parse(set(jwk(ES, "x", "kid", 7), jwk(RS, "good-1")));
    assertThat(doc.keys()).singleElement().satisfies(k -> assertThat(k.keyId()).contains("good-1"));
    assertThat(doc.warnings()).singleElement().asString().startsWith("skipped keys[0]: ");
  }

  @Test
  void parse_symmetricKey_warningSaysSecretsAreNotPublished() throws Exception {
    Map<String, Object> oct =
        Map.of("kty", "oct", "kid", "s-1", "k", Base64Url.encode(new byte[32]));
    JwksDocument doc = parse(set(oct, jwk(RS, "good-1")));
    assertThat(doc.warnings()).singleElement().asString().contains("s-1").contains("symmetric");
  }

  @Test
  void parse_keyWithPrivateMember_warningNamesTheMember() throws Exception {
    JwksDocument doc = parse(set(jwk(ES, "private-1", "p", "AAAA"), jwk(RS, "good-1")));
    assertThat(doc.warnings()).singleElement().asString().contains("private-1").contains("\"p\"");
  }

  @Test
  void safe_replacesControlCharactersAndCutsLongText() {
    assertThat(JwksDocument.safe("a\nb\u0000c")).isEqualTo("a?b?c");
    assertThat(JwksDocument.safe("x".repeat(1000))).hasSize(163).endsWith("...");
    assertThat(JwksDocument.safe("a b~\u007f\u0080\u001f")).isEqualTo("a b~?\u0080?");
    assertThat(JwksDocument.safe("\uD83D\uDE00 \uDC00")).isEqualTo("?? ?");
    assertThat(JwksDocument.safe("x".repeat(160))).isEqualTo("x".repeat(160));
  }
}
