package dev.tollgate.keys;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Which URIs a {@link RemoteJwks} may read: HTTPS, or plain HTTP to a loopback address. */
final class UriRules {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private UriRules() {}

  /**
   * Checks the form of a URI to read keys or metadata from.
   *
   * @return null if it is acceptable, otherwise why not
   */
  static @Nullable String problem(URI uri, boolean allowPlainHttpOnLoopback) {
    if (!uri.isAbsolute() || uri.isOpaque()) {
      return "must be an absolute https URI";
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      return "must use https";
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      return "has no host";
    }
    if (uri.getRawUserInfo() != null) {
      return "must not hold credentials";
    }
    if (uri.getRawFragment() != null) {
      return "must not have a fragment";
    }
    if (scheme.equals("http")) {
      if (!isLoopback(host)) {
        return "uses plain http to a host that is not loopback; use https";
      }
      if (!allowPlainHttpOnLoopback) {
        return "uses plain http; use https, or allowPlainHttpOnLoopback() for a test server";
      }
    }
    return null;
  }

  /**
   * Tells whether a host is a loopback address: {@code localhost} or a literal loopback IP. Names
   * other than {@code localhost} are not resolved.
   */
  static boolean isLoopback(String host) {
    String h = host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (!IPV4.matcher(h).matches() && h.indexOf(':') < 0) {
      return false;
    }
    try {
      // A literal address is parsed, never looked up.
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException | SecurityException e) {
      return false;
    }
  }

  /** Tells whether a redirect stays on the same scheme, host and port. */
  static boolean sameOrigin(URI from, URI to) {
    if (from.getScheme() == null || to.getScheme() == null) {
      return false;
    }
    String fromHost = from.getHost();
    String toHost = to.getHost();
    return from.getScheme().equalsIgnoreCase(to.getScheme())
        && fromHost != null
        && toHost != null
        && fromHost.equalsIgnoreCase(toHost)
        && port(from) == port(to)
        && to.getRawUserInfo() == null;
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  /**
   * Returns where OpenID Connect Discovery 1.0 (§4) publishes an issuer's metadata: the issuer
   * without a trailing slash, then {@code /.well-known/openid-configuration}.
   */
  static URI openIdConfiguration(URI issuer) {
    String base = issuer.toString();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + "/.well-known/openid-configuration");
  }

  /**
   * Returns where RFC 8414 (§3.1) publishes an issuer's metadata: {@code
   * /.well-known/oauth-authorization-server} inserted between the host and the issuer's path, whose
   * terminating slash is removed.
   */
  static URI oauthAuthorizationServer(URI issuer) {
    String path = issuer.getRawPath() == null ? "" : issuer.getRawPath();
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return URI.create(
        issuer.getScheme()
            + "://"
            + issuer.getRawAuthority()
            + "/.well-known/oauth-authorization-server"
            + path);
  }
}
