package dev.tollgate.servlet;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** The bits of HTTP and RFC 6750 syntax the filter reads and writes; no allocation on success. */
final class HttpSyntax {
  /** The form and query parameter of RFC 6750 §2.2 and §2.3. */
  static final String ACCESS_TOKEN = "access_token";

  private static final boolean[] TCHAR = new boolean[128];
  private static final boolean[] B64TOKEN = new boolean[128];

  static {
    for (char c = '0'; c <= '9'; c++) {
      TCHAR[c] = true;
      B64TOKEN[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      TCHAR[c] = true;
      B64TOKEN[c] = true;
      TCHAR[Character.toUpperCase(c)] = true;
      B64TOKEN[Character.toUpperCase(c)] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TCHAR[c] = true;
    }
    for (char c : "-._~+/".toCharArray()) {
      B64TOKEN[c] = true;
    }
  }

  private HttpSyntax() {}

  /**
   * Reads the credentials of an {@code Authorization} header value (RFC 6750 §2.1: {@code "Bearer"
   * 1*SP b64token}, the scheme in any case). Trailing spaces are ignored.
   *
   * @return the token; {@code ""} if the header names another scheme; {@code null} if the value is
   *     malformed (no scheme, {@code Bearer} without a token, more than one token, characters
   *     outside b64token)
   */
  static @Nullable String bearerToken(String value) {
    int end = value.length();
    while (end > 0 && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\t')) {
      end--;
    }
    int i = 0;
    while (i < end && isTchar(value.charAt(i))) {
      i++;
    }
    if (i == 0) {
      return null;
    }
    if (i != 6 || !value.regionMatches(true, 0, "Bearer", 0, 6)) {
      return "";
    }
    if (i == end || value.charAt(i) != ' ') {
      return null;
    }
    while (i < end && value.charAt(i) == ' ') {
      i++;
    }
    int start = i;
    while (i < end && isB64Char(value.charAt(i))) {
      i++;
    }
    if (i == start) {
      return null;
    }
    while (i < end && value.charAt(i) == '=') {
      i++;
    }
    return i == end ? value.substring(start, end) : null;
  }

  /** Tells whether a whole string is a b64token (RFC 6750 §2.1): the shape of a bearer token. */
  static boolean isB64Token(String s) {
    int n = s.length();
    int i = 0;
    while (i < n && isB64Char(s.charAt(i))) {
      i++;
    }
    if (i == 0) {
      return false;
    }
    while (i < n && s.charAt(i) == '=') {
      i++;
    }
    return i == n;
  }

  /**
   * Tells whether a string is an HTTP token (RFC 9110 §5.6.2): methods, header and cookie names.
   */
  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isTchar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Tells whether a string may stand between the quotes of a challenge parameter as RFC 6750 §3
   * allows for {@code error_description} and {@code scope}: printable ASCII without {@code "} and
   * {@code \}.
   */
  static boolean isQuotable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /**
   * Tells whether a scope token fits RFC 6749 §3.3 ({@code 1*NQCHAR}: printable ASCII without
   * space, {@code "} and {@code \}).
   */
  static boolean isScopeToken(String s) {
    return !s.isEmpty() && s.indexOf(' ') < 0 && isQuotable(s);
  }

  /**
   * Tells whether a raw query string has an {@code access_token} parameter (RFC 6750 §2.3), also
   * when its name is percent-encoded; {@code &} and {@code ;} both separate parameters.
   */
  static boolean queryHasAccessToken(@Nullable String query) {
    if (query == null || (query.indexOf(ACCESS_TOKEN) < 0 && query.indexOf('%') < 0)) {
      return false;
    }
    int n = query.length();
    int start = 0;
    while (start <= n) {
      int end = start;
      while (end < n && query.charAt(end) != '&' && query.charAt(end) != ';') {
        end++;
      }
      int nameEnd = start;
      while (nameEnd < end && query.charAt(nameEnd) != '=') {
        nameEnd++;
      }
      if (isAccessTokenName(query, start, nameEnd)) {
        return true;
      }
      start = end + 1;
    }
    return false;
  }

  private static boolean isAccessTokenName(String query, int start, int end) {
    int length = end - start;
    if (length == ACCESS_TOKEN.length()) {
      return query.startsWith(ACCESS_TOKEN, start);
    }
    if (length < ACCESS_TOKEN.length()) {
      return false;
    }
    int percent = query.indexOf('%', start);
    if (percent < 0 || percent >= end) {
      return false;
    }
    // Rare: a percent-encoded name, which containers decode before the application sees it.
    try {
      return URLDecoder.decode(query.substring(start, end), StandardCharsets.UTF_8)
          .equals(ACCESS_TOKEN);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean isTchar(char c) {
    return c < 128 && TCHAR[c];
  }

  private static boolean isB64Char(char c) {
    return c < 128 && B64TOKEN[c];
  }
}
