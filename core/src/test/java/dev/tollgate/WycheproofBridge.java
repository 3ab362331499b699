package dev.tollgate;

/**
 * Lets the Wycheproof conformance tests ({@code dev.tollgate.conformance}) reach the JWS layer of
 * {@link JwtValidator} alone: {@link JwtValidator#verifyJws(String)} is package-private because the
 * public API only ever returns verified claims.
 */
public final class WycheproofBridge {
  private WycheproofBridge() {}

  /**
   * Runs every check of {@code validator} up to and including the signature, reading no claims.
   *
   * @param validator the validator
   * @param token a compact JWS
   * @return the verified payload
   * @throws JwtValidationException if the token is refused
   */
  public static byte[] verifyJws(JwtValidator validator, String token) {
    return validator.verifyJws(token).payload;
  }
}
