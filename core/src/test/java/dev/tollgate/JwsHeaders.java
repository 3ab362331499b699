package dev.tollgate;

import org.jspecify.annotations.Nullable;

/** Makes {@link JwsHeader}s for tests of key resolvers, which get them from the validator. */
public final class JwsHeaders {
  private JwsHeaders() {}

  /** A header with this algorithm and key id ({@code null}: none) and no type. */
  public static JwsHeader header(Algorithm algorithm, @Nullable String keyId) {
    return new JwsHeader(algorithm, keyId, null);
  }
}
