package dev.tollgate.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.jspecify.annotations.Nullable;

/**
 * Strict base64url (RFC 4648 §5) without padding, as JWS requires (RFC 7515 §2).
 *
 * <p>Decoding refuses anything but the 64 alphabet characters, {@code =} padding, a length that
 * leaves a single trailing character, and non-zero unused bits in the last character, so every byte
 * string has exactly one accepted encoding (no signature malleability).
 */
public final class Base64Url {
  private static final byte[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] DECODE = new byte[256];

  static {
    java.util.Arrays.fill(DECODE, (byte) -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      DECODE[ALPHABET[i]] = (byte) i;
    }
  }

  private Base64Url() {}

  /**
   * Tables for {@link #decode(String, int, int, byte[])}: each alphabet character's six bits
   * already shifted to their place in a four-character group; -1 (all bits set) for anything else,
   * so the OR of a group's four entries is negative exactly when one character is not in the
   * alphabet.
   */
  private static final int[] SHIFT18 = shiftedTable(18);

  private static final int[] SHIFT12 = shiftedTable(12);
  private static final int[] SHIFT6 = shiftedTable(6);
  private static final int[] SHIFT0 = shiftedTable(0);

  private static int[] shiftedTable(int shift) {
    int[] table = new int[256];
    for (int c = 0; c < 256; c++) {
      table[c] = DECODE[c] < 0 ? -1 : DECODE[c] << shift;
    }
    return table;
  }

  /**
   * Returns how many bytes {@code length} base64url characters decode to.
   *
   * @param length the number of characters
   * @return the number of bytes, or -1 when no canonical text has that length
   */
  public static int decodedLength(int length) {
    int rem = length & 3;
    if (rem == 1 || length < 0) {
      return -1;
    }
    return (length >> 2) * 3 + (rem == 0 ? 0 : rem - 1);
  }

  /**
   * Decodes {@code length} characters of {@code src} from {@code offset} into the start of {@code
   * out}, without allocating. The text must be canonical base64url (no padding, no unused bits
   * set); any character outside the alphabet (including every character above U+007F) makes it
   * invalid. On failure the contents of {@code out} are unspecified.
   *
   * @param src the text
   * @param offset where the encoded text starts
   * @param length how many characters it has
   * @param out where the bytes go; at least {@link #decodedLength(int)} long
   * @return the number of bytes written, or -1 when the text is not canonical base64url
   */
  public static int decode(String src, int offset, int length, byte[] out) {
    int outLen = decodedLength(length);
    if (outLen < 0) {
      return -1;
    }
    int full = length >> 2;
    // Negative once any character is outside the alphabet: a table entry of -1, or a character
    // above 0x7f (checked on the OR of the group, so one branch per text instead of per group).
    int bad = 0;
    int s = offset;
    int d = 0;
    for (int i = 0; i < full; i++) {
      char a = src.charAt(s);
      char b = src.charAt(s + 1);
      char c = src.charAt(s + 2);
      char e = src.charAt(s + 3);
      int wide = a | b | c | e;
      int bits = SHIFT18[a & 0x7f] | SHIFT12[b & 0x7f] | SHIFT6[c & 0x7f] | SHIFT0[e & 0x7f];
      bad |= bits | (0x7f - wide);
      out[d] = (byte) (bits >> 16);
      out[d + 1] = (byte) (bits >> 8);
      out[d + 2] = (byte) bits;
      s += 4;
      d += 3;
    }
    if (bad < 0) {
      return -1;
    }
    int rem = length & 3;
    if (rem != 0) {
      char a = src.charAt(s);
      char b = src.charAt(s + 1);
      char c = rem == 3 ? src.charAt(s + 2) : 'A';
      if ((a | b | c) > 0x7f) {
        return -1;
      }
      int bits = SHIFT18[a] | SHIFT12[b] | SHIFT6[c];
      // The unused low bits of the last character must be zero (one canonical encoding).
      int unused = rem == 2 ? 0xffff : 0xff;
      if (bits < 0 || (bits & unused) != 0) {
        return -1;
      }
      out[d] = (byte) (bits >> 16);
      if (rem == 3) {
        out[d + 1] = (byte) (bits >> 8);
      }
    }
    return outLen;
  }

  /** Writes six decoded bytes (and two that the next group overwrites) in one store. */
  private static final VarHandle BIG_ENDIAN_LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /**
   * Decodes {@code length} characters of {@code src} from {@code offset} into the start of {@code
   * out}, without allocating; otherwise like {@link #decode(String, int, int, byte[])} (and faster:
   * an array has no per-character encoding check, and while {@code out} has room, eight characters
   * become six bytes in one eight-byte store). Bytes of {@code out} after the decoded ones may
   * change.
   *
   * @param src the text
   * @param offset where the encoded text starts
   * @param length how many characters it has
   * @param out where the bytes go; at least {@link #decodedLength(int)} long
   * @return the number of bytes written, or -1 when the text is not canonical base64url
   */
  public static int decode(char[] src, int offset, int length, byte[] out) {
    int outLen = decodedLength(length);
    if (outLen < 0) {
      return -1;
    }
    // Negative once any character is outside the alphabet: a table entry of -1, or a character
    // above 0x7f (checked on the OR of the group, so one branch per text instead of per group).
    int bad = 0;
    // Eight characters at a time while the eight-byte store stays inside out. Counting the groups
    // first makes a counted loop, which the compiler unrolls and strips of its bounds checks (a
    // loop with two exit tests is neither: 25 % slower, JMH).
    int groups = Math.min(length >> 3, out.length < 8 ? 0 : (out.length - 8) / 6 + 1);
    for (int k = 0; k < groups; k++) {
      int s = offset + 8 * k;
      char c0 = src[s];
      char c1 = src[s + 1];
      char c2 = src[s + 2];
      char c3 = src[s + 3];
      char c4 = src[s + 4];
      char c5 = src[s + 5];
      char c6 = src[s + 6];
      char c7 = src[s + 7];
      int high = SHIFT18[c0 & 0xff] | SHIFT12[c1 & 0xff] | SHIFT6[c2 & 0xff] | SHIFT0[c3 & 0xff];
      int low = SHIFT18[c4 & 0xff] | SHIFT12[c5 & 0xff] | SHIFT6[c6 & 0xff] | SHIFT0[c7 & 0xff];
      bad |= high | low | (0x7f - (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7));
      // A negative group sets bad; its bits here do not matter then.
      BIG_ENDIAN_LONGS.set(out, 6 * k, (((long) high << 24) | low) << 16);
    }
    int s = offset + 8 * groups;
    int d = 6 * groups;
    int fullEnd = offset + (length & ~3);
    for (; s < fullEnd; s += 4, d += 3) {
      char a = src[s];
      char b = src[s + 1];
      char c = src[s + 2];
      char e = src[s + 3];
      int bits = SHIFT18[a & 0xff] | SHIFT12[b & 0xff] | SHIFT6[c & 0xff] | SHIFT0[e & 0xff];
      bad |= bits | (0x7f - (a | b | c | e));
      out[d] = (byte) (bits >> 16);
      out[d + 1] = (byte) (bits >> 8);
      out[d + 2] = (byte) bits;
    }
    if (bad < 0) {
      return -1;
    }
    int rem = length & 3;
    if (rem != 0) {
      char a = src[s];
      char b = src[s + 1];
      char c = rem == 3 ? src[s + 2] : 'A';
      if ((a | b | c) > 0x7f) {
        return -1;
      }
      int bits = SHIFT18[a] | SHIFT12[b] | SHIFT6[c];
      // The unused low bits of the last character must be zero (one canonical encoding).
      int unused = rem == 2 ? 0xffff : 0xff;
      if (bits < 0 || (bits & unused) != 0) {
        return -1;
      }
      out[d] = (byte) (bits >> 16);
      if (rem == 3) {
        out[d + 1] = (byte) (bits >> 8);
      }
    }
    return outLen;
  }

  /**
   * Decodes a whole string.
   *
   * @param text base64url text
   * @return the decoded bytes, or {@code null} when the text is not canonical base64url
   */
  public static byte @Nullable [] decode(String text) {
    int length = decodedLength(text.length());
    if (length < 0) {
      return null;
    }
    byte[] out = new byte[length];
    return decode(text, 0, text.length(), out) < 0 ? null : out;
  }

  /**
   * Encodes bytes without padding.
   *
   * @param data the bytes
   * @return base64url text
   */
  public static String encode(byte[] data) {
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(data);
  }
}
