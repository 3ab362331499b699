package dev.tollgate.fuzz;

import static dev.tollgate.fuzz.Fixtures.ES;
import static dev.tollgate.fuzz.Fixtures.HS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.Reason;
import dev.tollgate.VerifiedJwt;
import dev.tollgate.fuzz.Oracle.Policy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fuzz oracle must see what is wrong, or a silent fuzz run proves nothing. */
class OracleTest {
  @Test
  void analyse_validTokens_breakNoRule() {
    for (String token : Fixtures.VALID) {
      assertThat(Oracle.analyse(Policy.LENIENT, token).violations).as(token).isEmpty();
    }
    assertThat(Oracle.analyse(Policy.STRICT, Fixtures.VALID.get(2)).violations).isEmpty();
  }

  @Test
  void analyse_brokenTokens_breakTheRuleOfTheirReason() {
    assertThat(reasons(ES.expiredToken())).containsExactly(Reason.EXPIRED);
    assertThat(reasons(ES.notYetValidToken())).containsExactly(Reason.NOT_YET_VALID);
    assertThat(reasons(ES.wrongAudienceToken())).containsExactly(Reason.AUDIENCE_MISMATCH);
    assertThat(reasons(ES.wrongIssuerToken())).containsExactly(Reason.ISSUER_MISMATCH);
    assertThat(reasons(HS.alteredSignatureToken())).containsExactly(Reason.BAD_SIGNATURE);
    assertThat(reasons(ES.signedByAnotherKeyToken())).containsExactly(Reason.BAD_SIGNATURE);
    assertThat(reasons(ES.ecdsaZeroSignatureToken())).containsExactly(Reason.BAD_SIGNATURE);
    assertThat(reasons(ES.unsignedToken())).containsExactly(Reason.ALGORITHM_NOT_ALLOWED);
    assertThat(reasons(ES.critToken())).containsExactly(Reason.UNSUPPORTED_CRITICAL_HEADER);
    assertThat(reasons(ES.wrongTypeToken())).containsExactly(Reason.TYPE_MISMATCH);
    assertThat(reasons(ES.tokenWithout("exp"))).containsExactly(Reason.MISSING_CLAIM);
    assertThat(reasons(ES.token().claim("exp", "soon").sign()))
        .containsExactly(Reason.CLAIM_INVALID);
    assertThat(reasons(ES.oversizedToken(16 * 1024 + 1))).containsExactly(Reason.TOO_LARGE);
    assertThat(reasons(ES.deeplyNestedToken(32))).containsExactly(Reason.MALFORMED);
    assertThat(Oracle.reasons(Oracle.analyse(Policy.STRICT, ES.validToken()).violations))
        .contains(Reason.TYPE_MISMATCH);
  }

  @Test
  void checkAccepted_tokenTheHarnessDidNotSign_isAFinding() {
    String token = HS.validToken();
    VerifiedJwt jwt = Fixtures.LENIENT.validate(token);
    Oracle.checkAccepted(Policy.LENIENT, token, jwt, List.of(token));
    assertThatThrownBy(() -> Oracle.checkAccepted(Policy.LENIENT, token, jwt, List.of()))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("did not sign");
  }

  @Test
  void checkAccepted_tokenBreakingThePolicy_isAFinding() {
    String expired = HS.expiredToken();
    VerifiedJwt other = Fixtures.LENIENT.validate(HS.validToken());
    assertThatThrownBy(() -> Oracle.checkAccepted(Policy.LENIENT, expired, other, List.of(expired)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("EXPIRED");
  }

  @Test
  void checkRefused_refusalOfAValidTokenOrForAnotherRule_isAFinding() {
    String valid = ES.validToken();
    assertThatThrownBy(() -> Oracle.checkRefused(Policy.LENIENT, valid, Reason.EXPIRED))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("meets the policy");
    String expired = ES.expiredToken();
    Oracle.checkRefused(Policy.LENIENT, expired, Reason.EXPIRED);
    assertThatThrownBy(() -> Oracle.checkRefused(Policy.LENIENT, expired, Reason.BAD_SIGNATURE))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("breaks");
  }

  private static List<Reason> reasons(String token) {
    return List.copyOf(Oracle.reasons(Oracle.analyse(Policy.LENIENT, token).violations));
  }
}
