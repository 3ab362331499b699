package dev.tollgate.fuzz;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tollgate.JwtValidationException;
import dev.tollgate.JwtValidator;
import dev.tollgate.Reason;
import dev.tollgate.VerifiedJwt;
import dev.tollgate.internal.Json;
import dev.tollgate.internal.JsonException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jose4j.json.JsonUtil;
import org.jspecify.annotations.Nullable;

/**
 * Decides, without the validator, what the validator must answer to a token: every rule of the
 * policy the token breaks, each with the {@link Reason} that rule calls for.
 *
 * <p>The signature is checked with the JDK directly (a fresh {@code Signature} or {@code Mac} over
 * the exact bytes before the last dot), the claims against the policy as the README states it. JSON
 * is read with Tollgate's own reader (it has its own fuzz target and the JSONTestSuite); depth is
 * measured here, and the members that decide security are read a second time with jose4j's parser
 * and must agree.
 *
 * <p>Two uses:
 *
 * <ul>
 *   <li>{@link #checkAccepted}: a token the validator accepted must break no rule, must be one the
 *       harness signed itself, and the {@link VerifiedJwt} must report what the token says. This
 *       holds for any input.
 *   <li>{@link #checkRefused}: for tokens the harness built from well-formed parts, a refusal must
 *       name a rule the token really breaks. This is only sound when the token's JSON is plain
 *       (what the template mode makes), so only that mode uses it.
 * </ul>
 */
final class Oracle {
  /** The policies of {@link Fixtures#LENIENT} and {@link Fixtures#STRICT}, written out again. */
  enum Policy {
    LENIENT,
    STRICT;

    JwtValidator validator() {
      return this == LENIENT ? Fixtures.LENIENT : Fixtures.STRICT;
    }

    boolean allows(String alg) {
      return alg.equals("ES256") || (this == LENIENT && alg.equals("HS256"));
    }
  }

  /** A broken rule and the reason it calls for. */
  record Violation(Reason reason, String rule) {}

  private static final int MAX_LENGTH = 16 * 1024;
  private static final long MAX_DATE = 253_402_300_799L;
  private static final List<String> ACCESS_TOKEN_CLAIMS =
      List.of("iss", "exp", "aud", "sub", "client_id", "iat", "jti");

  private Oracle() {}

  /**
   * Validates with the policy's validator and checks the answer: an acceptance always, a refusal
   * when {@code exact} (the token's JSON is plain). Any other exception escapes: a finding.
   *
   * @param signed the tokens the harness signed with a trusted key for this input
   */
  static void validateAndCheck(
      Policy policy, String token, Collection<String> signed, boolean exact) {
    VerifiedJwt jwt;
    try {
      jwt = policy.validator().validate(token);
    } catch (JwtValidationException e) {
      if (!e.getMessage().equals(e.reason().description())) {
        throw new AssertionError("refusal message is not the reason's fixed text");
      }
      if (exact) {
        checkRefused(policy, token, e.reason());
      }
      return;
    }
    checkAccepted(policy, token, jwt, signed);
  }

  static void checkAccepted(
      Policy policy, String token, VerifiedJwt jwt, Collection<String> signed) {
    if (!signed.contains(token) && !Fixtures.VALID.contains(token)) {
      throw new AssertionError(
          policy + " accepted a token the harness did not sign with a trusted key: " + token);
    }
    Analysis a = analyse(policy, token);
    if (!a.violations.isEmpty()) {
      throw new AssertionError(
          policy + " accepted a token that breaks " + a.violations + ": " + token);
    }
    checkReported(jwt, a, token);
  }

  static void checkRefused(Policy policy, String token, Reason reason) {
    Analysis a = analyse(policy, token);
    if (a.violations.isEmpty()) {
      throw new AssertionError(
          policy + " refused with " + reason + " a token that meets the policy: " + token);
    }
    for (Violation v : a.violations) {
      if (v.reason == reason) {
        return;
      }
    }
    throw new AssertionError(
        policy
            + " refused with "
            + reason
            + " but the token breaks "
            + a.violations
            + ": "
            + token);
  }

  /** What the validator reports must be what the token says. */
  private static void checkReported(VerifiedJwt jwt, Analysis a, String token) {
    Map<String, @Nullable Object> c = Objects.requireNonNull(a.claims);
    Map<String, @Nullable Object> h = Objects.requireNonNull(a.header);
    List<String> problems = new ArrayList<>();
    if (!jwt.issuer().equals(c.get("iss"))) {
      problems.add("issuer");
    }
    Object aud = c.get("aud");
    if (!jwt.audience().equals(aud instanceof String ? List.of(aud) : aud)) {
      problems.add("audience");
    }
    long expMillis = jwt.expiresAt().toEpochMilli();
    BigDecimal expExact = millis(Objects.requireNonNull(c.get("exp")));
    if (expExact.subtract(BigDecimal.valueOf(expMillis)).abs().compareTo(BigDecimal.ONE) >= 0) {
      problems.add("expiresAt");
    }
    if (!jwt.algorithm().jwaName().equals(h.get("alg"))) {
      problems.add("algorithm");
    }
    if (!jwt.keyId().equals(Optional.ofNullable(h.get("kid")))) {
      problems.add("keyId");
    }
    if (!jwt.type().equals(Optional.ofNullable(h.get("typ")))) {
      problems.add("type");
    }
    if (!jwt.subject().equals(Optional.ofNullable(c.get("sub")))) {
      problems.add("subject");
    }
    if (!jwt.claims().equals(c)) {
      problems.add("claims");
    }
    if (!problems.isEmpty()) {
      throw new AssertionError("accepted token reported wrongly: " + problems + ": " + token);
    }
  }

  /** The outcome of reading a token independently. */
  static final class Analysis {
    final List<Violation> violations = new ArrayList<>();
    @Nullable Map<String, @Nullable Object> header;
    @Nullable Map<String, @Nullable Object> claims;

    Analysis add(Reason reason, String rule) {
      violations.add(new Violation(reason, rule));
      return this;
    }
  }

  static Analysis analyse(Policy policy, String token) {
    Analysis a = new Analysis();
    if (token.length() > MAX_LENGTH) {
      return a.add(Reason.TOO_LARGE, "length");
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || parts[0].isEmpty()) {
      return a.add(Reason.MALFORMED, "three segments");
    }
    byte[] headerBytes = canonicalBase64Url(parts[0]);
    byte[] payload = canonicalBase64Url(parts[1]);
    byte[] signature = canonicalBase64Url(parts[2]);
    if (headerBytes == null || payload == null || signature == null) {
      return a.add(Reason.MALFORMED, "canonical base64url");
    }
    Map<String, @Nullable Object> header = object(headerBytes, 8);
    if (header == null) {
      return a.add(Reason.MALFORMED, "header is a strict JSON object of depth <= 8");
    }
    a.header = header;
    crossCheck(headerBytes, header, List.of("alg", "kid", "typ", "crit", "b64"));

    Object alg = header.get("alg");
    if (!(alg instanceof String)) {
      return a.add(Reason.MALFORMED, "alg is a string");
    }
    if (!policy.allows((String) alg)) {
      a.add(Reason.ALGORITHM_NOT_ALLOWED, "alg allowed");
    }
    Object kid = header.get("kid");
    Object typ = header.get("typ");
    if ((kid != null && !(kid instanceof String)) || (typ != null && !(typ instanceof String))) {
      a.add(Reason.MALFORMED, "kid and typ are strings");
    }
    if (!typeAccepted(policy, typ)) {
      a.add(Reason.TYPE_MISMATCH, "typ");
    }
    if (header.containsKey("crit")
        || (header.containsKey("b64") && !Boolean.TRUE.equals(header.get("b64")))) {
      a.add(Reason.UNSUPPORTED_CRITICAL_HEADER, "no crit, no b64 other than true");
    }
    if (!a.violations.isEmpty()) {
      return a;
    }

    // Key lookup: each trusted key has a kid; a token's kid must name the key of its algorithm.
    String expectedKid = alg.equals("ES256") ? Fixtures.ES.keyId() : Fixtures.HS.keyId();
    if (kid != null && !kid.equals(expectedKid)) {
      return a.add(Reason.KEY_NOT_FOUND, "kid names the key of alg");
    }
    byte[] signingInput = token.substring(0, token.lastIndexOf('.')).getBytes(US_ASCII);
    boolean verified =
        alg.equals("ES256")
            ? ecdsaVerifies(Fixtures.ES.publicKey(), signingInput, signature)
            : MessageDigest.isEqual(Fixtures.hmac(Fixtures.HS.secret(), signingInput), signature);
    if (!verified) {
      return a.add(Reason.BAD_SIGNATURE, "signature verifies with the JDK");
    }

    Map<String, @Nullable Object> claims = object(payload, 32);
    if (claims == null) {
      return a.add(Reason.MALFORMED, "claims are a strict JSON object of depth <= 32");
    }
    a.claims = claims;
    crossCheck(payload, claims, List.of("iss", "aud", "exp", "nbf", "iat", "sub", "jti"));
    checkClaims(policy, claims, a);
    return a;
  }

  private static void checkClaims(Policy policy, Map<String, @Nullable Object> c, Analysis a) {
    long now = Fixtures.NOW.toEpochMilli();
    long skew = Fixtures.SKEW_MILLIS;
    Object iss = c.get("iss");
    if (iss == null) {
      a.add(Reason.MISSING_CLAIM, "iss present");
    } else if (!(iss instanceof String)) {
      a.add(Reason.CLAIM_INVALID, "iss is a string");
    } else if (!iss.equals(Fixtures.ISS)) {
      a.add(Reason.ISSUER_MISMATCH, "iss");
    }
    Object aud = c.get("aud");
    if (aud == null) {
      a.add(Reason.MISSING_CLAIM, "aud present");
    } else if (aud instanceof String) {
      if (!aud.equals(Fixtures.AUD)) {
        a.add(Reason.AUDIENCE_MISMATCH, "aud");
      }
    } else if (!(aud instanceof List)
        || !((List<?>) aud).stream().allMatch(String.class::isInstance)) {
      a.add(Reason.CLAIM_INVALID, "aud is a string or strings");
    } else if (!((List<?>) aud).contains(Fixtures.AUD)) {
      a.add(Reason.AUDIENCE_MISMATCH, "aud");
    }
    // Dates: the validator's double arithmetic may round a fraction 1 ms the lenient way; only
    // what is wrong beyond that counts against an acceptance.
    Object exp = c.get("exp");
    if (exp == null) {
      a.add(Reason.MISSING_CLAIM, "exp present");
    } else if (!isDate(exp)) {
      a.add(Reason.CLAIM_INVALID, "exp is a NumericDate");
    } else {
      BigDecimal expMillis = millis(exp).setScale(0, RoundingMode.FLOOR);
      if (exp instanceof Double) {
        expMillis = expMillis.add(BigDecimal.ONE);
      }
      if (BigDecimal.valueOf(now).compareTo(expMillis.add(BigDecimal.valueOf(skew))) >= 0) {
        a.add(Reason.EXPIRED, "now < exp + skew");
      }
    }
    Object nbf = c.get("nbf");
    if (nbf != null) {
      if (!isDate(nbf)) {
        a.add(Reason.CLAIM_INVALID, "nbf is a NumericDate");
      } else if (lenientCeil(nbf).compareTo(BigDecimal.valueOf(now + skew)) > 0) {
        a.add(Reason.NOT_YET_VALID, "nbf <= now + skew");
      }
    }
    Object iat = c.get("iat");
    if (iat != null) {
      if (!isDate(iat)) {
        a.add(Reason.CLAIM_INVALID, "iat is a NumericDate");
      } else {
        BigDecimal iatMillis = lenientCeil(iat);
        if (iatMillis.compareTo(BigDecimal.valueOf(now + skew)) > 0) {
          a.add(Reason.NOT_YET_VALID, "iat <= now + skew");
        }
        long maxAge = Fixtures.MAX_AGE.toMillis();
        if (policy == Policy.STRICT
            && BigDecimal.valueOf(now).compareTo(iatMillis.add(BigDecimal.valueOf(maxAge + skew)))
                >= 0) {
          a.add(Reason.TOO_OLD, "now < iat + max age + skew");
        }
      }
    } else if (policy == Policy.STRICT) {
      a.add(Reason.MISSING_CLAIM, "iat present (max age)");
    }
    for (String name : List.of("sub", "jti", "scope")) {
      Object v = c.get(name);
      if (v != null && !(v instanceof String)) {
        a.add(Reason.CLAIM_INVALID, name + " is a string");
      }
    }
    Object scp = c.get("scp");
    if (scp != null
        && !(scp instanceof String)
        && !(scp instanceof List && ((List<?>) scp).stream().allMatch(String.class::isInstance))) {
      a.add(Reason.CLAIM_INVALID, "scp is a string or strings");
    }
    if (policy == Policy.STRICT) {
      for (String name : ACCESS_TOKEN_CLAIMS) {
        if (c.get(name) == null) {
          a.add(Reason.MISSING_CLAIM, name + " present (RFC 9068)");
        }
      }
      Object tenant = c.get("tenant");
      if (tenant == null) {
        a.add(Reason.MISSING_CLAIM, "tenant present");
      } else if (!tenant.equals("acme")) {
        a.add(Reason.CLAIM_INVALID, "tenant is acme");
      }
    }
  }

  private static boolean typeAccepted(Policy policy, @Nullable Object typ) {
    if (typ == null) {
      return policy == Policy.LENIENT;
    }
    if (!(typ instanceof String)) {
      return true; // reported as MALFORMED
    }
    String t = ((String) typ).toLowerCase(Locale.ROOT);
    if (t.startsWith("application/") && t.lastIndexOf('/') == "application".length()) {
      t = t.substring("application/".length());
    }
    return policy == Policy.LENIENT ? t.equals("jwt") || t.equals("at+jwt") : t.equals("at+jwt");
  }

  private static boolean isDate(Object value) {
    if (!(value instanceof Long) && !(value instanceof Double)) {
      return false;
    }
    BigDecimal seconds = new BigDecimal(value.toString());
    return seconds.signum() >= 0 && seconds.compareTo(BigDecimal.valueOf(MAX_DATE)) <= 0;
  }

  private static BigDecimal millis(Object seconds) {
    return new BigDecimal(seconds.toString()).movePointRight(3);
  }

  /** Milliseconds rounded up, less the 1 ms a fraction may lose to double rounding. */
  private static BigDecimal lenientCeil(Object seconds) {
    BigDecimal ms = millis(seconds).setScale(0, RoundingMode.CEILING);
    return seconds instanceof Double ? ms.subtract(BigDecimal.ONE) : ms;
  }

  /**
   * Decodes base64url the validator's way, independently: only the 64 characters, no padding, and
   * the one encoding that re-encodes to the same text.
   */
  static byte @Nullable [] canonicalBase64Url(String segment) {
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      boolean alphabet =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      if (!alphabet) {
        return null;
      }
    }
    if (segment.length() % 4 == 1) {
      return null;
    }
    byte[] bytes = Base64.getUrlDecoder().decode(segment);
    return Fixtures.b64(bytes).equals(segment) ? bytes : null;
  }

  /** Parses a strict JSON object and measures its depth here; null when refused or too deep. */
  private static @Nullable Map<String, @Nullable Object> object(byte[] utf8, int maxDepth) {
    Map<String, @Nullable Object> m;
    try {
      m = Json.parseObject(utf8, 1000);
    } catch (JsonException e) {
      return null;
    }
    return depth(m) <= maxDepth ? m : null;
  }

  private static int depth(@Nullable Object value) {
    int deepest = 0;
    if (value instanceof Map) {
      for (Object v : ((Map<?, ?>) value).values()) {
        deepest = Math.max(deepest, depth(v));
      }
      return deepest + 1;
    }
    if (value instanceof List) {
      for (Object v : (List<?>) value) {
        deepest = Math.max(deepest, depth(v));
      }
      return deepest + 1;
    }
    return 0;
  }

  /**
   * Reads the JSON again with jose4j's parser, when it can: the members that decide security must
   * read the same (two parsers that disagree on {@code alg} or {@code exp} are an attack).
   */
  private static void crossCheck(
      byte[] utf8, Map<String, @Nullable Object> ours, List<String> members) {
    String text;
    try {
      text =
          UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(utf8))
              .toString();
    } catch (CharacterCodingException e) {
      throw new AssertionError("Tollgate's JSON reader accepted invalid UTF-8", e);
    }
    Map<String, Object> theirs;
    try {
      theirs = JsonUtil.parseJson(text);
    } catch (Exception | StackOverflowError e) {
      return; // jose4j reads less than RFC 8259 allows (large integers, for one)
    }
    for (String name : members) {
      Object a = ours.get(name);
      Object b = theirs.get(name);
      boolean same =
          (a instanceof Number && b instanceof Number)
              ? new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0
              : Objects.equals(a, b);
      if (!same || ours.containsKey(name) != theirs.containsKey(name)) {
        throw new AssertionError("parsers disagree on \"" + name + "\": " + text);
      }
    }
  }

  private static boolean ecdsaVerifies(PublicKey key, byte[] data, byte[] signature) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
      s.initVerify(key);
      s.update(data);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** The reasons a rule list calls for. */
  static Set<Reason> reasons(List<Violation> violations) {
    Set<Reason> out = EnumSet.noneOf(Reason.class);
    for (Violation v : violations) {
      out.add(v.reason);
    }
    return out;
  }
}
