package dev.tollgate.internal;

import dev.tollgate.Algorithm;
import dev.tollgate.JwsHeader;
import dev.tollgate.JwtKey;
import dev.tollgate.keys.KeyResolver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Resolves keys known at start-up. Every lookup is answered from lists built once, so a lookup
 * allocates nothing.
 */
public final class StaticKeyResolver implements KeyResolver {
  private static final int ALGS = Algorithm.values().length;

  private final List<JwtKey> keys;
  // For a token without kid: per algorithm, every key that fits.
  private final List<List<JwtKey>> anyKid;
  // For a token whose kid no key has: per algorithm, the keys without a kid.
  private final List<List<JwtKey>> unknownKid;
  // For a token with a known kid: per kid and algorithm, that key plus the keys without a kid.
  private final Map<String, List<List<JwtKey>>> byKid;

  /**
   * Indexes the keys.
   *
   * @param keys the trusted keys
   * @throws IllegalArgumentException if there are no keys or two share a kid
   */
  public StaticKeyResolver(List<JwtKey> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no keys given");
    }
    this.keys = List.copyOf(keys);
    List<JwtKey> kidless = new ArrayList<>();
    Map<String, JwtKey> withKid = new HashMap<>();
    for (JwtKey k : this.keys) {
      Optional<String> kid = k.keyId();
      if (kid.isEmpty()) {
        kidless.add(k);
      } else if (withKid.putIfAbsent(kid.get(), k) != null) {
        throw new IllegalArgumentException("two keys share the key id \"" + kid.get() + "\"");
      }
    }
    this.anyKid = perAlgorithm(this.keys);
    this.unknownKid = perAlgorithm(kidless);
    Map<String, List<List<JwtKey>>> index = new HashMap<>();
    for (Map.Entry<String, JwtKey> e : withKid.entrySet()) {
      List<JwtKey> candidates = new ArrayList<>();
      candidates.add(e.getValue());
      candidates.addAll(kidless);
      index.put(e.getKey(), perAlgorithm(candidates));
    }
    this.byKid = Map.copyOf(index);
  }

  private static List<List<JwtKey>> perAlgorithm(List<JwtKey> keys) {
    List<List<JwtKey>> out = new ArrayList<>(ALGS);
    for (Algorithm alg : Algorithm.values()) {
      List<JwtKey> fit = new ArrayList<>();
      for (JwtKey k : keys) {
        if (k.algorithms().contains(alg)) {
          fit.add(k);
        }
      }
      out.add(List.copyOf(fit));
    }
    return List.copyOf(out);
  }

  /** Returns every key, in the order given. */
  public List<JwtKey> keys() {
    return keys;
  }

  @Override
  public List<JwtKey> resolve(JwsHeader header) {
    int alg = header.algorithm().ordinal();
    Optional<String> kid = header.keyId();
    if (kid.isEmpty()) {
      return anyKid.get(alg);
    }
    List<List<JwtKey>> known = byKid.get(kid.get());
    return known == null ? unknownKid.get(alg) : known.get(alg);
  }

  /**
   * Like {@link #resolve(JwsHeader)}, but returns {@code null} when the token names a key id that
   * no key has, so that a caller can tell a rotated-in key from a known one. A lookup allocates
   * nothing beyond {@link JwsHeader#keyId()}.
   *
   * @param header the token's header
   * @return the candidates, or {@code null} for an unknown key id
   */
  public @Nullable List<JwtKey> resolveIfKnown(JwsHeader header) {
    int alg = header.algorithm().ordinal();
    Optional<String> kid = header.keyId();
    if (kid.isEmpty()) {
      return anyKid.get(alg);
    }
    List<List<JwtKey>> known = byKid.get(kid.get());
    return known == null ? null : known.get(alg);
  }

  /**
   * Returns the candidates for a token whose key id no key has: the keys without a key id that fit
   * the algorithm.
   *
   * @param header the token's header
   * @return the candidates, possibly empty
   */
  public List<JwtKey> resolveUnknown(JwsHeader header) {
    return unknownKid.get(header.algorithm().ordinal());
  }

  @Override
  public String toString() {
    return "StaticKeyResolver" + keys;
  }
}
