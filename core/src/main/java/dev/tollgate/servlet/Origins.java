package dev.tollgate.servlet;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Web origins (RFC 6454) as browsers serialise them in the {@code Origin} header: {@code
 * scheme://host} plus {@code :port} when it is not the scheme's default, in lowercase.
 */
final class Origins {
  private Origins() {}

  /**
   * Normalises a configured origin.
   *
   * @throws IllegalArgumentException if it is not an absolute {@code http} or {@code https} URI
   *     with an ASCII host and nothing after the port (a single {@code /} is tolerated)
   */
  static String normalize(String origin) {
    Objects.requireNonNull(origin, "origin");
    String result = originOf(origin, true);
    if (result == null) {
      throw new IllegalArgumentException(
          "an origin is scheme://host[:port] with scheme http or https, nothing else: " + origin);
    }
    return result;
  }

  /**
   * Returns the origin of a {@code Referer} value, or {@code null} if it has none (unparsable, not
   * {@code http}/{@code https}).
   */
  static @Nullable String ofReferer(String referer) {
    return originOf(referer, false);
  }

  private static @Nullable String originOf(String text, boolean originOnly) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return null;
      }
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      return null;
    }
    String scheme = uri.getScheme();
    String host = uri.getHost();
    if (scheme == null || host == null || uri.getRawUserInfo() != null) {
      return null;
    }
    scheme = scheme.toLowerCase(Locale.ROOT);
    int defaultPort;
    if (scheme.equals("https")) {
      defaultPort = 443;
    } else if (scheme.equals("http")) {
      defaultPort = 80;
    } else {
      return null;
    }
    if (originOnly) {
      String path = uri.getRawPath();
      if ((path != null && !path.isEmpty() && !path.equals("/"))
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        return null;
      }
    }
    int port = uri.getPort();
    String origin = scheme + "://" + host.toLowerCase(Locale.ROOT);
    return port < 0 || port == defaultPort ? origin : origin + ":" + port;
  }
}
