package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JwtValidationExceptionTest {
  @Test
  void fingerprintOf_isTheFirstFourBytesOfSha256InHex() {
    // SHA-256("abc") = ba7816bf 8f01cfea ...; SHA-256("") = e3b0c442 98fc1c14 ...
    assertThat(JwtValidationException.fingerprintOf("abc")).isEqualTo("ba7816bf");
    assertThat(JwtValidationException.fingerprintOf("")).isEqualTo("e3b0c442");
  }

  @Test
  void tokenFingerprint_sameOnEveryCall() {
    JwtValidationException e = new JwtValidationException(Reason.EXPIRED, "abc", null);
    assertThat(e.tokenFingerprint()).isEqualTo("ba7816bf").isSameAs(e.tokenFingerprint());
  }

  @Test
  void jwsHeader_toString_namesAlgorithmAndKidOnly() {
    assertThat(JwsHeaders.header(Algorithm.ES256, null)).hasToString("JwsHeader[alg=ES256]");
    assertThat(JwsHeaders.header(Algorithm.RS256, "k1"))
        .hasToString("JwsHeader[alg=RS256, kid=k1]");
  }
}
