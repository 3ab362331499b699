package dev.tollgate.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RocaFingerprintTest {

  @Test
  void matches_modulusOfRocaForm_detected() {
    BigInteger m = RocaFingerprint.primeProduct();
    Random random = new Random(7);
    for (int exponent : new int[] {3, 100, 12345}) {
      // n = 65537^e mod M + t*M: the residues ROCA primes leave behind.
      BigInteger residue = BigInteger.valueOf(65537).modPow(BigInteger.valueOf(exponent), m);
      BigInteger n = residue.add(m.multiply(new BigInteger(2048 - m.bitLength(), random)));
      assertThat(RocaFingerprint.matches(n)).isTrue();
    }
  }

  @Test
  void matches_generatedKeys_notDetected() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    for (int i = 0; i < 3; i++) {
      RSAPublicKey key = (RSAPublicKey) gen.generateKeyPair().getPublic();
      assertThat(RocaFingerprint.matches(key.getModulus())).isFalse();
    }
  }

  @Test
  void falsePositiveRate_negligible() {
    assertThat(RocaFingerprint.falsePositiveRate()).isLessThan(Math.pow(2, -100));
  }

  @Test
  void falsePositiveRate_isTheProductOfSubgroupFractions() {
    // Computed apart: the subgroup 65537 generates modulo r has the element's order as its size.
    double expected = 1;
    BigInteger product = BigInteger.ONE;
    for (int r = 3; r <= 701; r += 2) {
      if (!BigInteger.valueOf(r).isProbablePrime(50)) {
        continue;
      }
      product = product.multiply(BigInteger.valueOf(r));
      int g = 65537 % r;
      int order = 1;
      for (int x = g; x != 1; x = x * g % r) {
        order++;
      }
      expected *= (double) order / (r - 1);
    }
    assertThat(RocaFingerprint.primeProduct()).isEqualTo(product);
    assertThat(RocaFingerprint.falsePositiveRate())
        .isPositive()
        .isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(1e-6));
  }
}
