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
}
