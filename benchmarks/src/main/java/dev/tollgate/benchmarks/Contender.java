package dev.tollgate.benchmarks;

/**
 * One library's validation of a compact JWS, configured with the same policy as every other: the
 * issuer's algorithm only, its key, an exact issuer, the audience, and a required, unexpired {@code
 * exp}. It returns the library's own result and throws on a refusal.
 *
 * <p>The benchmarks call the concrete classes ({@link Peers}) through fields of their own type, so
 * each call site sees one implementation; this interface exists for the checks in {@code @Setup}.
 */
interface Contender {
  /** Validates a token, returning the library's result; throws when the library refuses it. */
  Object validate(String token) throws Exception;
}
