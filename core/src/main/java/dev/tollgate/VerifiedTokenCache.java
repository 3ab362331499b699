package dev.tollgate;

import dev.tollgate.keys.KeyResolver;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Tokens that passed every check, remembered until they expire, so a client that presents the same
 * token on many requests pays for its signature once (see {@link
 * JwtValidator.Builder#verifiedTokenCache(int)}).
 *
 * <p>Correctness rules: an entry is found by the SHA-256 digest of the whole token, compared in
 * constant time; a hit is served only while the current time is inside the window in which every
 * time check (exp, nbf, iat, maximum age, each with the clock skew) passed, and only while the key
 * that verified the token is still among the keys the resolver gives for its header; the claim
 * checks run again on every hit. Anything else falls through to a full validation, which gives the
 * exact answer. Only successes are stored, so refused tokens cannot fill it; when it is full, a
 * quarter is freed: expired entries first, then entries not hit since the last sweep.
 */
final class VerifiedTokenCache {
  private final int maxEntries;
  private final ConcurrentHashMap<Digest, Entry> entries;

  VerifiedTokenCache(int maxEntries) {
    this.maxEntries = maxEntries;
    this.entries = new ConcurrentHashMap<>(Math.min(maxEntries, 1024));
  }

  /** A SHA-256 digest as four longs; equality takes the same time wherever the digests differ. */
  static final class Digest {
    private final long a;
    private final long b;
    private final long c;
    private final long d;

    Digest(byte[] sha256) {
      this.a = longAt(sha256, 0);
      this.b = longAt(sha256, 8);
      this.c = longAt(sha256, 16);
      this.d = longAt(sha256, 24);
    }

    private static long longAt(byte[] bytes, int offset) {
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (bytes[offset + i] & 0xff);
      }
      return v;
    }

    @Override
    public boolean equals(@Nullable Object other) {
      if (!(other instanceof Digest)) {
        return false;
      }
      Digest o = (Digest) other;
      return ((a ^ o.a) | (b ^ o.b) | (c ^ o.c) | (d ^ o.d)) == 0;
    }

    @Override
    public int hashCode() {
      return (int) (a ^ (a >>> 32));
    }
  }

  /** What a hit needs: the result, the header and key it was verified with, its time window. */
  static final class Entry {
    final VerifiedJwt jwt;
    final JwsHeader header;
    final JwtKey key;

    /** The first instant (epoch millisecond) at which every time check passes. */
    final long validFrom;

    /** The first instant at which one no longer passes. */
    final long validUntil;

    /**
     * Set by each hit, cleared when eviction passes over the entry: entries not hit since the last
     * pass leave first (a second-chance approximation of least recently used). Races on it only
     * change which entry is evicted.
     */
    boolean hitSinceLastSweep;

    Entry(VerifiedJwt jwt, JwsHeader header, JwtKey key, long validFrom, long validUntil) {
      this.jwt = jwt;
      this.header = header;
      this.key = key;
      this.validFrom = validFrom;
      this.validUntil = validUntil;
    }
  }

  /**
   * Digests a token, or returns null when it has a character above U+007F (no valid token has one,
   * and a digest of such text would need an encoding to be exact).
   */
  static @Nullable Digest digest(String token, byte[] buffer, MessageDigest sha256) {
    int length = token.length();
    int wide = 0;
    for (int i = 0; i < length; i++) {
      char ch = token.charAt(i);
      wide |= ch;
      buffer[i] = (byte) ch;
    }
    if (wide > 0x7f) {
      return null;
    }
    sha256.update(buffer, 0, length);
    return new Digest(sha256.digest());
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /**
   * Returns the entry for a digest if it may be served now: inside its time window and with its key
   * still given by {@code keys}. Entries past their window are dropped.
   */
  @Nullable Entry get(Digest digest, long now, KeyResolver keys) {
    Entry e = entries.get(digest);
    if (e == null) {
      return null;
    }
    if (now >= e.validUntil) {
      entries.remove(digest, e);
      return null;
    }
    if (now < e.validFrom || !stillTrusted(e, keys)) {
      return null;
    }
    if (!e.hitSinceLastSweep) {
      e.hitSinceLastSweep = true;
    }
    return e;
  }

  private static boolean stillTrusted(Entry e, KeyResolver keys) {
    List<JwtKey> candidates;
    try {
      candidates = keys.resolve(e.header);
    } catch (RuntimeException unavailable) {
      return false;
    }
    for (int i = 0, n = Math.min(candidates.size(), KeyResolver.MAX_CANDIDATES); i < n; i++) {
      if (candidates.get(i) == e.key) {
        return true;
      }
    }
    return false;
  }

  /** Remembers a verified token, making room first when full. */
  void put(Digest digest, Entry entry, long now) {
    if (entries.size() >= maxEntries) {
      makeRoom(now);
    }
    entries.put(digest, entry);
  }

  /**
   * Frees a quarter of the capacity: expired entries first, then entries not hit since the last
   * sweep (clearing the mark of those it passes), then any.
   */
  private void makeRoom(long now) {
    entries.values().removeIf(e -> now >= e.validUntil);
    int excess = entries.size() - (maxEntries - Math.max(1, maxEntries / 4));
    Iterator<Entry> it = entries.values().iterator();
    while (excess > 0 && it.hasNext()) {
      Entry e = it.next();
      if (e.hitSinceLastSweep) {
        e.hitSinceLastSweep = false;
      } else {
        it.remove();
        excess--;
      }
    }
    it = entries.values().iterator();
    while (excess > 0 && it.hasNext()) {
      it.next();
      it.remove();
      excess--;
    }
  }

  /** How many tokens are remembered now (for tests). */
  int size() {
    return entries.size();
  }
}
