package dev.tollgate.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtKey;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwk.JsonWebKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyResolverTest {
  private static KeyPair rsa;
  private static KeyPair ec;

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
    r.initialize(2048);
    rsa = r.generateKeyPair();
    KeyPairGenerator e = KeyPairGenerator.getInstance("EC");
    e.initialize(new ECGenParameterSpec("secp256r1"));
    ec = e.generateKeyPair();
  }

  /** The public JWK of a key as jose4j writes it, with extra members spliced in. */
  private static String jwk(PublicKey key, String extra) throws Exception {
    String json = JsonWebKey.Factory.newJwk(key).toJson();
    return extra.isEmpty() ? json : json.substring(0, json.length() - 1) + "," + extra + "}";
  }

  private static List<JwtKey> keysOf(KeyResolver resolver) {
    return ((dev.tollgate.internal.StaticKeyResolver) resolver).keys();
  }

  @Test
  void jwk_rsaFromJose4j_loadsWithItsKid() throws Exception {
    List<JwtKey> keys = keysOf(KeyResolver.jwk(jwk(rsa.getPublic(), "\"kid\":\"r1\"")));
    assertThat(keys).singleElement().satisfies(k -> assertThat(k.keyId()).contains("r1"));
    assertThat(keys.get(0).bits()).isEqualTo(2048);
  }

  @Test
  void jwk_algRestrictsTheKey() throws Exception {
    JwtKey key = keysOf(KeyResolver.jwk(jwk(rsa.getPublic(), "\"alg\":\"PS256\""))).get(0);
    assertThat(key.algorithms()).containsExactly(Algorithm.PS256);
  }

  @Test
  void jwk_algThatDoesNotFitTheKey_refused() throws Exception {
    String es512OnP256 = jwk(ec.getPublic(), "\"alg\":\"ES512\"");
    assertThatThrownBy(() -> KeyResolver.jwk(es512OnP256))
        .isInstanceOf(IllegalArgumentException.class);
    String hsOnRsa = jwk(rsa.getPublic(), "\"alg\":\"HS256\"");
    assertThatThrownBy(() -> KeyResolver.jwk(hsOnRsa)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void jwk_algNotAJwsAlgorithm_refused() throws Exception {
    for (String alg : new String[] {"RSA1_5", "RSA-OAEP", "none", "ES224", "rs256"}) {
      String json = jwk(rsa.getPublic(), "\"alg\":\"" + alg + "\"");
      assertThatThrownBy(() -> KeyResolver.jwk(json))
          .as(alg)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("alg");
    }
  }

  @Test
  void jwk_useOtherThanSig_refused() throws Exception {
    String json = jwk(rsa.getPublic(), "\"use\":\"enc\"");
    assertThatThrownBy(() -> KeyResolver.jwk(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use");
    assertThat(keysOf(KeyResolver.jwk(jwk(rsa.getPublic(), "\"use\":\"sig\"")))).hasSize(1);
  }

  @Test
  void jwk_keyOpsWithoutVerify_refused() throws Exception {
    String json = jwk(rsa.getPublic(), "\"key_ops\":[\"encrypt\"]");
    assertThatThrownBy(() -> KeyResolver.jwk(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key_ops");
    String notAList = jwk(rsa.getPublic(), "\"key_ops\":\"verify\"");
    assertThatThrownBy(() -> KeyResolver.jwk(notAList))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(keysOf(KeyResolver.jwk(jwk(rsa.getPublic(), "\"key_ops\":[\"verify\"]"))))
        .hasSize(1);
  }

  @Test
  void jwk_duplicateMember_refused() throws Exception {
    String json = jwk(rsa.getPublic(), "\"kty\":\"RSA\"");
    assertThatThrownBy(() -> KeyResolver.jwk(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JSON");
  }

  @Test
  void jwk_unsupportedOrMissingKty_refused() {
    assertThatThrownBy(() -> KeyResolver.jwk("{\"kty\":\"DSA\"}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyResolver.jwk("{\"n\":\"AQAB\"}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyResolver.jwk("{\"kty\":\"RSA\",\"e\":\"AQAB\"}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyResolver.jwk("[]")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void jwk_octSecret_loadsForItsLength() {
    String k = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[48]);
    JwtKey key = keysOf(KeyResolver.jwk("{\"kty\":\"oct\",\"k\":\"" + k + "\"}")).get(0);
    assertThat(key.algorithms()).containsExactlyInAnyOrder(Algorithm.HS256, Algorithm.HS384);
    String shortK = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[31]);
    assertThatThrownBy(() -> KeyResolver.jwk("{\"kty\":\"oct\",\"k\":\"" + shortK + "\"}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> KeyResolver.jwk("{\"kty\":\"oct\",\"alg\":\"A256GCM\",\"k\":\"" + k + "\"}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void jwk_errorMessages_neverQuoteKeyMaterial() {
    String k = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[20]);
    assertThatThrownBy(() -> KeyResolver.jwk("{\"kty\":\"oct\",\"k\":\"" + k + "\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(k));
    assertThatThrownBy(
            () ->
                KeyResolver.jwk(
                    "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"SECRETX\",\"y\":\"SECRETY\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SECRETX"));
  }

  @Test
  void jwks_validSet_resolvesEachKeyByItsKid() throws Exception {
    String doc =
        "{\"keys\":["
            + jwk(rsa.getPublic(), "\"kid\":\"r\"")
            + ","
            + jwk(ec.getPublic(), "\"kid\":\"e\"")
            + "]}";
    List<JwtKey> keys = keysOf(KeyResolver.jwks(doc));
    assertThat(keys).extracting(k -> k.keyId().orElseThrow()).containsExactly("r", "e");
    assertThat(keys.get(0).algorithms()).contains(Algorithm.RS256);
    assertThat(keys.get(1).algorithms()).containsExactly(Algorithm.ES256);
  }

  @Test
  void publicKey_trustsThatKeyForItsAlgorithms() {
    List<JwtKey> keys = keysOf(KeyResolver.publicKey(ec.getPublic()));
    assertThat(keys).singleElement().satisfies(k -> assertThat(k.bits()).isEqualTo(256));
    assertThat(keys.get(0).algorithms()).containsExactly(Algorithm.ES256);
  }

  @Test
  void secret_trustsTheSecretForHmacOnly() {
    byte[] secret = new byte[32];
    new java.security.SecureRandom().nextBytes(secret);
    List<JwtKey> keys = keysOf(KeyResolver.secret(secret));
    assertThat(keys).singleElement().satisfies(k -> assertThat(k.bits()).isEqualTo(256));
    assertThat(keys.get(0).algorithms()).containsExactly(Algorithm.HS256);
  }

  @Test
  void jwks_duplicateKid_refused() throws Exception {
    String one = jwk(rsa.getPublic(), "\"kid\":\"same\"");
    String two = jwk(ec.getPublic(), "\"kid\":\"same\"");
    assertThatThrownBy(() -> KeyResolver.jwks("{\"keys\":[" + one + "," + two + "]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("same");
  }

  @Test
  void jwks_mixOfSecretsAndPublicKeys_refused() throws Exception {
    String k = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
    String doc =
        "{\"keys\":["
            + jwk(rsa.getPublic(), "\"kid\":\"r\"")
            + ",{\"kty\":\"oct\",\"kid\":\"h\",\"k\":\""
            + k
            + "\"}]}";
    assertThatThrownBy(() -> KeyResolver.jwks(doc))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mixes");
  }

  @Test
  void jwks_notASet_refused() {
    for (String doc :
        new String[] {"{}", "{\"keys\":[]}", "{\"keys\":{}}", "{\"keys\":[1]}", "x"}) {
      assertThatThrownBy(() -> KeyResolver.jwks(doc))
          .as(doc)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void jwks_oneBadKey_refusesTheSet() throws Exception {
    String doc =
        "{\"keys\":["
            + jwk(rsa.getPublic(), "\"kid\":\"good\"")
            + ","
            + jwk(ec.getPublic(), "\"kid\":\"bad\",\"use\":\"enc\"")
            + "]}";
    assertThatThrownBy(() -> KeyResolver.jwks(doc))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad");
  }

  @Test
  void pem_publicKeysOfEachKind_load() throws Exception {
    KeyPairGenerator ed = KeyPairGenerator.getInstance("Ed25519");
    String text =
        pem("PUBLIC KEY", rsa.getPublic().getEncoded())
            + pem("PUBLIC KEY", ec.getPublic().getEncoded())
            + pem("PUBLIC KEY", ed.generateKeyPair().getPublic().getEncoded());
    List<JwtKey> keys = keysOf(KeyResolver.pem(text));
    assertThat(keys).hasSize(3);
    assertThat(keys.get(0).algorithms()).contains(Algorithm.RS256);
    assertThat(keys.get(1).algorithms()).containsExactly(Algorithm.ES256);
    assertThat(keys.get(2).algorithms()).contains(Algorithm.EdDSA);
  }

  @Test
  void pem_privateKey_refused() {
    String text = pem("PRIVATE KEY", rsa.getPrivate().getEncoded());
    assertThatThrownBy(() -> KeyResolver.pem(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("private key")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(text.substring(30, 60)));
  }

  @Test
  void pem_nothingUsable_refused() {
    assertThatThrownBy(() -> KeyResolver.pem("hello")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyResolver.pem(pem("RSA PUBLIC KEY", new byte[10])))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyResolver.pem(pem("PUBLIC KEY", new byte[10])))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void certificate_andCertificatePem_useTheCertificatesKey(@TempDir Path dir) throws Exception {
    // A real self-signed certificate, made by the JDK's keytool.
    Path store = dir.resolve("store.p12");
    Path cert = dir.resolve("cert.pem");
    String keytool =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "keytool";
    run(
        keytool,
        "-genkeypair",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-alias",
        "t",
        "-dname",
        "CN=test",
        "-keystore",
        store.toString(),
        "-storepass",
        "changeit",
        "-storetype",
        "PKCS12",
        "-validity",
        "2");
    run(
        keytool,
        "-exportcert",
        "-rfc",
        "-alias",
        "t",
        "-keystore",
        store.toString(),
        "-storepass",
        "changeit",
        "-file",
        cert.toString());
    String pemText = Files.readString(cert, StandardCharsets.US_ASCII);
    JwtKey fromPem = keysOf(KeyResolver.pem(pemText)).get(0);
    assertThat(fromPem.algorithms()).containsExactly(Algorithm.ES256);
    java.security.cert.X509Certificate x509 =
        (java.security.cert.X509Certificate)
            java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(cert));
    assertThat(keysOf(KeyResolver.certificate(x509)).get(0).algorithms())
        .containsExactly(Algorithm.ES256);
  }

  @Test
  void of_duplicateKeyIds_refused() throws Exception {
    JwtKey a = JwtKey.of(rsa.getPublic(), "k");
    JwtKey b = JwtKey.of(ec.getPublic(), "k");
    assertThatThrownBy(() -> KeyResolver.of(a, b)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void factories_nullArguments_throwNpeNamingThem() {
    assertThatThrownBy(() -> KeyResolver.jwk(null)).hasMessage("json");
    assertThatThrownBy(() -> KeyResolver.jwks(null)).hasMessage("json");
    assertThatThrownBy(() -> KeyResolver.pem(null)).hasMessage("pem");
    assertThatThrownBy(() -> KeyResolver.publicKey(null)).hasMessage("publicKey");
    assertThatThrownBy(() -> KeyResolver.certificate(null)).hasMessage("certificate");
    assertThatThrownBy(() -> KeyResolver.secret(null)).hasMessage("secret");
    assertThatThrownBy(() -> KeyResolver.of(null)).hasMessage("first");
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
  }
}
