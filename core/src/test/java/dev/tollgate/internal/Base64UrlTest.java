package dev.tollgate.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class Base64UrlTest {
  @Test
  void decode_canonicalText_givesBytes() {
    assertThat(Base64Url.decode("")).isEmpty();
    assertThat(Base64Url.decode("Zg")).containsExactly('f');
    assertThat(Base64Url.decode("Zm8")).containsExactly('f', 'o');
    assertThat(Base64Url.decode("Zm9v")).containsExactly('f', 'o', 'o');
    assertThat(Base64Url.decode("-_8")).containsExactly(0xfb, 0xff);
  }

  @Test
  void decode_padding_refused() {
    assertThat(Base64Url.decode("Zg==")).isNull();
    assertThat(Base64Url.decode("Zm8=")).isNull();
  }

  @Test
  void decode_standardAlphabetOrOtherCharacters_refused() {
    assertThat(Base64Url.decode("+/8")).isNull();
    assertThat(Base64Url.decode("Zm 9")).isNull();
    assertThat(Base64Url.decode("Zm9\n")).isNull();
    assertThat(Base64Url.decode("Zm9é")).isNull();
    assertThat(Base64Url.decode("Z\u0100")).isNull();
  }

  @Test
  void decode_zeroBitsInEveryGroupShape_givesZeroBytes() {
    assertThat(Base64Url.decode("AA")).containsExactly(0);
    assertThat(Base64Url.decode("AAA")).containsExactly(0, 0);
    assertThat(Base64Url.decode("AAAA")).containsExactly(0, 0, 0);
    assertThat(Base64Url.decode("AAAAAAA")).containsExactly(0, 0, 0, 0, 0);
  }

  @Test
  void decode_foreignCharacterInAnyPosition_refused() {
    // Every position of a whole group and of a final group of two or three characters; the
    // other characters are 'A' (zero bits), so only the foreign one can make the text invalid.
    for (String foreign : new String[] {"*", "+", "/", "=", " ", "\u007f"}) {
      for (int length : new int[] {2, 3, 4, 6, 7, 8}) {
        for (int i = 0; i < length; i++) {
          String text = "A".repeat(i) + foreign + "A".repeat(length - i - 1);
          assertThat(Base64Url.decode(text)).as("%s", text).isNull();
          byte[] out = new byte[8];
          assertThat(Base64Url.decode("..." + text, 3, length, out)).as("%s", text).isEqualTo(-1);
        }
      }
    }
  }

  @Test
  void decode_lengthLeavingOneCharacter_refused() {
    assertThat(Base64Url.decode("Z")).isNull();
    assertThat(Base64Url.decode("Zm9vZ")).isNull();
  }

  @Test
  void decode_nonZeroUnusedBits_refused() {
    // "Zg" is canonical for 'f'; "Zh".."Zv" decode to the same byte with unused bits set.
    assertThat(Base64Url.decode("Zh")).isNull();
    assertThat(Base64Url.decode("Zm8")).isNotNull();
    assertThat(Base64Url.decode("Zm9")).isNull();
    assertThat(Base64Url.decode("Zm-")).isNull();
  }

  @Property(tries = 300)
  void decode_inverseOfEncode(@ForAll byte[] data) {
    assertThat(Base64Url.decode(Base64Url.encode(data))).isEqualTo(data);
  }

  @Property(tries = 500)
  void decode_acceptsOnlyTheOneCanonicalEncoding(@ForAll @StringLength(max = 12) String text) {
    byte[] decoded = Base64Url.decode(text);
    if (decoded != null) {
      assertThat(Base64Url.encode(decoded)).isEqualTo(text);
    }
  }

  @Test
  void decode_agreesWithJdkOnCanonicalInput() {
    byte[] data = "any carnal pleasure.".getBytes(StandardCharsets.US_ASCII);
    String text = Base64.getUrlEncoder().withoutPadding().encodeToString(data);
    assertThat(Base64Url.decode(text)).isEqualTo(data);
  }

  @Test
  void decode_regionOfText_decodesOnlyThatRegion() {
    byte[] out = new byte[8];
    assertThat(Base64Url.decode("xx.Zm9v.yy", 3, 4, out)).isEqualTo(3);
    assertThat(new String(out, 0, 3, StandardCharsets.US_ASCII)).isEqualTo("foo");
    assertThat(Base64Url.decode("xx.Zm8.yy", 3, 3, out)).isEqualTo(2);
    assertThat(Base64Url.decode("xx.Zg.yy", 3, 2, out)).isEqualTo(1);
    assertThat(Base64Url.decode("xx..yy", 3, 0, out)).isZero();
    assertThat(Base64Url.decode("xx.Zm9v.yy", 2, 4, out)).isEqualTo(-1);
  }

  @Test
  void decodedLength_oneTrailingCharacter_minusOne() {
    assertThat(Base64Url.decodedLength(0)).isZero();
    assertThat(Base64Url.decodedLength(1)).isEqualTo(-1);
    assertThat(Base64Url.decodedLength(2)).isEqualTo(1);
    assertThat(Base64Url.decodedLength(3)).isEqualTo(2);
    assertThat(Base64Url.decodedLength(4)).isEqualTo(3);
    assertThat(Base64Url.decodedLength(5)).isEqualTo(-1);
    assertThat(Base64Url.decodedLength(-4)).isEqualTo(-1);
  }

  @Property(tries = 300)
  void decode_characterAbove7fWhoseLowBitsAreInTheAlphabet_refused(
      @ForAll byte[] data, @ForAll int where, @ForAll boolean latin1) {
    String text = Base64Url.encode(data);
    if (text.isEmpty()) {
      return;
    }
    int at = Math.floorMod(where, text.length());
    // U+0100 + c and U+0080 + c keep c in their low seven bits: a decoder that masks or
    // truncates would read the alphabet character c.
    char wide = (char) ((latin1 ? 0x80 : 0x100) + text.charAt(at));
    String altered = text.substring(0, at) + wide + text.substring(at + 1);
    assertThat(Base64Url.decode(altered)).isNull();
  }

  @Property(tries = 500)
  void decodeChars_agreesWithTheStringDecoder(
      @ForAll @StringLength(max = 14) String text, @ForAll boolean canonical) {
    // Half the texts are canonical encodings (so the bytes are compared), half arbitrary.
    String input = canonical ? Base64Url.encode(text.getBytes(StandardCharsets.UTF_8)) : text;
    char[] region = ("._" + input + ".").toCharArray();
    byte[] fromString = new byte[Math.max(0, Base64Url.decodedLength(input.length()))];
    byte[] fromChars = new byte[fromString.length];
    int expected = Base64Url.decode(input, 0, input.length(), fromString);
    assertThat(Base64Url.decode(region, 2, input.length(), fromChars)).isEqualTo(expected);
    if (expected >= 0) {
      assertThat(fromChars).isEqualTo(fromString);
    }
  }

  @Property(tries = 500)
  void decodeChars_roomyOutput_sameBytes(@ForAll @Size(max = 200) byte[] data, @ForAll int extra) {
    // With room after the decoded bytes, groups of eight characters are stored eight bytes at a
    // time; the decoded bytes must not change however much room there is.
    String text = Base64Url.encode(data);
    byte[] out = new byte[data.length + Math.floorMod(extra, 12)];
    assertThat(Base64Url.decode(("x" + text).toCharArray(), 1, text.length(), out))
        .isEqualTo(data.length);
    assertThat(Arrays.copyOf(out, data.length)).isEqualTo(data);
  }

  @Test
  void decodeChars_foreignCharacterInAnyPosition_refused() {
    // As for the string decoder, plus characters whose low byte is an alphabet character.
    for (char foreign :
        new char[] {'*', '+', '/', '=', ' ', 0x7f, 0x80 + 'A', 0x100 + 'A', 0xff41}) {
      for (int length : new int[] {2, 3, 4, 6, 7, 8, 12, 16, 19, 24}) {
        for (int i = 0; i < length; i++) {
          char[] text = ("A".repeat(i) + foreign + "A".repeat(length - i - 1)).toCharArray();
          assertThat(Base64Url.decode(text, 0, length, new byte[32]))
              .as("%s at %d of %d", (int) foreign, i, length)
              .isEqualTo(-1);
        }
      }
    }
  }

  @Test
  void decodeChars_lengthLeavingOneCharacterOrUnusedBitsSet_refused() {
    byte[] out = new byte[8];
    assertThat(Base64Url.decode("AAAAA".toCharArray(), 0, 5, out)).isEqualTo(-1);
    assertThat(Base64Url.decode("AB".toCharArray(), 0, 2, out)).isEqualTo(-1);
    assertThat(Base64Url.decode("AAB".toCharArray(), 0, 3, out)).isEqualTo(-1);
    assertThat(Base64Url.decode("AQ".toCharArray(), 0, 2, out)).isEqualTo(1);
    assertThat(Base64Url.decode("AAE".toCharArray(), 0, 3, out)).isEqualTo(2);
  }
}
