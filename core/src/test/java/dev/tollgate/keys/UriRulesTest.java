package dev.tollgate.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UriRulesTest {
  @ParameterizedTest
  @CsvSource({
    "https://idp.example.com, https://idp.example.com/.well-known/openid-configuration",
    "https://idp.example.com/, https://idp.example.com/.well-known/openid-configuration",
    "https://idp.example.com/tenant, https://idp.example.com/tenant/.well-known/openid-configuration",
    "https://idp.example.com/tenant/, https://idp.example.com/tenant/.well-known/openid-configuration",
    "https://idp.example.com:8443/a/b, https://idp.example.com:8443/a/b/.well-known/openid-configuration"
  })
  void openIdConfiguration_appendsTheWellKnownPath(String issuer, String expected) {
    assertThat(UriRules.openIdConfiguration(URI.create(issuer))).hasToString(expected);
  }

  // RFC 8414 §3.1: inserted between the host and the path, whose terminating "/" is removed.
  @ParameterizedTest
  @CsvSource({
    "https://idp.example.com, https://idp.example.com/.well-known/oauth-authorization-server",
    "https://idp.example.com/, https://idp.example.com/.well-known/oauth-authorization-server",
    "https://idp.example.com/issuer1, https://idp.example.com/.well-known/oauth-authorization-server/issuer1",
    "https://idp.example.com/issuer1/, https://idp.example.com/.well-known/oauth-authorization-server/issuer1",
    "https://idp.example.com:8443/a/b, https://idp.example.com:8443/.well-known/oauth-authorization-server/a/b"
  })
  void oauthAuthorizationServer_insertsTheWellKnownPathBeforeTheIssuerPath(
      String issuer, String expected) {
    assertThat(UriRules.oauthAuthorizationServer(URI.create(issuer))).hasToString(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "[::1]", "::1"})
  void isLoopback_literalLoopbackAddresses(String host) {
    assertThat(UriRules.isLoopback(host)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "idp.example.com",
        "10.0.0.1",
        "127.0.0.1.nip.io",
        "localhost.example",
        "[::2]",
        // Shorthands the JDK would read as 127.0.0.1: only the four-part form is an IPv4 host.
        "127.1",
        "2130706433",
        "::g",
        "[::1"
      })
  void isLoopback_anythingElse_false(String host) {
    assertThat(UriRules.isLoopback(host)).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "https://a.example/x, https://a.example/y, true",
    "https://a.example/x, https://A.EXAMPLE:443/y, true",
    "https://a.example/x, http://a.example/y, false",
    "https://a.example/x, https://b.example/y, false",
    "https://a.example/x, https://a.example:8443/y, false",
    "https://a.example/x, https://u@a.example/y, false",
    "http://127.0.0.1:80/x, http://localhost:80/x, false",
    "https://a.example/x, /y, false",
    "/x, https://a.example/y, false",
    "https://a.example/x, https:/y, false",
    "https:/x, https://a.example/y, false",
    "https://a.example:0/x, https://a.example/y, false",
    "http://a.example/x, http://a.example:443/y, false",
    "http://a.example/x, http://a.example:80/y, true",
    "http://a.example/x, HTTP://a.example/y, true"
  })
  void sameOrigin_comparesSchemeHostAndPort(String from, String to, boolean same) {
    assertThat(UriRules.sameOrigin(URI.create(from), URI.create(to))).isEqualTo(same);
  }

  @ParameterizedTest
  @CsvSource({
    "max-age=60, 60",
    "'public, max-age=600, must-revalidate', 600",
    "MAX-AGE=\"30\", 30",
    "no-store, 0",
    "'max-age=60, no-cache', 0",
    "max-age=abc, -1",
    "private, -1",
    "max-age=99999999999999, -1",
    "max-age=999999999999, 999999999999",
    "max-age=0, 0",
    "max-age=9, 9",
    "max-age=, -1",
    "max-age=+5, -1",
    "max-age= 5, -1",
    "max-age=60\", -1",
    "max-age=\"60, -1",
    "max-age=\", -1",
    "max-age=\"\", -1",
    "'no-cache, max-age=60', 0",
    "'max-age=60, private', 60",
    "'max-age=60, max-age=30', 30",
    "'max-age=30, max-age=60', 30",
    "'max-age=30, max-age=30', 30"
  })
  void maxAgeSeconds_readsCacheControl(String header, long expected) {
    java.net.http.HttpHeaders headers =
        java.net.http.HttpHeaders.of(
            java.util.Map.of("Cache-Control", java.util.List.of(header)), (a, b) -> true);
    assertThat(RemoteJwks.maxAgeSeconds(headers)).isEqualTo(expected);
  }

  @Test
  void maxAgeSeconds_severalHeaders_smallestWins() {
    java.net.http.HttpHeaders headers =
        java.net.http.HttpHeaders.of(
            java.util.Map.of("Cache-Control", java.util.List.of("max-age=600", "max-age=60")),
            (a, b) -> true);
    assertThat(RemoteJwks.maxAgeSeconds(headers)).isEqualTo(60);
    java.net.http.HttpHeaders none =
        java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true);
    assertThat(RemoteJwks.maxAgeSeconds(none)).isEqualTo(-1);
  }
}
