package dev.tollgate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtValidator;
import dev.tollgate.keys.RemoteJwks;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JwksServerTest {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private final TestIssuer idp = TestIssuer.create(Algorithm.ES256);
  private final JwksServer server = JwksServer.start(idp);

  @AfterEach
  void close() {
    server.close();
  }

  private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return CLIENT.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI at(String path) {
    return server.issuerUri().resolve(path);
  }

  @Test
  void javadocExample_servesAndCounts() {
    try (JwksServer server = JwksServer.start()) {
      TestIssuer idp = TestIssuer.builder().issuer(server.issuerUri().toString()).build();
      server.publish(idp);
      RemoteJwks keys = RemoteJwks.builder(server.jwksUri()).allowPlainHttpOnLoopback().build();
      JwtValidator validator =
          JwtValidator.builder()
              .algorithms(idp.algorithm())
              .issuer(idp.issuer())
              .audience(idp.audience())
              .keys(keys)
              .build();
      validator.validate(idp.validToken());
      // server.requestCount("/jwks") is 1
      assertThat(server.requestCount("/jwks")).isEqualTo(1);
    }
  }

  @Test
  void start_listensOnLoopbackWithTheJwksPath() {
    assertThat(server.jwksUri().getHost()).isEqualTo("127.0.0.1");
    assertThat(server.jwksUri().getPort()).isPositive();
    assertThat(server.jwksUri().getPath()).isEqualTo("/jwks");
    assertThat(server.issuerUri().toString()).endsWith("/").startsWith("http://127.0.0.1:");
    assertThat(server.toString()).contains("127.0.0.1");
  }

  @Test
  void jwks_servesThePublishedSetAndCountsRequests() throws Exception {
    HttpResponse<String> r = get(server.jwksUri());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(idp.jwks());
    assertThat(r.headers().firstValue("Content-Type")).contains("application/jwk-set+json");
    assertThat(get(at("/jwks/v2")).body()).isEqualTo(idp.jwks());
    assertThat(get(at("/other")).statusCode()).isEqualTo(404);

    assertThat(server.requestCount("/jwks")).isEqualTo(1);
    assertThat(server.requestCount("/jwks/v2")).isEqualTo(1);
    assertThat(server.requestCount("/other")).isEqualTo(1);
    assertThat(server.requestCount("/never")).isZero();
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void publish_rotatesTheServedSet() throws Exception {
    TestIssuer rotated = idp.rotate();
    server.publish(rotated);
    assertThat(get(server.jwksUri()).body()).isEqualTo(rotated.jwks()).contains(rotated.keyId());
    server.publish(rotated.withoutKey(idp.keyId()));
    assertThat(get(server.jwksUri()).body()).doesNotContain("\"" + idp.keyId() + "\"");
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void start_withoutIssuer_answers404UntilPublished() throws Exception {
    try (JwksServer empty = JwksServer.start()) {
      assertThat(get(empty.jwksUri()).statusCode()).isEqualTo(404);
      assertThat(get(empty.issuerUri().resolve("/.well-known/openid-configuration")).statusCode())
          .isEqualTo(404);
      empty.publish(idp);
      assertThat(get(empty.jwksUri()).statusCode()).isEqualTo(200);
      assertThat(empty.requestCount()).isEqualTo(3);
    }
  }

  @Test
  void metadata_namesTheIssuerAndTheJwksUri() throws Exception {
    for (String path :
        new String[] {
          "/.well-known/openid-configuration",
          "/tenant/.well-known/openid-configuration",
          "/.well-known/oauth-authorization-server",
          "/.well-known/oauth-authorization-server/tenant"
        }) {
      HttpResponse<String> r = get(at(path));
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.body())
          .contains("\"issuer\":\"" + idp.issuer() + "\"")
          .contains("\"jwks_uri\":\"" + server.jwksUri() + "\"");
      assertThat(server.requestCount(path)).isEqualTo(1);
    }
    server.discoveryIssuer("https://elsewhere.test/");
    assertThat(get(at("/.well-known/openid-configuration")).body())
        .contains("\"issuer\":\"https://elsewhere.test/\"");
    assertThat(server.requestCount()).isEqualTo(5);
  }

  @Test
  void outages_simulatedAndUndone() throws Exception {
    server.respondWith(500, "text/html", "<html>down</html>");
    HttpResponse<String> r = get(server.jwksUri());
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).isEqualTo("<html>down</html>");

    server.serveNormally();
    server.respondWithOversizedBody(300_000);
    assertThat(get(server.jwksUri()).body()).hasSize(300_000).startsWith("{");

    server.serveNormally();
    server.redirectTo("/jwks/v2");
    HttpResponse<String> redirected = get(server.jwksUri());
    assertThat(redirected.statusCode()).isEqualTo(302);
    assertThat(redirected.headers().firstValue("Location")).contains("/jwks/v2");

    server.serveNormally();
    server.cacheControl("max-age=60");
    assertThat(get(server.jwksUri()).headers().firstValue("Cache-Control")).contains("max-age=60");

    server.serveNormally();
    assertThat(get(server.jwksUri()).body()).isEqualTo(idp.jwks());
    assertThat(server.requestCount("/jwks")).isEqualTo(5);
  }

  @Test
  void delay_holdsTheAnswer() throws Exception {
    server.delay(Duration.ofSeconds(10));
    HttpRequest request =
        HttpRequest.newBuilder(server.jwksUri()).timeout(Duration.ofMillis(300)).build();
    assertThatThrownBy(() -> CLIENT.send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
    server.serveNormally();
    assertThat(get(server.jwksUri()).statusCode()).isEqualTo(200);
    assertThat(server.requestCount("/jwks")).isEqualTo(2);
  }

  @Test
  void refuseConnections_thenAcceptAgainOnTheSamePort() throws Exception {
    assertThat(get(server.jwksUri()).statusCode()).isEqualTo(200);
    server.refuseConnections();
    assertThatThrownBy(() -> get(server.jwksUri())).isInstanceOf(ConnectException.class);
    server.refuseConnections();
    server.acceptConnections();
    server.acceptConnections();
    assertThat(get(server.jwksUri()).statusCode()).isEqualTo(200);
    assertThat(server.requestCount("/jwks")).isEqualTo(2);
  }

  @Test
  void close_isIdempotentAndFinal() throws Exception {
    server.close();
    server.close();
    assertThatThrownBy(() -> get(server.jwksUri())).isInstanceOf(ConnectException.class);
    assertThatThrownBy(server::acceptConnections).isInstanceOf(IllegalStateException.class);
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void arguments_checked() {
    assertThatThrownBy(() -> JwksServer.start(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> server.publish(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("issuer");
    assertThatThrownBy(() -> server.respondWith(200, null, ""))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("contentType");
    assertThatThrownBy(() -> server.respondWith(200, "a/b", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("body");
    assertThatThrownBy(() -> server.respondWith(99, "a/b", ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> server.respondWithOversizedBody(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> server.redirectTo(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> server.cacheControl(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> server.discoveryIssuer(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> server.delay(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> server.delay(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> server.requestCount(null)).isInstanceOf(NullPointerException.class);
    assertThat(server.requestCount()).isZero();
  }
}
