package dev.tollgate.fuzz;

import static dev.tollgate.fuzz.Fixtures.AUD;
import static dev.tollgate.fuzz.Fixtures.ES;
import static dev.tollgate.fuzz.Fixtures.HS;
import static dev.tollgate.fuzz.Fixtures.ISS;
import static dev.tollgate.fuzz.Fixtures.NOW;
import static dev.tollgate.fuzz.Fixtures.b64;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tollgate.fuzz.Oracle.Policy;
import dev.tollgate.internal.Json;
import dev.tollgate.testing.TestIssuer;
import dev.tollgate.testing.TokenBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link dev.tollgate.JwtValidator#validate(String)} against two policies that trust the
 * test kit's ES256 and HS256 keys. A finding is any exception but {@code JwtValidationException}, a
 * refusal message other than the reason's fixed text, a hang (10 s per input), and any acceptance
 * the {@link Oracle} does not vouch for: the token must be byte-identical to one the harness signed
 * with a trusted key, its signature must verify with the JDK directly, and its claims must meet the
 * policy.
 *
 * <p>Inputs replayed in every build: {@code src/test/resources/dev/tollgate/fuzz/
 * JwtValidatorFuzzTestInputs/<method>/}. Fuzzing one target: see the README ("Fuzzing").
 */
class JwtValidatorFuzzTest {
  private static final List<Policy> POLICIES = List.of(Policy.LENIENT, Policy.STRICT);

  /** Any text at all: read as UTF-8, and byte for byte as Latin-1. */
  @FuzzTest(maxDuration = "5m")
  @Timeout(10)
  @DictionaryEntries({"eyJ", ".", "eyJhbGciOiJIUzI1NiJ9", "eyJhbGciOiJFUzI1NiJ9", "=", "_", "-"})
  void anyString(byte[] input) {
    for (String token : List.of(new String(input, UTF_8), new String(input, ISO_8859_1))) {
      for (Policy policy : POLICIES) {
        Oracle.validateAndCheck(policy, token, List.of(), false);
      }
    }
  }

  /**
   * Tokens built from parts (see {@link Fields}); control byte 0 picks the mode:
   *
   * <ol start="0">
   *   <li>segments: fields 1, 2, 3 are header, payload and signature bytes, base64url-encoded (or,
   *       per control byte 1, put in as they are); more fields are more segments; nothing signed;
   *   <li>signed: fields 1 and 2 are header and payload bytes, signed by a key control byte 1
   *       picks: trusted (HS256 over the raw bytes, or ES256 over their UTF-8 reading) or not;
   *   <li>template: a well-formed token whose every header member and claim control bytes pick
   *       (right, missing, wrong type, off by seconds around each limit); the answer must then be
   *       exactly right: acceptance iff the policy holds, else a reason for a rule it breaks;
   *   <li>mutated: one of the test kit's tokens (valid or broken), edited by control bytes.
   * </ol>
   */
  @FuzzTest(maxDuration = "5m")
  @Timeout(10)
  @DictionaryEntries({
    "\"alg\":",
    "\"ES256\"",
    "\"HS256\"",
    "\"none\"",
    "\"kid\":",
    "\"typ\":",
    "\"at+jwt\"",
    "\"crit\":",
    "\"b64\":false",
    "\"iss\":",
    "\"https://issuer.test/\"",
    "\"aud\":",
    "\"test-api\"",
    "\"exp\":",
    "\"nbf\":",
    "\"iat\":",
    "\"test-es256-1\"",
    "\"test-hs256-1\"",
    "\\ud800",
    "\\u0000"
  })
  void structuredToken(byte[] input) {
    Fields f = new Fields(input);
    switch (f.control(0) % 4) {
      case 0 -> segments(f);
      case 1 -> signed(f);
      case 2 -> template(f);
      default -> mutated(f);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // mode 0: unsigned segments

  private static void segments(Fields f) {
    int raw = f.control(1);
    StringBuilder token = new StringBuilder();
    int segments = Math.max(3, f.size() - 1);
    for (int i = 1; i <= segments; i++) {
      if (i > 1) {
        token.append('.');
      }
      byte[] b = f.bytes(i);
      token.append((raw & (1 << (i - 1))) != 0 ? new String(b, ISO_8859_1) : b64(b));
    }
    for (Policy policy : POLICIES) {
      Oracle.validateAndCheck(policy, token.toString(), List.of(), false);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // mode 1: raw header and payload, signed

  private static void signed(Fields f) {
    byte[] header = f.bytes(1);
    byte[] payload = f.bytes(2);
    String token;
    List<String> signed = new ArrayList<>();
    switch (f.control(1) % 4) {
      case 0 -> {
        token = Fixtures.hmacSigned(b64(header) + "." + b64(payload));
        signed.add(token);
      }
      case 1 -> {
        token = ES.token().rawHeader(f.text(1)).payload(f.text(2)).sign();
        signed.add(token);
      }
      case 2 ->
          token =
              ES.token()
                  .rawHeader(f.text(1))
                  .payload(f.text(2))
                  .signWith(Fixtures.STRANGER_EC.getPrivate());
      default -> {
        // Algorithm confusion: an HMAC keyed with the trusted public key's encoding.
        String input = b64(header) + "." + b64(payload);
        token =
            input + "." + b64(Fixtures.hmac(ES.publicKey().getEncoded(), input.getBytes(US_ASCII)));
      }
    }
    for (Policy policy : POLICIES) {
      Oracle.validateAndCheck(policy, token, signed, false);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // mode 2: well-formed template, exact answer

  private static final long NOW_SECONDS = NOW.getEpochSecond();

  private static void template(Fields f) {
    Map<String, @Nullable Object> header = new LinkedHashMap<>();
    Map<String, @Nullable Object> claims = new LinkedHashMap<>();
    int alg = f.control(1) % 7;
    switch (alg) {
      case 0 -> header.put("alg", "ES256");
      case 1 -> header.put("alg", "HS256");
      case 2 -> header.put("alg", "none");
      case 3 -> header.put("alg", "RS256");
      case 4 -> header.put("alg", "es256");
      case 5 -> {}
      default -> header.put("alg", 256L);
    }
    boolean hmac = alg == 1;
    TestIssuer own = hmac ? HS : ES;
    TestIssuer other = hmac ? ES : HS;
    switch (f.control(3) % 6) {
      case 0 -> header.put("kid", own.keyId());
      case 1 -> {}
      case 2 -> header.put("kid", other.keyId());
      case 3 -> header.put("kid", "nope");
      case 4 -> header.put("kid", 7L);
      default -> header.put("kid", null);
    }
    put(
        header,
        "typ",
        f.control(4) % 11,
        "JWT",
        Absent.VALUE,
        "at+jwt",
        "application/at+jwt",
        "AT+JWT",
        "dpop+jwt",
        "application/jwt/x",
        "",
        1L,
        null,
        "application/JWT");
    switch (f.control(5) % 7) {
      case 0 -> {}
      case 1 -> header.put("crit", List.of("exp"));
      case 2 -> header.put("crit", List.of());
      case 3 -> header.put("b64", false);
      case 4 -> header.put("b64", true);
      case 5 -> header.put("b64", "true");
      default -> header.put("crit", null);
    }

    put(
        claims,
        "iss",
        f.control(6) % 6,
        ISS,
        Absent.VALUE,
        "https://other.test/",
        1L,
        null,
        ISS + "/");
    put(
        claims,
        "aud",
        f.control(7) % 8,
        AUD,
        Absent.VALUE,
        List.of("x", AUD),
        List.of("x", "y"),
        List.of(AUD, 1L),
        List.of(),
        "other-api",
        2L);
    date(claims, "exp", f, 8);
    date(claims, "nbf", f, 11);
    date(claims, "iat", f, 14);
    put(claims, "sub", f.control(17) % 3, f.text(1), Absent.VALUE, 3L);
    int ids = f.control(18);
    if ((ids & 1) == 0) {
      claims.put("jti", "jti-" + (ids >> 4));
    }
    if ((ids & 2) == 0) {
      claims.put("client_id", "fuzz-client");
    }
    put(claims, "tenant", (ids >> 2) % 4, "acme", Absent.VALUE, "other", null);
    put(claims, "scope", f.control(19) % 3, Absent.VALUE, "read write", 4L);
    put(
        claims,
        "scp",
        f.control(20) % 5,
        Absent.VALUE,
        List.of("read"),
        List.of("read", 5L),
        "read",
        Map.of("read", true));
    if (f.size() > 2) {
      claims.put(
          f.text(2), f.text(3)); // a claim of the fuzzer's choosing, perhaps a registered one
    }

    String signingInput =
        b64(Json.write(header).getBytes(UTF_8)) + "." + b64(Json.write(claims).getBytes(UTF_8));
    List<String> signed = new ArrayList<>();
    String token;
    switch (f.control(2) % 6) {
      case 0 -> {
        token = sign(own, signingInput);
        signed.add(token);
      }
      case 1 -> {
        token = sign(other, signingInput);
        signed.add(token);
      }
      case 2 -> token = signingInput + "." + b64(Fixtures.hmac(new byte[32], new byte[1]));
      case 3 ->
          token =
              signingInput
                  + "."
                  + b64(
                      Fixtures.hmac(ES.publicKey().getEncoded(), signingInput.getBytes(US_ASCII)));
      case 4 -> token = signingInput + ".";
      default -> token = signingInput + "." + b64(new byte[64]);
    }
    Policy policy = POLICIES.get(f.control(21) % 2);
    Oracle.validateAndCheck(policy, token, signed, true);
  }

  /** Signs a signing input with an issuer's own key, whatever its header says. */
  private static String sign(TestIssuer issuer, String signingInput) {
    if (issuer == HS) {
      return Fixtures.hmacSigned(signingInput);
    }
    int dot = signingInput.indexOf('.');
    TokenBuilder t =
        issuer
            .token()
            .rawHeader(new String(decode(signingInput.substring(0, dot)), UTF_8))
            .payload(new String(decode(signingInput.substring(dot + 1)), UTF_8));
    return t.sign();
  }

  private static byte[] decode(String segment) {
    return java.util.Base64.getUrlDecoder().decode(segment);
  }

  /** Marks a choice that leaves the member out. */
  private enum Absent {
    VALUE
  }

  private static void put(
      Map<String, @Nullable Object> map, String name, int choice, @Nullable Object... values) {
    Object v = values[choice];
    if (v != Absent.VALUE) {
      map.put(name, v);
    }
  }

  /**
   * A NumericDate claim from three control bytes: its form (number, absent, string, null, with a
   * fraction, negative, beyond year 9999), and an offset from now in seconds times a scale.
   */
  private static void date(Map<String, @Nullable Object> claims, String name, Fields f, int at) {
    long scale =
        switch (f.control(at + 2) % 3) {
          case 0 -> 1;
          case 1 -> 60;
          default -> 3600;
        };
    long seconds = NOW_SECONDS + f.signedControl(at + 1) * scale;
    switch (f.control(at) % 7) {
      case 0 -> claims.put(name, seconds);
      case 1 -> {}
      case 2 -> claims.put(name, Long.toString(seconds));
      case 3 -> claims.put(name, null);
      case 4 -> claims.put(name, seconds + 0.25);
      case 5 -> claims.put(name, -seconds);
      default -> claims.put(name, 253_402_300_800L);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // mode 3: the test kit's tokens, edited

  private static void mutated(Fields f) {
    List<String> bases = new ArrayList<>(Fixtures.VALID);
    bases.addAll(Fixtures.BROKEN);
    StringBuilder token = new StringBuilder(bases.get(f.control(1) % bases.size()));
    byte[] material = f.bytes(1);
    int next = 0;
    for (int i = 2; i + 2 < f.controls() && i < 2 + 3 * 16 && token.length() < 20_000; i += 3) {
      int op = f.control(i) % 8;
      int position = ((f.control(i + 1) << 8) | f.control(i + 2)) % (token.length() + 1);
      char c = material.length == 0 ? 'A' : (char) (material[next++ % material.length] & 0xFF);
      switch (op) {
        case 0 -> {
          if (position < token.length()) {
            token.setCharAt(position, c);
          }
        }
        case 1 -> token.insert(position, c);
        case 2 -> {
          if (position < token.length()) {
            token.deleteCharAt(position);
          }
        }
        case 3 -> {
          if (position < token.length()) {
            token.setCharAt(position, (char) (token.charAt(position) ^ (1 << (c & 7))));
          }
        }
        case 4 -> token.setLength(position);
        case 5 -> token.insert(position, token.substring(position));
        case 6 -> {
          String donor = bases.get(c % bases.size());
          String[] ours = token.toString().split("\\.", -1);
          String[] theirs = donor.split("\\.", -1);
          int segment = position % Math.min(ours.length, theirs.length);
          ours[segment] = theirs[segment];
          token.setLength(0);
          token.append(String.join(".", ours));
        }
        default -> token.insert(position, new String(material, ISO_8859_1));
      }
    }
    for (Policy policy : POLICIES) {
      Oracle.validateAndCheck(policy, token.toString(), List.of(), false);
    }
  }
}
