package dev.tollgate.internal;

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
   * Decodes {@code length} characters of {@code src} from {@code offset}.
   *
   * @param src ASCII bytes
   * @param offset where the encoded text starts
   * @param length how many characters it has
   * @return the decoded bytes, or {@code null} when the text is not canonical base64url
   */
  public static byte @Nullable [] decode(byte[] src, int offset, int length) {
    int rem = length & 3;
    if (rem == 1) {
      return null;
    }
    int full = length >> 2;
    int outLen = full * 3 + (rem == 0 ? 0 : rem - 1);
    byte[] out = new byte[outLen];
    int s = offset;
    int d = 0;
    for (int i = 0; i < full; i++) {
      int a = DECODE[src[s] & 0xff];
      int b = DECODE[src[s + 1] & 0xff];
      int c = DECODE[src[s + 2] & 0xff];
      int e = DECODE[src[s + 3] & 0xff];
      if ((a | b | c | e) < 0) {
        return null;
      }
      int bits = (a << 18) | (b << 12) | (c << 6) | e;
      out[d] = (byte) (bits >> 16);
      out[d + 1] = (byte) (bits >> 8);
      out[d + 2] = (byte) bits;
      s += 4;
      d += 3;
    }
    if (rem == 2) {
      int a = DECODE[src[s] & 0xff];
      int b = DECODE[src[s + 1] & 0xff];
      if ((a | b) < 0 || (b & 0x0f) != 0) {
        return null;
      }
      out[d] = (byte) ((a << 2) | (b >> 4));
    } else if (rem == 3) {
      int a = DECODE[src[s] & 0xff];
      int b = DECODE[src[s + 1] & 0xff];
      int c = DECODE[src[s + 2] & 0xff];
      if ((a | b | c) < 0 || (c & 0x03) != 0) {
        return null;
      }
      int bits = (a << 10) | (b << 4) | (c >> 2);
      out[d] = (byte) (bits >> 8);
      out[d + 1] = (byte) bits;
    }
    return out;
  }

  /**
   * Decodes a whole string.
   *
   * @param text base64url text
   * @return the decoded bytes, or {@code null} when the text is not canonical base64url
   */
  public static byte @Nullable [] decode(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) > 0x7f) {
        return null;
      }
    }
    byte[] ascii = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return decode(ascii, 0, ascii.length);
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
