package dev.tollgate.internal;

import java.math.BigInteger;

/**
 * Detects RSA moduli made by the key generator with the ROCA flaw (CVE-2017-15361).
 *
 * <p>Such primes have the form {@code k * M + (65537^a mod M)} where {@code M} is a primorial, so
 * the modulus, taken modulo each small prime {@code r} dividing {@code M}, lies in the subgroup
 * that 65537 generates modulo {@code r}. A random modulus passes that test for all the primes below
 * with negligible probability.
 */
public final class RocaFingerprint {
  // The ROCA generator builds keys of 1984 to 3936 bits from the primorial of the first 126 primes
  // (2 to 701), and larger keys from more; Tollgate accepts no RSA key below 2048 bits, so every
  // key
  // it sees must show the fingerprint modulo every odd prime up to 701.
  private static final int[] PRIMES = oddPrimesUpTo(701);
  private static final BigInteger PRODUCT;
  // SUBGROUP[i][x] is true when x is a power of 65537 modulo PRIMES[i].
  private static final boolean[][] SUBGROUP = new boolean[PRIMES.length][];

  static {
    BigInteger product = BigInteger.ONE;
    for (int i = 0; i < PRIMES.length; i++) {
      int r = PRIMES[i];
      product = product.multiply(BigInteger.valueOf(r));
      boolean[] member = new boolean[r];
      int g = 65537 % r;
      int x = 1;
      do {
        member[x] = true;
        x = (x * g) % r;
      } while (x != 1);
      SUBGROUP[i] = member;
    }
    PRODUCT = product;
  }

  private RocaFingerprint() {}

  private static int[] oddPrimesUpTo(int limit) {
    return java.util.stream.IntStream.rangeClosed(3, limit)
        .filter(
            n ->
                java.util.stream.IntStream.rangeClosed(2, (int) Math.sqrt(n))
                    .noneMatch(d -> n % d == 0))
        .toArray();
  }

  /** Returns the product of the primes the check uses. */
  static BigInteger primeProduct() {
    return PRODUCT;
  }

  /** Returns whether the modulus has the ROCA fingerprint. */
  public static boolean matches(BigInteger modulus) {
    BigInteger residue = modulus.mod(PRODUCT);
    for (int i = 0; i < PRIMES.length; i++) {
      int x = residue.mod(BigInteger.valueOf(PRIMES[i])).intValue();
      if (!SUBGROUP[i][x]) {
        return false;
      }
    }
    return true;
  }

  /** Returns the probability that a random modulus matches: the product of subgroup fractions. */
  static double falsePositiveRate() {
    double rate = 1;
    for (int i = 0; i < PRIMES.length; i++) {
      int size = 0;
      for (boolean b : SUBGROUP[i]) {
        size += b ? 1 : 0;
      }
      rate *= (double) size / (PRIMES[i] - 1);
    }
    return rate;
  }
}
