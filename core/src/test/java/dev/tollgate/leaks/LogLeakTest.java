package dev.tollgate.leaks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.Algorithm;
import dev.tollgate.testing.TestIssuer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs after every other test class of core (see junit-platform.properties) and fails if any log
 * line of the whole run holds something shaped like a token, a signature or a key.
 */
@Order(Integer.MAX_VALUE)
class LogLeakTest {
  @Test
  void detector_findsTokensSignaturesAndSecrets() {
    TestIssuer hs = TestIssuer.create(Algorithm.HS256);
    String token = hs.validToken();
    String signature = token.substring(token.lastIndexOf('.') + 1);
    String secret = Base64.getEncoder().encodeToString(hs.secret());
    Logger selfTest = LoggerFactory.getLogger(CapturedLogs.SELF_TEST_LOGGER);
    selfTest.warn("refused {}", token);
    assertThat(CapturedLogs.suspicious("refused " + token)).isNotEmpty();
    assertThat(CapturedLogs.suspicious("mac " + signature)).isNotEmpty();
    assertThat(CapturedLogs.suspicious("key " + secret)).isNotEmpty();
    assertThat(CapturedLogs.suspicious("token 1a2b3c4d refused: EXPIRED (kid test-rs256-1)"))
        .isEmpty();
    assertThat(
            CapturedLogs.suspicious(
                "org.jose4j.jwe.EcdhKeyAgreementWithAesKeyWrapAlgorithm$EcdhKeyAgreementWithAes128KeyWrapAlgorithm"))
        .isEmpty();
    assertThat(
            CapturedLogs.suspicious("at Test.listenerThatThrows_neverChangesTheOutcome(Test.java)"))
        .isEmpty();
    // Random key material never passes for an identifier.
    java.util.Random random = new java.util.Random(1);
    for (int i = 0; i < 1000; i++) {
      byte[] key = new byte[32];
      random.nextBytes(key);
      String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
      assertThat(CapturedLogs.suspicious("key " + encoded)).as(encoded).isNotEmpty();
    }
    assertThat(CapturedLogs.lines()).noneMatch(l -> l.contains(token));
  }

  @Test
  void wholeRun_logsNoTokenSignatureOrSecret() {
    List<String> leaks = new ArrayList<>();
    for (String line : CapturedLogs.lines()) {
      if (!CapturedLogs.suspicious(line).isEmpty()) {
        leaks.add(line);
      }
    }
    assertThat(leaks).as("log lines that look like they hold a token or key").isEmpty();
  }
}
