package dev.tollgate.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
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
          byte[] ascii = ("..." + text).getBytes(StandardCharsets.US_ASCII);
          assertThat(Base64Url.decode(ascii, 3, length)).as("%s", text).isNull();
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
}
