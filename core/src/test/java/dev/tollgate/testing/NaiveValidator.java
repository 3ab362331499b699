package dev.tollgate.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtValidationException;
import dev.tollgate.Reason;
import dev.tollgate.internal.Base64Url;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.json.internal.json_simple.parser.JSONParser;
import org.jose4j.json.internal.json_simple.parser.ParseException;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.lang.JoseException;
import org.jspecify.annotations.Nullable;

/**
 * A hand-written validator for one {@link TestIssuer}, independent of {@code JwtValidator}, whose
 * defences can be left out one {@link Flaw} at a time. Without flaws it refuses every attack of the
 * suite; with one, it accepts exactly the attacks that flaw opens, which shows that each attack
 * token is real: valid but for the one thing its defence checks.
 *
 * <p>Where a flaw would reach out of the process (fetching a {@code jku}, reading a key file,
 * querying a key database), a simulation stands in: the attacker's URL serves the attacker's key,
 * {@code /dev/null} is empty, and the SQL store honours a {@code UNION SELECT}.
 */
final class NaiveValidator implements AttackSuite.Target {
  /** A defence left out. */
  enum Flaw {
    /** {@code alg: none} in any spelling skips the signature. */
    ACCEPTS_NONE,
    /** Only the lowercase {@code none} is blocked; other spellings skip the signature. */
    BLOCKS_ONLY_LOWERCASE_NONE,
    /** An empty signature is taken for "nothing to check". */
    EMPTY_SIGNATURE_SKIPS_CHECK,
    /** Any algorithm the header names is used, with the issuer's key material as HMAC secret. */
    ALG_FROM_HEADER,
    /** The jwt.io example secrets are trusted too (a misconfiguration). */
    TRUSTS_EXAMPLE_SECRET,
    /** A key in the {@code jwk} header is used. */
    TRUSTS_JWK_HEADER,
    /** {@code jku} and {@code x5u} are fetched (simulated: they serve the attacker's key). */
    FETCHES_KEY_URLS,
    /** A certificate in {@code x5c} supplies the key. */
    TRUSTS_X5C,
    /** The kid is a file name under /var/keys (simulated: /dev/null is empty). */
    KID_AS_FILE_PATH,
    /** The kid goes into a SQL query unescaped (simulated). */
    KID_IN_SQL,
    /** An empty kid finds an empty secret. */
    EMPTY_KID_EMPTY_SECRET,
    /** ECDSA without the range check of r and s (CVE-2022-21449). */
    ECDSA_WITHOUT_RANGE_CHECK,
    /** Base64url decoded leniently: padding and non-zero unused bits pass. */
    LENIENT_BASE64,
    /** {@code crit} and {@code b64} are ignored. */
    IGNORES_CRIT,
    /** {@code typ} is ignored. */
    IGNORES_TYP,
    /** {@code exp} is ignored. */
    IGNORES_EXPIRY,
    /** {@code nbf} is ignored. */
    IGNORES_NBF,
    /** {@code iss} is ignored. */
    IGNORES_ISSUER,
    /** {@code iss} is compared with startsWith. */
    ISSUER_STARTS_WITH,
    /** {@code aud} is ignored. */
    IGNORES_AUDIENCE,
    /** Each {@code aud} is compared with startsWith. */
    AUDIENCE_STARTS_WITH,
    /** Every listed audience must be ours: an empty list passes. */
    AUDIENCE_ALL_LISTED,
    /** Duplicate JSON names: the last wins. */
    DUPLICATES_LAST_WINS,
    /** Duplicate JSON names are looked for in the raw text, escapes not decoded. */
    DUPLICATES_RAW_CHECK,
    /** JSON of any depth. */
    NO_DEPTH_LIMIT,
    /** Tokens of any length. */
    NO_SIZE_LIMIT
  }

  private static final int MAX_LENGTH = 16384;
  private static final Pattern SQL_UNION = Pattern.compile("' UNION SELECT '([^']*)' --");

  private final TestIssuer issuer;
  private final Set<Flaw> flaws;

  NaiveValidator(TestIssuer issuer, Set<Flaw> flaws) {
    this.issuer = issuer;
    this.flaws = flaws.isEmpty() ? EnumSet.noneOf(Flaw.class) : EnumSet.copyOf(flaws);
  }

  NaiveValidator(TestIssuer issuer, Flaw... flaws) {
    this(issuer, flaws.length == 0 ? Set.of() : EnumSet.of(flaws[0], flaws));
  }

  private boolean has(Flaw flaw) {
    return flaws.contains(flaw);
  }

  private static JwtValidationException refuse(Reason reason) {
    return new JwtValidationException(reason);
  }

  @Override
  public void present(String token) {
    if (!has(Flaw.NO_SIZE_LIMIT) && token.length() > MAX_LENGTH) {
      throw refuse(Reason.TOO_LARGE);
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw refuse(Reason.MALFORMED);
    }
    Map<?, ?> header = parse(decode(parts[0]), 8);
    byte[] payload = decode(parts[1]);
    byte[] signature = decode(parts[2]);

    if (!(header.get("alg") instanceof String algName)) {
      throw refuse(Reason.MALFORMED);
    }
    boolean unsigned = false;
    Algorithm alg = null;
    if (algName.equalsIgnoreCase("none")) {
      unsigned =
          has(Flaw.ACCEPTS_NONE)
              || (has(Flaw.BLOCKS_ONLY_LOWERCASE_NONE) && !algName.equals("none"));
      if (!unsigned) {
        throw refuse(Reason.ALGORITHM_NOT_ALLOWED);
      }
    } else {
      alg = Algorithm.fromJwaName(algName).orElseThrow(() -> refuse(Reason.ALGORITHM_NOT_ALLOWED));
      if (alg != issuer.algorithm() && !has(Flaw.ALG_FROM_HEADER)) {
        throw refuse(Reason.ALGORITHM_NOT_ALLOWED);
      }
    }
    Object typ = header.get("typ");
    if (!has(Flaw.IGNORES_TYP)
        && typ != null
        && !(typ instanceof String t
            && (t.equalsIgnoreCase("JWT") || t.equalsIgnoreCase("at+jwt")))) {
      throw refuse(Reason.TYPE_MISMATCH);
    }
    if (!has(Flaw.IGNORES_CRIT) && (header.containsKey("crit") || header.containsKey("b64"))) {
      throw refuse(Reason.UNSUPPORTED_CRITICAL_HEADER);
    }
    if (alg != null && !(signature.length == 0 && has(Flaw.EMPTY_SIGNATURE_SKIPS_CHECK))) {
      byte[] input = (parts[0] + "." + parts[1]).getBytes(US_ASCII);
      boolean verified = false;
      for (Object key : keys(header, alg)) {
        verified |= verify(alg, key, input, signature);
      }
      if (!verified) {
        throw refuse(Reason.BAD_SIGNATURE);
      }
    }
    checkClaims(parse(payload, 32));
  }

  private byte[] decode(String segment) {
    byte[] bytes;
    if (has(Flaw.LENIENT_BASE64)) {
      try {
        bytes = Base64.getUrlDecoder().decode(segment);
      } catch (IllegalArgumentException e) {
        bytes = null;
      }
    } else {
      bytes = Base64Url.decode(segment);
    }
    if (bytes == null) {
      throw refuse(Reason.MALFORMED);
    }
    return bytes;
  }

  private Map<?, ?> parse(byte[] utf8, int maxDepth) {
    String text = new String(utf8, UTF_8);
    try {
      scan(text, has(Flaw.NO_DEPTH_LIMIT) ? Integer.MAX_VALUE : maxDepth);
      if (new JSONParser().parse(text) instanceof Map<?, ?> map) {
        return map; // duplicate names: the last one wins
      }
    } catch (ParseException | RuntimeException e) {
      // refused below
    }
    throw refuse(Reason.MALFORMED);
  }

  /** Refuses JSON nested too deep or with a member name twice in one object (outside strings). */
  private void scan(String json, int maxDepth) {
    List<@Nullable Set<String>> open =
        new ArrayList<>(); // a set of names per object, null per array
    int i = 0;
    while (i < json.length()) {
      char c = json.charAt(i);
      if (c == '"') {
        StringBuilder decoded = new StringBuilder();
        int end = i + 1;
        while (json.charAt(end) != '"') {
          if (json.charAt(end) == '\\') {
            char e = json.charAt(end + 1);
            if (e == 'u') {
              decoded.append((char) Integer.parseInt(json.substring(end + 2, end + 6), 16));
              end += 6;
            } else {
              decoded.append(e);
              end += 2;
            }
          } else {
            decoded.append(json.charAt(end++));
          }
        }
        int next = end + 1;
        while (next < json.length() && Character.isWhitespace(json.charAt(next))) {
          next++;
        }
        Set<String> names = open.isEmpty() ? null : open.get(open.size() - 1);
        if (names != null && next < json.length() && json.charAt(next) == ':') {
          String name =
              has(Flaw.DUPLICATES_RAW_CHECK) ? json.substring(i + 1, end) : decoded.toString();
          if (!names.add(name) && !has(Flaw.DUPLICATES_LAST_WINS)) {
            throw refuse(Reason.MALFORMED);
          }
        }
        i = end + 1;
        continue;
      }
      if (c == '{' || c == '[') {
        open.add(c == '{' ? new HashSet<>() : null);
        if (open.size() > maxDepth) {
          throw refuse(Reason.MALFORMED);
        }
      } else if ((c == '}' || c == ']') && !open.isEmpty()) {
        open.remove(open.size() - 1);
      }
      i++;
    }
  }

  /** The candidate keys: a {@code PublicKey} or the bytes of a secret. */
  private List<Object> keys(Map<?, ?> header, Algorithm alg) {
    List<Object> keys = new ArrayList<>();
    boolean hmac = alg.jwaName().startsWith("HS");
    KeyMaterial own = issuer.key();
    KeyMaterial attacker = issuer.stranger();
    if (has(Flaw.TRUSTS_JWK_HEADER) && header.get("jwk") instanceof Map<?, ?> jwk) {
      keys.add(jwkKey(jwk));
      return keys;
    }
    if (has(Flaw.FETCHES_KEY_URLS) && (header.containsKey("jku") || header.containsKey("x5u"))) {
      keys.add(attacker.isSecret() ? attacker.secret() : attacker.publicKey());
      return keys;
    }
    if (has(Flaw.TRUSTS_X5C) && header.get("x5c") instanceof List<?> chain) {
      try {
        byte[] der = Base64.getDecoder().decode((String) chain.get(0));
        keys.add(
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der))
                .getPublicKey());
      } catch (GeneralSecurityException e) {
        throw refuse(Reason.MALFORMED);
      }
      return keys;
    }
    Object kid = header.get("kid");
    if (kid == null || issuer.keyId().equals(kid)) {
      if (own.isSecret()) {
        keys.add(own.secret());
      } else if (hmac && has(Flaw.ALG_FROM_HEADER)) {
        keys.add(KeyMaterial.pem(own.publicKey()).getBytes(US_ASCII));
        keys.add(own.publicKey().getEncoded());
        keys.add(issuer.publicJwk().getBytes(UTF_8));
      } else {
        keys.add(own.publicKey());
      }
      if (has(Flaw.TRUSTS_EXAMPLE_SECRET) && hmac) {
        keys.add(("your-" + alg.jwaName().substring(2) + "-bit-secret").getBytes(UTF_8));
      }
    } else if (kid instanceof String k) {
      Matcher sql = SQL_UNION.matcher(k);
      if (has(Flaw.KID_AS_FILE_PATH)
          && Path.of("/var/keys").resolve(k).normalize().equals(Path.of("/dev/null"))) {
        keys.add(new byte[0]);
      } else if (has(Flaw.KID_IN_SQL) && sql.find()) {
        keys.add(sql.group(1).getBytes(UTF_8));
      } else if (has(Flaw.EMPTY_KID_EMPTY_SECRET) && k.isEmpty()) {
        keys.add(new byte[0]);
      }
    }
    if (keys.isEmpty()) {
      throw refuse(Reason.KEY_NOT_FOUND);
    }
    return keys;
  }

  private static Object jwkKey(Map<?, ?> members) {
    try {
      @SuppressWarnings("unchecked")
      JsonWebKey jwk = JsonWebKey.Factory.newJwk((Map<String, Object>) members);
      java.security.Key key = jwk.getKey();
      return key instanceof PublicKey ? key : key.getEncoded();
    } catch (JoseException e) {
      throw refuse(Reason.MALFORMED);
    }
  }

  private boolean verify(Algorithm alg, Object key, byte[] input, byte[] signature) {
    try {
      String name = alg.jwaName();
      if (name.startsWith("HS")) {
        if (!(key instanceof byte[] secret)) {
          return false;
        }
        String mac = "HmacSHA" + name.substring(2);
        Mac m = Mac.getInstance(mac);
        // HMAC pads its key with zero bytes: one zero byte stands for the empty key.
        m.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, mac));
        return MessageDigest.isEqual(m.doFinal(input), signature);
      }
      if (!(key instanceof PublicKey publicKey)) {
        return false;
      }
      if (name.startsWith("ES")) {
        BigInteger n = ((ECPublicKey) publicKey).getParams().getOrder();
        int half = signature.length / 2;
        BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(signature, 0, half));
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(signature, half, 2 * half));
        if (has(Flaw.ECDSA_WITHOUT_RANGE_CHECK)
            && half == (n.bitLength() + 7) / 8
            && r.mod(n).signum() == 0
            && s.mod(n).signum() == 0) {
          return true; // what a verifier without the range check computes for r = s = 0 (mod n)
        }
      }
      Signature verifier = Signature.getInstance(jdkName(alg));
      switch (alg) {
        case PS256 -> verifier.setParameter(pss("SHA-256", MGF1ParameterSpec.SHA256, 32));
        case PS384 -> verifier.setParameter(pss("SHA-384", MGF1ParameterSpec.SHA384, 48));
        case PS512 -> verifier.setParameter(pss("SHA-512", MGF1ParameterSpec.SHA512, 64));
        default -> {}
      }
      verifier.initVerify(publicKey);
      verifier.update(input);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static String jdkName(Algorithm alg) {
    return switch (alg) {
      case RS256 -> "SHA256withRSA";
      case RS384 -> "SHA384withRSA";
      case RS512 -> "SHA512withRSA";
      case PS256, PS384, PS512 -> "RSASSA-PSS";
      case ES256 -> "SHA256withECDSAinP1363Format";
      case ES384 -> "SHA384withECDSAinP1363Format";
      case ES512 -> "SHA512withECDSAinP1363Format";
      case EdDSA, Ed25519, Ed448 -> "EdDSA";
      case HS256, HS384, HS512 -> throw new IllegalArgumentException("not a signature");
    };
  }

  private static PSSParameterSpec pss(String hash, MGF1ParameterSpec mgf, int saltLength) {
    return new PSSParameterSpec(hash, "MGF1", mgf, saltLength, PSSParameterSpec.TRAILER_FIELD_BC);
  }

  private void checkClaims(Map<?, ?> claims) {
    long now = issuer.clock().millis() / 1000;
    Object iss = claims.get("iss");
    if (!has(Flaw.IGNORES_ISSUER)) {
      if (iss == null) {
        throw refuse(Reason.MISSING_CLAIM);
      }
      boolean ok =
          iss instanceof String s
              && (has(Flaw.ISSUER_STARTS_WITH)
                  ? s.startsWith(issuer.issuer())
                  : s.equals(issuer.issuer()));
      if (!ok) {
        throw refuse(Reason.ISSUER_MISMATCH);
      }
    }
    if (!has(Flaw.IGNORES_AUDIENCE)) {
      checkAudience(claims.get("aud"));
    }
    if (!has(Flaw.IGNORES_EXPIRY)) {
      Object exp = claims.get("exp");
      if (exp == null) {
        throw refuse(Reason.MISSING_CLAIM);
      }
      if (!(exp instanceof Number n)) {
        throw refuse(Reason.CLAIM_INVALID);
      }
      if (now >= n.longValue() + 60) {
        throw refuse(Reason.EXPIRED);
      }
    }
    if (!has(Flaw.IGNORES_NBF) && claims.get("nbf") instanceof Number nbf) {
      if (now + 60 < nbf.longValue()) {
        throw refuse(Reason.NOT_YET_VALID);
      }
    }
  }

  private void checkAudience(@Nullable Object aud) {
    if (aud == null) {
      throw refuse(Reason.MISSING_CLAIM);
    }
    List<?> list = aud instanceof List<?> l ? l : List.of(aud);
    boolean any = false;
    boolean all = true;
    for (Object a : list) {
      boolean ours =
          a instanceof String s
              && (has(Flaw.AUDIENCE_STARTS_WITH)
                  ? s.startsWith(issuer.audience())
                  : s.equals(issuer.audience()));
      any |= ours;
      all &= ours;
    }
    if (!(has(Flaw.AUDIENCE_ALL_LISTED) ? all : any)) {
      throw refuse(Reason.AUDIENCE_MISMATCH);
    }
  }

  @Override
  public String toString() {
    return "NaiveValidator" + flaws.toString().toLowerCase(Locale.ROOT);
  }
}
