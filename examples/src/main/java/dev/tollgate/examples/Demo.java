package dev.tollgate.examples;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtValidationException;
import dev.tollgate.JwtValidator;
import dev.tollgate.Reason;
import dev.tollgate.VerifiedJwt;
import dev.tollgate.testing.TestIssuer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The demo: a throwaway issuer mints tokens, good and deliberately bad, and one validator judges
 * them. Each line shows what was presented and what came back; the exit code is 0 only when every
 * answer was the expected one.
 */
public final class Demo {
  private record Step(
      String what, Supplier<String> token, JwtValidator validator, String expected) {}

  private Demo() {}

  /**
   * Runs the walkthrough.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    int failures = run(out);
    System.exit(failures == 0 ? 0 : 1);
  }

  /**
   * Runs the walkthrough and prints one line per step.
   *
   * @param out where to print
   * @return how many steps gave an unexpected answer
   */
  public static int run(PrintStream out) {
    TestIssuer idp =
        TestIssuer.builder()
            .algorithm(Algorithm.RS256)
            .issuer("https://idp.example.com/")
            .audience("catalog-api")
            .build();
    TestIssuer stranger = TestIssuer.builder().algorithm(Algorithm.ES256).build();
    JwtValidator validator = idp.validator();
    JwtValidator accessTokens = idp.validatorBuilder().accessTokenProfile().build();
    TestIssuer rotated = idp.rotate();

    List<Step> steps = new ArrayList<>();
    steps.add(new Step("valid token", idp::validToken, validator, "accepted"));
    steps.add(new Step("expired token", idp::expiredToken, validator, Reason.EXPIRED.name()));
    steps.add(
        new Step("not yet valid", idp::notYetValidToken, validator, Reason.NOT_YET_VALID.name()));
    steps.add(
        new Step("wrong issuer", idp::wrongIssuerToken, validator, Reason.ISSUER_MISMATCH.name()));
    steps.add(
        new Step(
            "wrong audience", idp::wrongAudienceToken, validator, Reason.AUDIENCE_MISMATCH.name()));
    steps.add(
        new Step("alg: none", idp::unsignedToken, validator, Reason.ALGORITHM_NOT_ALLOWED.name()));
    steps.add(
        new Step(
            "HS256 signed with the RSA public key",
            idp::hmacConfusionToken,
            validator,
            Reason.ALGORITHM_NOT_ALLOWED.name()));
    steps.add(
        new Step(
            "altered signature",
            idp::alteredSignatureToken,
            validator,
            Reason.BAD_SIGNATURE.name()));
    steps.add(
        new Step(
            "signed by another key",
            idp::signedByAnotherKeyToken,
            validator,
            Reason.BAD_SIGNATURE.name()));
    steps.add(
        new Step(
            "attacker key in the jwk header",
            idp::embeddedJwkToken,
            validator,
            Reason.KEY_NOT_FOUND.name()));
    steps.add(
        new Step(
            "token from a stranger",
            stranger::validToken,
            validator,
            Reason.ALGORITHM_NOT_ALLOWED.name()));
    steps.add(
        new Step(
            "unknown critical header",
            idp::critToken,
            validator,
            Reason.UNSUPPORTED_CRITICAL_HEADER.name()));
    steps.add(
        new Step(
            "ID token used as access token",
            idp::idTokenAsAccessToken,
            accessTokens,
            Reason.TYPE_MISMATCH.name()));
    steps.add(
        new Step(
            "oversized token",
            () -> idp.oversizedToken(20_000),
            validator,
            Reason.TOO_LARGE.name()));
    steps.add(
        new Step("not a JWT at all", () -> "hello.world", validator, Reason.MALFORMED.name()));
    steps.add(
        new Step(
            "token of a rotated key, old key set",
            rotated::validToken,
            validator,
            Reason.KEY_NOT_FOUND.name()));
    steps.add(
        new Step(
            "token of a rotated key, new key set",
            rotated::validToken,
            rotated.validator(),
            "accepted"));

    int failures = 0;
    for (Step step : steps) {
      String answer = answer(step.validator(), step.token().get());
      boolean ok = answer.startsWith(step.expected());
      failures += ok ? 0 : 1;
      out.printf("%-4s %-40s -> %s%n", ok ? "ok" : "FAIL", step.what(), answer);
    }
    out.printf("%d of %d steps as expected%n", steps.size() - failures, steps.size());
    return failures;
  }

  private static String answer(JwtValidator validator, String token) {
    try {
      VerifiedJwt jwt = validator.validate(token);
      return "accepted (sub "
          + jwt.subject().orElse("-")
          + ", kid "
          + jwt.keyId().orElse("-")
          + ")";
    } catch (JwtValidationException e) {
      return e.reason().name() + " (" + e.getMessage() + ", token " + e.tokenFingerprint() + ")";
    }
  }
}
