package dev.tollgate.benchmarks;

import java.util.Base64;

/** Unpadded base64url, for the benchmarks' own setup (Tollgate's codec is internal). */
final class Base64Url {
  private Base64Url() {}

  static byte[] decode(String text) {
    return Base64.getUrlDecoder().decode(text);
  }

  static String encode(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
