package dev.tollgate.fuzz;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tollgate.Algorithm;
import dev.tollgate.JwtKey;
import dev.tollgate.JwtValidationException;
import dev.tollgate.JwtValidator;
import dev.tollgate.Reason;
import dev.tollgate.internal.Json;
import dev.tollgate.internal.JsonException;
import dev.tollgate.internal.StaticKeyResolver;
import dev.tollgate.keys.KeyResolver;
import dev.tollgate.testing.TestIssuer;
import dev.tollgate.testing.TokenBuilder;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the key documents a validator is configured with: {@link KeyResolver#jwks(String)} and
 * {@link KeyResolver#jwk(String)}, both on every input. A finding is any exception but {@code
 * IllegalArgumentException}, a refusal message that quotes secret or key material, a hang (10 s),
 * and a document accepted although it breaks a rule the README states for keys (checked here
 * independently, the EC point against the curve equation). A key that was accepted is then used: a
 * token of the test kit's issuer for its algorithm, with its {@code kid}, must be refused with
 * {@code BAD_SIGNATURE}.
 */
class KeyResolverFuzzTest {
  private static final Map<Algorithm, TestIssuer> ISSUERS = new EnumMap<>(Algorithm.class);

  /** Tokens by algorithm and kid: signing does not depend on the fuzzed key, so sign once. */
  private static final Map<String, String> TOKENS =
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > 64;
        }
      };

  private static final Set<String> SECRET_OR_KEY_MEMBERS =
      Set.of("k", "d", "p", "q", "dp", "dq", "qi", "n", "x", "y");

  @FuzzTest(maxDuration = "5m")
  @Timeout(10)
  @DictionaryEntries({
    "{\"keys\":[",
    "\"kty\":",
    "\"RSA\"",
    "\"EC\"",
    "\"OKP\"",
    "\"oct\"",
    "\"crv\":",
    "\"P-256\"",
    "\"P-384\"",
    "\"P-521\"",
    "\"Ed25519\"",
    "\"Ed448\"",
    "\"X25519\"",
    "\"kid\":",
    "\"use\":\"sig\"",
    "\"use\":\"enc\"",
    "\"key_ops\":[\"verify\"]",
    "\"alg\":",
    "\"RS256\"",
    "\"ES256\"",
    "\"HS256\"",
    "\"EdDSA\"",
    "\"n\":",
    "\"e\":\"AQAB\"",
    "\"x\":",
    "\"y\":",
    "\"k\":",
    "\"d\":"
  })
  void keyDocument(byte[] input) {
    String json = new String(input, UTF_8);
    // The resolvers read the text's UTF-8 encoding (invalid input bytes became U+FFFD).
    Map<String, @Nullable Object> doc = parseQuietly(json.getBytes(UTF_8));
    KeyResolver set = parse(() -> KeyResolver.jwks(json), doc);
    if (set != null) {
      checkSet(set, object(doc));
    }
    KeyResolver one = parse(() -> KeyResolver.jwk(json), doc);
    if (one != null) {
      List<JwtKey> keys = ((StaticKeyResolver) one).keys();
      if (keys.size() != 1) {
        throw new AssertionError("jwk(...) made " + keys.size() + " keys");
      }
      checkKey(keys.get(0), object(doc));
      use(one, keys.get(0));
    }
  }

  private static @Nullable KeyResolver parse(
      Supplier<KeyResolver> parser, @Nullable Map<String, @Nullable Object> doc) {
    try {
      return parser.get();
    } catch (IllegalArgumentException e) {
      checkMessage(String.valueOf(e.getMessage()), doc);
      return null;
    }
  }

  /** The JSON object an accepted document must be. */
  @SuppressWarnings("unchecked")
  private static Map<String, @Nullable Object> object(@Nullable Object value) {
    if (!(value instanceof Map)) {
      throw new AssertionError("accepted a key document that is not a JSON object of depth <= 8");
    }
    return (Map<String, @Nullable Object>) value;
  }

  private static @Nullable Map<String, @Nullable Object> parseQuietly(byte[] input) {
    try {
      return Json.parseObject(input, 8);
    } catch (JsonException e) {
      return null;
    }
  }

  /** A refusal may name a key id, never key material. */
  private static void checkMessage(String message, @Nullable Map<String, @Nullable Object> doc) {
    if (doc == null) {
      return;
    }
    List<String> kids = new ArrayList<>();
    List<String> material = new ArrayList<>();
    collect(doc, kids, material);
    String scrubbed = message;
    for (String kid : kids) {
      if (!kid.isEmpty()) {
        scrubbed = scrubbed.replace(kid, "");
      }
    }
    for (String m : material) {
      if (m.length() >= 16 && scrubbed.contains(m)) {
        throw new AssertionError("refusal quotes key material: " + message);
      }
    }
  }

  private static void collect(@Nullable Object value, List<String> kids, List<String> material) {
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (e.getValue() instanceof String s) {
          if (e.getKey().equals("kid")) {
            kids.add(s);
          } else if (SECRET_OR_KEY_MEMBERS.contains(e.getKey())) {
            material.add(s);
          }
        }
        collect(e.getValue(), kids, material);
      }
    } else if (value instanceof List<?> list) {
      for (Object v : list) {
        collect(v, kids, material);
      }
    }
  }

  private static void checkSet(KeyResolver resolver, Map<String, @Nullable Object> doc) {
    List<JwtKey> keys = ((StaticKeyResolver) resolver).keys();
    Object entries = doc.get("keys");
    if (!(entries instanceof List<?> list) || list.size() != keys.size()) {
      throw new AssertionError("jwks(...) made keys that are not the document's");
    }
    if (keys.isEmpty() || keys.size() > 1024) {
      throw new AssertionError("jwks(...) accepted " + keys.size() + " keys");
    }
    Set<String> kids = new HashSet<>();
    boolean secrets = false;
    boolean publicKeys = false;
    for (int i = 0; i < keys.size(); i++) {
      JwtKey key = keys.get(i);
      checkKey(key, object(list.get(i)));
      if (key.keyId().isPresent() && !kids.add(key.keyId().get())) {
        throw new AssertionError("jwks(...) accepted a repeated kid");
      }
      boolean secret = key.algorithms().contains(Algorithm.HS256);
      secrets |= secret;
      publicKeys |= !secret;
    }
    if (secrets && publicKeys) {
      throw new AssertionError("jwks(...) accepted secrets mixed with public keys");
    }
    use(resolver, keys.get(0));
  }

  /** Checks one accepted key against its JWK, independently of the parsing code. */
  private static void checkKey(JwtKey key, Map<String, @Nullable Object> jwk) {
    List<String> problems = new ArrayList<>();
    Object kty = jwk.get("kty");
    Object use = jwk.get("use");
    if (use != null && !use.equals("sig")) {
      problems.add("use");
    }
    Object ops = jwk.get("key_ops");
    if (ops != null && !(ops instanceof List<?> l && l.contains("verify"))) {
      problems.add("key_ops");
    }
    if (!key.keyId().equals(Optional.ofNullable(jwk.get("kid")))) {
      problems.add("kid");
    }
    Set<Algorithm> fitting = EnumSet.noneOf(Algorithm.class);
    int bits = key.bits();
    if ("RSA".equals(kty)) {
      fitting.addAll(
          EnumSet.of(
              Algorithm.RS256,
              Algorithm.RS384,
              Algorithm.RS512,
              Algorithm.PS256,
              Algorithm.PS384,
              Algorithm.PS512));
      BigInteger n = unsigned(jwk.get("n"));
      BigInteger e = unsigned(jwk.get("e"));
      if (n == null || n.bitLength() != bits || bits < 2048 || bits > 16384) {
        problems.add("RSA size");
      }
      if (e == null || !e.testBit(0) || e.compareTo(BigInteger.valueOf(3)) < 0) {
        problems.add("RSA exponent");
      }
    } else if ("EC".equals(kty)) {
      Object crv = jwk.get("crv");
      String name =
          "P-256".equals(crv)
              ? "secp256r1"
              : "P-384".equals(crv) ? "secp384r1" : "P-521".equals(crv) ? "secp521r1" : null;
      if (name == null || !onCurve(name, unsigned(jwk.get("x")), unsigned(jwk.get("y")))) {
        problems.add("EC point on the named curve");
      } else {
        fitting.add(
            name.equals("secp256r1")
                ? Algorithm.ES256
                : name.equals("secp384r1") ? Algorithm.ES384 : Algorithm.ES512);
      }
    } else if ("OKP".equals(kty)) {
      Object crv = jwk.get("crv");
      if ("Ed25519".equals(crv)) {
        fitting.addAll(EnumSet.of(Algorithm.EdDSA, Algorithm.Ed25519));
      } else if ("Ed448".equals(crv)) {
        fitting.addAll(EnumSet.of(Algorithm.EdDSA, Algorithm.Ed448));
      } else {
        problems.add("OKP curve");
      }
    } else if ("oct".equals(kty)) {
      byte[] k = jwk.get("k") instanceof String s ? Base64.getUrlDecoder().decode(s) : null;
      if (k == null || k.length * 8 != bits || bits < 256) {
        problems.add("secret size");
      }
      fitting.add(Algorithm.HS256);
      if (bits >= 384) {
        fitting.add(Algorithm.HS384);
      }
      if (bits >= 512) {
        fitting.add(Algorithm.HS512);
      }
    } else {
      problems.add("kty");
    }
    Object alg = jwk.get("alg");
    if (alg != null) {
      Optional<Algorithm> pinned = Algorithm.fromJwaName(String.valueOf(alg));
      if (pinned.isEmpty() || !key.algorithms().equals(EnumSet.of(pinned.get()))) {
        problems.add("alg pins the key");
      }
    }
    if (!fitting.containsAll(key.algorithms())) {
      problems.add("algorithms fit the key");
    }
    if (!problems.isEmpty()) {
      throw new AssertionError("accepted a key that breaks " + problems + ": " + jwk);
    }
  }

  private static @Nullable BigInteger unsigned(@Nullable Object base64url) {
    if (!(base64url instanceof String s)) {
      return null;
    }
    try {
      // As jose4j, which built the key, decodes it.
      return new BigInteger(1, org.jose4j.base64url.Base64Url.decode(s));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Whether (x, y) lies on the curve: both below p, and y^2 = x^3 + ax + b (mod p). */
  private static boolean onCurve(String curve, @Nullable BigInteger x, @Nullable BigInteger y) {
    if (x == null || y == null) {
      return false;
    }
    ECParameterSpec spec;
    try {
      AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
      params.init(new ECGenParameterSpec(curve));
      spec = params.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    BigInteger p = ((ECFieldFp) spec.getCurve().getField()).getP();
    if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
      return false;
    }
    BigInteger left = y.multiply(y).mod(p);
    BigInteger right =
        x.pow(3).add(spec.getCurve().getA().multiply(x)).add(spec.getCurve().getB()).mod(p);
    return left.equals(right);
  }

  /** A token the key cannot have signed, with the key's id, must fail at the signature. */
  private static void use(KeyResolver resolver, JwtKey key) {
    Algorithm alg = key.algorithms().iterator().next();
    TestIssuer issuer =
        ISSUERS.computeIfAbsent(
            alg, a -> TestIssuer.builder().algorithm(a).clock(Fixtures.CLOCK).build());
    String kid = key.keyId().orElse(null);
    String token =
        TOKENS.computeIfAbsent(
            alg + " " + kid,
            k -> {
              TokenBuilder t = issuer.token();
              return (kid == null ? t.withoutHeader("kid") : t.keyId(kid)).sign();
            });
    JwtValidator validator =
        JwtValidator.builder()
            .algorithms(alg)
            .issuer(issuer.issuer())
            .audience(issuer.audience())
            .keys(resolver)
            .clock(Fixtures.CLOCK)
            .build();
    try {
      validator.validate(token);
    } catch (JwtValidationException e) {
      if (e.reason() != Reason.BAD_SIGNATURE) {
        throw new AssertionError("a fuzzed key refused a foreign token with " + e.reason(), e);
      }
      return;
    }
    throw new AssertionError("a fuzzed key verified a token of the test kit's key");
  }
}
