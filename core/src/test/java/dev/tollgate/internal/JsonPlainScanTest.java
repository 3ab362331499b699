package dev.tollgate.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The word-at-a-time scan through the plain part of a JSON string must stop at exactly the byte the
 * byte-at-a-time rule names: a quote, a backslash, a control character or a non-ASCII byte.
 */
class JsonPlainScanTest {
  private static boolean special(int b) {
    return b < 0x20 || b >= 0x80 || b == '"' || b == '\\';
  }

  /** The rule, one byte at a time. */
  private static int reference(byte[] b, int from, int end) {
    int i = from;
    while (i < end && !special(b[i] & 0xff)) {
      i++;
    }
    return i;
  }

  @Test
  void plainUntil_everyByteValueAtEveryPosition_stopsExactlyThere() {
    for (int v = 0; v < 256; v++) {
      for (int at = 0; at < 20; at++) {
        byte[] b = "abcdefghijklmnopqrst".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        b[at] = (byte) v;
        for (int from = 0; from <= at; from++) {
          assertThat(Json.plainUntil(b, from, b.length))
              .as("byte %02x at %d from %d", v, at, from)
              .isEqualTo(special(v) ? at : b.length);
        }
      }
    }
  }

  @Test
  void plainUntil_specialByteAtOrPastTheEnd_notSeen() {
    byte[] b = "abcdefghijklmnop\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(Json.plainUntil(b, 0, 16)).isEqualTo(16);
    assertThat(Json.plainUntil(b, 3, 11)).isEqualTo(11);
    assertThat(Json.plainUntil(b, 5, 5)).isEqualTo(5);
  }

  @Property(tries = 2000)
  void plainUntil_agreesWithTheByteRule(
      @ForAll("nearSpecialBytes") List<Byte> bytes, @ForAll int fromSeed, @ForAll int endSeed) {
    byte[] b = new byte[bytes.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = bytes.get(i);
    }
    int end = b.length == 0 ? 0 : Math.floorMod(endSeed, b.length + 1);
    int from = end == 0 ? 0 : Math.floorMod(fromSeed, end + 1);
    assertThat(Json.plainUntil(b, from, end)).isEqualTo(reference(b, from, end));
  }

  /** Mostly plain letters, with the special bytes and their neighbours (borrows and carries). */
  @Provide
  Arbitrary<List<Byte>> nearSpecialBytes() {
    Arbitrary<Byte> edge =
        Arbitraries.of(
            (byte) 0x00,
            (byte) 0x01,
            (byte) 0x1f,
            (byte) 0x20,
            (byte) 0x21,
            (byte) 0x22,
            (byte) 0x23,
            (byte) 0x5b,
            (byte) 0x5c,
            (byte) 0x5d,
            (byte) 0x7f,
            (byte) 0x80,
            (byte) 0x81,
            (byte) 0xa2,
            (byte) 0xdc,
            (byte) 0xff);
    Arbitrary<Byte> plain = Arbitraries.bytes().between((byte) 0x20, (byte) 0x7e);
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, plain), net.jqwik.api.Tuple.of(1, edge))
        .list()
        .ofMaxSize(40);
  }
}
