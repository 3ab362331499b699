package dev.tollgate.servlet;

import static dev.tollgate.servlet.TestApp.APP_ORIGIN;
import static dev.tollgate.servlet.TestApp.CSRF_COOKIE;
import static dev.tollgate.servlet.TestApp.CSRF_HEADER;
import static dev.tollgate.servlet.TestApp.ISSUER;
import static dev.tollgate.servlet.TestApp.RSA_ISSUER;
import static dev.tollgate.servlet.TestApp.TOKEN_COOKIE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.Reason;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The filter's HTTP behaviour, seen by a real client through a real container: each subclass starts
 * one container (once per class) with {@link TestApp} on a plain-HTTP and an HTTPS connector, and
 * every scenario here runs against it.
 *
 * <p>Every call checks that no byte of the response, headers or body, contains a token the call
 * sent, and that every refusal has {@code Cache-Control: no-store}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ContainerScenarios {
  private static final String CATALOG_READ = "catalog:read";
  private static final String CATALOG_WRITE = "catalog:write";

  /** A running container. */
  interface Running {
    int httpPort();

    int httpsPort();

    void stop() throws Exception;
  }

  private Running server;
  private HttpClient client;

  /**
   * Starts the container with the application on 127.0.0.1: plain HTTP on one port, HTTPS with the
   * given keystore on another.
   */
  abstract Running start(TestApp app, SelfSignedTls tls) throws Exception;

  /** How this container's test maps the echo servlet ({@code "/"} or {@code "/*"}). */
  abstract String servletMapping();

  @BeforeAll
  void startContainer() throws Exception {
    SelfSignedTls tls = SelfSignedTls.get();
    server = start(new TestApp(servletMapping()), tls);
    client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(tls.clientContext)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @AfterAll
  void stopContainer() throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Tokens and scopes

  @Test
  void noToken_401WithBareChallenge() throws Exception {
    Reply r = call("GET", "/api/catalog/1").send();

    assertThat(r.status).isEqualTo(401);
    assertThat(r.challenge()).isEqualTo("Bearer realm=\"catalog\"");
    assertThat(r.body).isEmpty();
  }

  @Test
  void validToken_passesWithSubjectAsPrincipalAndScopesAsRoles() throws Exception {
    String token = ISSUER.token().scope(CATALOG_READ).sign();

    Reply r = call("GET", "/api/catalog/1").bearer(token).send();

    assertThat(r.status).isEqualTo(200);
    assertThat(r.body).isEqualTo("ok GET user=user-123 authType=Bearer reader=true jwt=user-123");
    assertThat(r.header("WWW-Authenticate")).isNull();
  }

  @Test
  void headRequest_isCoveredByTheGetRule() throws Exception {
    String token = ISSUER.token().scope(CATALOG_READ).sign();

    assertThat(call("HEAD", "/api/catalog/1").bearer(token).send().status).isEqualTo(200);
  }

  @Test
  void schemeInAnyCase_andSeveralSpaces_areAccepted() throws Exception {
    String token = ISSUER.token().scope(CATALOG_READ).sign();

    Reply r = call("GET", "/api/catalog/1").header("Authorization", "bEaReR   " + token).send();

    assertThat(r.status).isEqualTo(200);
  }

  Stream<Arguments> refusedTokens() {
    Instant now = Instant.now();
    return Stream.of(
        Arguments.of(Reason.MALFORMED, "/api/me", "bm90.YS5qd3Q.c2ln"),
        Arguments.of(Reason.TOO_LARGE, "/api/me", ISSUER.oversizedToken(3000)),
        Arguments.of(Reason.ALGORITHM_NOT_ALLOWED, "/api/me", ISSUER.unsignedToken()),
        Arguments.of(Reason.TYPE_MISMATCH, "/api/me", ISSUER.wrongTypeToken()),
        Arguments.of(Reason.UNSUPPORTED_CRITICAL_HEADER, "/api/me", ISSUER.critToken()),
        Arguments.of(Reason.KEY_NOT_FOUND, "/api/me", ISSUER.token().keyId("unknown").sign()),
        Arguments.of(Reason.WEAK_KEY, "/weak/x", RSA_ISSUER.validToken()),
        Arguments.of(Reason.BAD_SIGNATURE, "/api/me", ISSUER.alteredSignatureToken()),
        Arguments.of(Reason.EXPIRED, "/api/me", ISSUER.expiredToken()),
        Arguments.of(Reason.NOT_YET_VALID, "/api/me", ISSUER.notYetValidToken()),
        Arguments.of(
            Reason.TOO_OLD, "/api/me", ISSUER.token().issuedAt(now.minusSeconds(7200)).sign()),
        Arguments.of(Reason.ISSUER_MISMATCH, "/api/me", ISSUER.wrongIssuerToken()),
        Arguments.of(Reason.AUDIENCE_MISMATCH, "/api/me", ISSUER.wrongAudienceToken()),
        Arguments.of(Reason.MISSING_CLAIM, "/api/me", ISSUER.tokenWithout("exp")),
        Arguments.of(
            Reason.CLAIM_INVALID, "/api/me", ISSUER.token().claim("exp", "tomorrow").sign()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedTokens")
  void refusedToken_401InvalidTokenWithTheReasonsDescription(
      Reason reason, String path, String token) throws Exception {
    Reply r = call("GET", path).bearer(token).send();

    assertThat(r.status).isEqualTo(401);
    String realm = path.startsWith("/api/") ? "catalog" : "api";
    assertThat(r.challenge())
        .isEqualTo(
            "Bearer realm=\""
                + realm
                + "\", error=\"invalid_token\", error_description=\""
                + reason.description()
                + "\"");
    assertThat(r.body)
        .isEqualTo(
            "{\"error\":\"invalid_token\",\"error_description\":\"" + reason.description() + "\"}");
    assertThat(r.header("Content-Type")).startsWith("application/json");
  }

  @Test
  void everyReasonButKeysUnavailable_isCoveredByAScenario() {
    List<Reason> covered = new ArrayList<>();
    refusedTokens().forEach(a -> covered.add((Reason) a.get()[0]));
    covered.add(Reason.KEYS_UNAVAILABLE); // keySourceDown_503WithRetryAfter
    assertThat(covered).containsExactlyInAnyOrder(Reason.values());
  }

  @Test
  void keySourceDown_503WithRetryAfter() throws Exception {
    Reply r = call("GET", "/down/x").bearer(ISSUER.validToken()).send();

    assertThat(r.status).isEqualTo(503);
    assertThat(r.header("Retry-After")).isEqualTo("7");
    assertThat(r.header("WWW-Authenticate")).isNull();
    assertThat(r.body)
        .isEqualTo(
            "{\"error\":\"temporarily_unavailable\","
                + "\"error_description\":\"the trusted keys are unavailable\"}");
  }

  @Test
  void readScope_allowsGet_butPutNeedsTheWriteScope() throws Exception {
    String reader = ISSUER.token().scope(CATALOG_READ).sign();

    assertThat(call("GET", "/api/catalog/42").bearer(reader).send().status).isEqualTo(200);
    Reply put = call("PUT", "/api/catalog/42").bearer(reader).send();

    assertThat(put.status).isEqualTo(403);
    assertThat(put.challenge())
        .isEqualTo(
            "Bearer realm=\"catalog\", error=\"insufficient_scope\", error_description=\"the token"
                + " lacks a scope this request requires\", scope=\"catalog:write\"");
    assertThat(put.body).contains("\"scope\":\"catalog:write\"");

    String writer = ISSUER.token().scope(CATALOG_READ, CATALOG_WRITE).sign();
    assertThat(call("PUT", "/api/catalog/42").bearer(writer).send().status).isEqualTo(200);
  }

  @Test
  void publicPath_passesWithoutToken_evenOverPlainHttp() throws Exception {
    assertThat(call("GET", "/api/health").send().status).isEqualTo(200);
    Reply r = call("GET", "/api/health").plainHttp().send();

    assertThat(r.status).isEqualTo(200);
    assertThat(r.body).isEqualTo("ok GET user=- authType=null reader=false jwt=none");
  }

  @Test
  void unmatchedPath_401WithoutToken_403WithAValidOne() throws Exception {
    assertThat(call("GET", "/api/admin").send().status).isEqualTo(401);
    Reply r = call("DELETE", "/api/catalog/1").bearer(ISSUER.validToken()).send();

    assertThat(r.status).isEqualTo(403);
    assertThat(r.header("WWW-Authenticate")).isNull();
    assertThat(r.body)
        .isEqualTo(
            "{\"error\":\"access_denied\",\"error_description\":\"no rule allows this request\"}");
  }

  // ---------------------------------------------------------------------------------------------
  // Where the token is

  @Test
  void tokenInQuery_400InvalidRequest_evenWithAHeaderToken() throws Exception {
    String token = ISSUER.token().scope(CATALOG_READ).sign();

    Reply alone = call("GET", "/api/catalog/1?access_token=" + token).secret(token).send();
    Reply withHeader =
        call("GET", "/api/catalog/1?x=1&access_token=" + token).secret(token).bearer(token).send();
    Reply encodedName = call("GET", "/api/catalog/1?%61ccess_token=" + token).secret(token).send();

    for (Reply r : List.of(alone, withHeader, encodedName)) {
      assertThat(r.status).isEqualTo(400);
      assertThat(r.challenge())
          .isEqualTo(
              "Bearer realm=\"catalog\", error=\"invalid_request\", error_description=\"a token"
                  + " must not be sent in the URL query\"");
    }
  }

  @Test
  void otherQueryParameters_areFine() throws Exception {
    String token = ISSUER.token().scope(CATALOG_READ).sign();

    assertThat(call("GET", "/api/catalog/1?token_type=x&q=access").bearer(token).send().status)
        .isEqualTo(200);
  }

  @Test
  void tokenInHeaderAndCookie_400InvalidRequest() throws Exception {
    String token = ISSUER.validToken();

    Reply r = call("GET", "/web/x").bearer(token).cookie(TOKEN_COOKIE, token).send();

    assertThat(r.status).isEqualTo(400);
    assertThat(r.challenge())
        .isEqualTo(
            "Bearer realm=\"api\", error=\"invalid_request\", error_description=\"the request"
                + " carries more than one token\"");
  }

  @Test
  void twoTokenCookies_400InvalidRequest() throws Exception {
    String token = ISSUER.validToken();

    Reply r =
        call("GET", "/web/x")
            .secret(token)
            .header("Cookie", TOKEN_COOKIE + "=" + token + "; " + TOKEN_COOKIE + "=" + token)
            .send();

    assertThat(r.status).isEqualTo(400);
  }

  @Test
  void malformedAuthorization_400InvalidRequest() throws Exception {
    String token = ISSUER.validToken();
    List<Reply> replies =
        List.of(
            call("GET", "/api/me").header("Authorization", "Bearer").send(),
            call("GET", "/api/me")
                .secret(token)
                .header("Authorization", "Bearer " + token + " x")
                .send(),
            call("GET", "/api/me")
                .secret(token)
                .header("Authorization", "Bearer a," + token)
                .send(),
            call("GET", "/api/me")
                .secret(token)
                .header("Authorization", "Bearer " + token)
                .header("Authorization", "Bearer " + token)
                .send());

    for (Reply r : replies) {
      assertThat(r.status).isEqualTo(400);
      assertThat(r.challenge())
          .isEqualTo(
              "Bearer realm=\"catalog\", error=\"invalid_request\", error_description=\"the"
                  + " Authorization header is malformed\"");
    }
  }

  @Test
  void otherScheme_401WithBareChallenge() throws Exception {
    Reply r = call("GET", "/api/me").header("Authorization", "Basic dXNlcjpwYXNz").send();

    assertThat(r.status).isEqualTo(401);
    assertThat(r.challenge()).isEqualTo("Bearer realm=\"catalog\"");
  }

  @Test
  void formBodyToken_acceptedWhenEnabled_refusedWithASecondToken() throws Exception {
    String token = ISSUER.validToken();

    Reply form = call("POST", "/web/x").form("a=1&access_token=" + token).secret(token).send();
    Reply formAndCookie =
        call("POST", "/web/x")
            .form("access_token=" + token)
            .cookie(TOKEN_COOKIE, token)
            .header("Origin", APP_ORIGIN)
            .send();
    Reply formNotEnabled =
        call("POST", "/api/me").form("access_token=" + token).secret(token).send();

    assertThat(form.status).isEqualTo(200);
    assertThat(formAndCookie.status).isEqualTo(400);
    assertThat(formNotEnabled.status).isEqualTo(401);
  }

  // ---------------------------------------------------------------------------------------------
  // Cookies and cross-site requests

  @Test
  void cookieToken_passesOnGetWithoutProof() throws Exception {
    Reply r = call("GET", "/web/x").cookie(TOKEN_COOKIE, ISSUER.validToken()).send();

    assertThat(r.status).isEqualTo(200);
    assertThat(r.body).contains("user=user-123");
  }

  @Test
  void cookieOnPost_withoutCsrfProof_403_withAllowedOrigin_passes() throws Exception {
    String token = ISSUER.validToken();

    Reply noProof = call("POST", "/web/x").cookie(TOKEN_COOKIE, token).send();
    Reply otherOrigin =
        call("POST", "/web/x")
            .cookie(TOKEN_COOKIE, token)
            .header("Origin", "https://evil.example")
            .send();
    Reply nullOrigin =
        call("POST", "/web/x").cookie(TOKEN_COOKIE, token).header("Origin", "null").send();
    Reply allowed =
        call("POST", "/web/x").cookie(TOKEN_COOKIE, token).header("Origin", APP_ORIGIN).send();
    Reply allowedReferer =
        call("DELETE", "/web/x")
            .cookie(TOKEN_COOKIE, token)
            .header("Referer", APP_ORIGIN + "/page?q=1")
            .send();

    for (Reply r : List.of(noProof, otherOrigin, nullOrigin)) {
      assertThat(r.status).isEqualTo(403);
      assertThat(r.header("WWW-Authenticate")).isNull();
      assertThat(r.body)
          .isEqualTo(
              "{\"error\":\"access_denied\",\"error_description\":\"the request failed the"
                  + " cross-site request check\"}");
    }
    assertThat(allowed.status).isEqualTo(200);
    assertThat(allowedReferer.status).isEqualTo(200);
  }

  @Test
  void cookieOnPost_doubleSubmitHeaderMustEqualItsCookie() throws Exception {
    String token = ISSUER.validToken();
    String proof = "c2VjcmV0LXByb29mLTEyMzQ";

    Reply missing =
        call("POST", "/spa/x").header("Cookie", cookies(token, CSRF_COOKIE, proof)).send();
    Reply wrong =
        call("POST", "/spa/x")
            .header("Cookie", cookies(token, CSRF_COOKIE, proof))
            .header(CSRF_HEADER, proof + "x")
            .send();
    Reply noCookie =
        call("PUT", "/spa/x").cookie(TOKEN_COOKIE, token).header(CSRF_HEADER, proof).send();
    Reply right =
        call("POST", "/spa/x")
            .header("Cookie", cookies(token, CSRF_COOKIE, proof))
            .header(CSRF_HEADER, proof)
            .send();

    assertThat(missing.status).isEqualTo(403);
    assertThat(wrong.status).isEqualTo(403);
    assertThat(noCookie.status).isEqualTo(403);
    assertThat(right.status).isEqualTo(200);
  }

  @Test
  void bearerHeaderOnPost_needsNoCsrfProof() throws Exception {
    assertThat(call("POST", "/spa/x").bearer(ISSUER.validToken()).send().status).isEqualTo(200);
  }

  private static String cookies(String token, String name, String value) {
    return TOKEN_COOKIE + "=" + token + "; " + name + "=" + value;
  }

  // ---------------------------------------------------------------------------------------------
  // Transport

  @Test
  void plainHttp_403_beforeTheTokenIsRead() throws Exception {
    Reply r = call("GET", "/api/me").plainHttp().bearer(ISSUER.validToken()).send();

    assertThat(r.status).isEqualTo(403);
    assertThat(r.body)
        .isEqualTo(
            "{\"error\":\"access_denied\",\"error_description\":\"the request must use HTTPS\"}");
  }

  @Test
  void plainHttpOnLoopback_passesWhereAllowed_unlessForwarded() throws Exception {
    String token = ISSUER.validToken();

    assertThat(call("GET", "/local/x").plainHttp().bearer(token).send().status).isEqualTo(200);
    assertThat(
            call("GET", "/local/x")
                .plainHttp()
                .bearer(token)
                .header("X-Forwarded-For", "203.0.113.9")
                .send()
                .status)
        .isEqualTo(403);
  }

  @Test
  void forwardedProto_trustedOnlyFromConfiguredProxies() throws Exception {
    String token = ISSUER.validToken();

    Reply trusted =
        call("GET", "/proxied/x")
            .plainHttp()
            .bearer(token)
            .header("X-Forwarded-Proto", "https")
            .send();
    Reply noHeader = call("GET", "/proxied/x").plainHttp().bearer(token).send();
    Reply httpList =
        call("GET", "/proxied/x")
            .plainHttp()
            .bearer(token)
            .header("X-Forwarded-Proto", "https")
            .header("X-Forwarded-Proto", "http")
            .send();
    Reply untrusted =
        call("GET", "/elsewhere/x")
            .plainHttp()
            .bearer(token)
            .header("X-Forwarded-Proto", "https")
            .send();

    assertThat(trusted.status).isEqualTo(200);
    assertThat(noHeader.status).isEqualTo(403);
    assertThat(httpList.status).isEqualTo(403);
    assertThat(untrusted.status).isEqualTo(403);
  }

  // ---------------------------------------------------------------------------------------------
  // The client

  private Call call(String method, String pathAndQuery) {
    return new Call(method, pathAndQuery);
  }

  /** One request; {@link #send()} checks the response for every secret the request carried. */
  final class Call {
    private final String method;
    private final String pathAndQuery;
    private final List<String[]> headers = new ArrayList<>();
    private final List<String> secrets = new ArrayList<>();
    private final List<String> cookies = new ArrayList<>();
    private String body;
    private boolean https = true;

    Call(String method, String pathAndQuery) {
      this.method = method;
      this.pathAndQuery = pathAndQuery;
    }

    Call plainHttp() {
      https = false;
      return this;
    }

    Call bearer(String token) {
      return secret(token).header("Authorization", "Bearer " + token);
    }

    Call cookie(String name, String value) {
      secrets.add(value);
      cookies.add(name + "=" + value);
      return this;
    }

    Call form(String urlEncoded) {
      body = urlEncoded;
      return header("Content-Type", "application/x-www-form-urlencoded");
    }

    Call header(String name, String value) {
      headers.add(new String[] {name, value});
      return this;
    }

    Call secret(String value) {
      secrets.add(value);
      return this;
    }

    Reply send() throws IOException {
      int port = https ? server.httpsPort() : server.httpPort();
      URI uri = URI.create((https ? "https" : "http") + "://127.0.0.1:" + port + pathAndQuery);
      HttpRequest.Builder b =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(10))
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body));
      for (String[] h : headers) {
        b.header(h[0], h[1]);
      }
      if (!cookies.isEmpty()) {
        b.header("Cookie", String.join("; ", cookies));
      }
      HttpResponse<byte[]> response;
      try {
        response = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      Reply reply =
          new Reply(
              response.statusCode(),
              response.headers(),
              new String(response.body(), StandardCharsets.UTF_8));
      reply.assertLeaksNone(secrets);
      return reply;
    }
  }

  /** A response: status, headers and body. */
  static final class Reply {
    final int status;
    final HttpHeaders headers;
    final String body;

    Reply(int status, HttpHeaders headers, String body) {
      this.status = status;
      this.headers = headers;
      this.body = body;
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    String challenge() {
      List<String> all = headers.allValues("WWW-Authenticate");
      assertThat(all).as("one WWW-Authenticate header").hasSize(1);
      return all.get(0);
    }

    void assertLeaksNone(List<String> secrets) {
      StringBuilder everything = new StringBuilder(body);
      for (Map.Entry<String, List<String>> h : headers.map().entrySet()) {
        everything.append('\n').append(h.getKey()).append(": ").append(h.getValue());
      }
      for (String secret : secrets) {
        assertThat(everything.toString()).as("the response").doesNotContain(secret);
        int dot = secret.lastIndexOf('.');
        if (dot > 0 && secret.length() - dot > 16) {
          assertThat(everything.toString())
              .as("the response, for the token's signature")
              .doesNotContain(secret.substring(dot + 1));
        }
      }
      if (status >= 400) {
        assertThat(header("Cache-Control")).as("Cache-Control of a refusal").isEqualTo("no-store");
      }
    }
  }
}
