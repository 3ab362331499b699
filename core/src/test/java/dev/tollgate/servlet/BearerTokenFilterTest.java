package dev.tollgate.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtValidationException;
import dev.tollgate.JwtValidator;
import dev.tollgate.Reason;
import dev.tollgate.VerifiedJwt;
import dev.tollgate.keys.KeyResolver;
import dev.tollgate.servlet.BearerTokenFilter.Refusal;
import dev.tollgate.testing.TestIssuer;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.event.Level;

/** The filter's decisions, answers and log lines, without a container. */
class BearerTokenFilterTest {
  private static final TestIssuer ISSUER = TestIssuer.create(Algorithm.ES256);

  // ---------------------------------------------------------------------------------------------
  // Every reason and refusal has an answer

  @ParameterizedTest
  @EnumSource(Reason.class)
  void everyReason_hasAnAnswer(Reason reason) {
    Answer a = BearerTokenFilter.answerFor(reason, "api", "30");

    assertThat(a.code).isEqualTo(reason.name());
    if (reason == Reason.KEYS_UNAVAILABLE) {
      assertThat(a.status).isEqualTo(503);
      assertThat(a.challenge()).isNull();
      assertThat(a.serverSide).isTrue();
    } else {
      assertThat(a.status).isEqualTo(401);
      assertThat(a.challenge())
          .isEqualTo(
              "Bearer realm=\"api\", error=\"invalid_token\", error_description=\""
                  + reason.description()
                  + "\"");
      assertThat(a.serverSide).isEqualTo(reason == Reason.WEAK_KEY);
    }
    assertThat(a.bodyText()).contains("\"error_description\":\"" + reason.description() + "\"");
  }

  @ParameterizedTest
  @EnumSource(Reason.class)
  void everyReasonDescription_fitsAQuotedChallengeParameter(Reason reason) {
    // RFC 6750 §3: error_description is %x20-21 / %x23-5B / %x5D-7E.
    assertThat(HttpSyntax.isQuotable(reason.description())).isTrue();
  }

  @Test
  void everyFilterRefusal_hasAnAnswer_statusesAsSpecified() {
    for (Refusal r : Refusal.values()) {
      Answer a = BearerTokenFilter.answerFor(r, "api");
      assertThat(a.code).isEqualTo(r.name());
      int expected =
          switch (r) {
            case NO_TOKEN -> 401;
            case TOKEN_IN_QUERY,
                MULTIPLE_TOKENS,
                MALFORMED_AUTHORIZATION,
                MALFORMED_TOKEN_COOKIE,
                MALFORMED_FORM_TOKEN ->
                400;
            case INSECURE_TRANSPORT, CROSS_SITE_REQUEST, NO_MATCHING_RULE -> 403;
          };
      assertThat(a.status).as(r.name()).isEqualTo(expected);
      if (expected == 400) {
        assertThat(a.challenge()).contains("error=\"invalid_request\"");
      }
      assertThat(a.serverSide).isFalse();
    }
  }

  @Test
  void noToken_hasABareChallengeAndAnEmptyBody() {
    Answer a = BearerTokenFilter.answerFor(Refusal.NO_TOKEN, "catalog");

    assertThat(a.challenge()).isEqualTo("Bearer realm=\"catalog\"");
    assertThat(a.bodyText()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // Requests

  @Test
  void refusal_writesStatusChallengeNoStoreAndJson() throws Exception {
    FakeHttp.Response res = new FakeHttp.Response();

    run(filter().build(), bearer(ISSUER.expiredToken()), res);

    assertThat(res.status).isEqualTo(401);
    assertThat(res.headers).containsEntry("Cache-Control", "no-store");
    assertThat(res.headers.get("WWW-Authenticate")).contains("error=\"invalid_token\"");
    assertThat(res.headers).containsEntry("Content-Type", "application/json");
    assertThat(res.headers).containsEntry("Content-Length", String.valueOf(res.body.size()));
  }

  @Test
  void acceptedRequest_isWrappedAndCarriesTheVerifiedJwt() throws Exception {
    FakeHttp.Chain chain = new FakeHttp.Chain();
    FakeHttp.Request req = bearer(ISSUER.token().scope("a", "b").sign());

    filter().scopesAsRoles().build().doFilter(req.proxy(), new FakeHttp.Response().proxy(), chain);

    HttpServletRequest seen = (HttpServletRequest) chain.passed;
    assertThat(seen.getUserPrincipal().getName()).isEqualTo("user-123");
    assertThat(seen.getRemoteUser()).isEqualTo("user-123");
    assertThat(seen.getAuthType()).isEqualTo("Bearer");
    assertThat(seen.isUserInRole("a")).isTrue();
    assertThat(seen.isUserInRole("c")).isFalse();
    VerifiedJwt jwt = BearerTokenFilter.verifiedJwt(seen).orElseThrow();
    assertThat(jwt.scopes()).containsExactly("a", "b");
    assertThat(req.attributes.get(BearerTokenFilter.VERIFIED_JWT_ATTRIBUTE)).isSameAs(jwt);
  }

  @Test
  void rolesAreOff_byDefault() throws Exception {
    FakeHttp.Chain chain = new FakeHttp.Chain();

    filter()
        .build()
        .doFilter(
            bearer(ISSUER.token().scope("a").sign()).proxy(),
            new FakeHttp.Response().proxy(),
            chain);

    assertThat(((HttpServletRequest) chain.passed).isUserInRole("a")).isFalse();
  }

  @Test
  void tokenWithoutSubject_hasNoPrincipal() throws Exception {
    FakeHttp.Chain chain = new FakeHttp.Chain();

    filter()
        .build()
        .doFilter(
            bearer(ISSUER.tokenWithout("sub")).proxy(), new FakeHttp.Response().proxy(), chain);

    assertThat(((HttpServletRequest) chain.passed).getUserPrincipal()).isNull();
    assertThat(BearerTokenFilter.verifiedJwt(chain.passed)).isPresent();
  }

  @Test
  void verifiedJwt_isEmptyForARequestTheFilterDidNotAccept() {
    assertThat(BearerTokenFilter.verifiedJwt(new FakeHttp.Request().proxy())).isEmpty();
  }

  @Test
  void nonHttpRequest_throwsServletException() {
    ServletRequest plain =
        (ServletRequest)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {ServletRequest.class},
                (p, m, a) -> {
                  throw new UnsupportedOperationException();
                });
    ServletResponse response = new FakeHttp.Response().proxy();

    assertThatThrownBy(() -> filter().build().doFilter(plain, response, new FakeHttp.Chain()))
        .isInstanceOf(ServletException.class);
  }

  @Test
  void pathOf_joinsServletPathAndPathInfo() {
    FakeHttp.Request r = new FakeHttp.Request();
    r.servletPath = "";
    r.pathInfo = "/a/b";
    assertThat(BearerTokenFilter.pathOf(r.proxy())).isEqualTo("/a/b");
    r.servletPath = "/api";
    assertThat(BearerTokenFilter.pathOf(r.proxy())).isEqualTo("/api/a/b");
    r.pathInfo = null;
    assertThat(BearerTokenFilter.pathOf(r.proxy())).isEqualTo("/api");
    r.servletPath = "";
    assertThat(BearerTokenFilter.pathOf(r.proxy())).isEqualTo("/");
  }

  @Test
  void firstMatchingRuleWins() throws Exception {
    BearerTokenFilter f =
        BearerTokenFilter.builder(ISSUER.validator())
            .requireScopes("GET", "/api/admin/**", "admin")
            .requireToken("*", "/api/**")
            .build();
    String token = ISSUER.validToken();

    FakeHttp.Response admin = new FakeHttp.Response();
    run(f, bearer(token).path("/api/admin/users"), admin);
    FakeHttp.Response other = new FakeHttp.Response();
    run(f, bearer(token).path("/api/users"), other);

    assertThat(admin.status).isEqualTo(403);
    assertThat(admin.headers.get("WWW-Authenticate")).contains("scope=\"admin\"");
    assertThat(other.status).isEqualTo(200);
  }

  // ---------------------------------------------------------------------------------------------
  // Logging

  @Test
  void refusal_isLoggedAtDebugWithCodeMethodPathAndFingerprint_neverTheToken() throws Exception {
    RecordingLogger log = new RecordingLogger(Level.DEBUG);
    String token = ISSUER.expiredToken();

    run(filter().logger(log).build(), bearer(token).path("/api/orders/7"), null);

    assertThat(log.lines)
        .containsExactly(
            "DEBUG bearer token refused: EXPIRED GET /api/orders/7 token "
                + JwtValidationException.fingerprintOf(token));
    assertThat(String.join("\n", log.lines))
        .doesNotContain(token)
        .doesNotContain(token.substring(token.lastIndexOf('.') + 1));
  }

  @Test
  void refusalsOfTheFilter_areLoggedWithoutATokenFingerprintWhenThereIsNone() throws Exception {
    RecordingLogger log = new RecordingLogger(Level.DEBUG);

    run(filter().logger(log).build(), new FakeHttp.Request(), null);

    assertThat(log.lines)
        .containsExactly("DEBUG bearer token refused: NO_TOKEN GET /api/x token -");
  }

  @Test
  void clientRefusals_areSilentAtInfo() throws Exception {
    RecordingLogger log = new RecordingLogger(Level.INFO);

    run(filter().logger(log).build(), bearer(ISSUER.expiredToken()), null);
    run(filter().logger(log).build(), new FakeHttp.Request(), null);

    assertThat(log.lines).isEmpty();
  }

  @Test
  void keysUnavailable_isLoggedAtInfoOnceAMinute_thenAtDebug() throws Exception {
    RecordingLogger log = new RecordingLogger(Level.DEBUG);
    KeyResolver down =
        header -> {
          throw new IllegalStateException("connection refused");
        };
    BearerTokenFilter f =
        BearerTokenFilter.builder(
                JwtValidator.builder()
                    .algorithms(Algorithm.ES256)
                    .issuer(ISSUER.issuer())
                    .audience(ISSUER.audience())
                    .keys(down)
                    .build())
            .requireToken("*", "/**")
            .logger(log)
            .build();
    FakeHttp.Response res = new FakeHttp.Response();

    run(f, bearer(ISSUER.validToken()), res);
    run(f, bearer(ISSUER.validToken()), null);

    assertThat(res.status).isEqualTo(503);
    assertThat(res.headers).containsEntry("Retry-After", "30");
    assertThat(log.lines).hasSize(2);
    assertThat(log.lines.get(0)).startsWith("INFO bearer token refused: KEYS_UNAVAILABLE GET");
    assertThat(log.lines.get(1)).startsWith("DEBUG bearer token refused: KEYS_UNAVAILABLE GET");
  }

  @Test
  void success_logsNothing() throws Exception {
    RecordingLogger log = new RecordingLogger(Level.TRACE);

    run(filter().logger(log).build(), bearer(ISSUER.validToken()), null);

    assertThat(log.lines).isEmpty();
  }

  @Test
  void loggedPath_hasNoControlCharacters_andIsBounded() {
    assertThat(BearerTokenFilter.printable("/a\nINFO forged\r\u0085line\u2028x"))
        .isEqualTo("/a?INFO forged??line?x");
    assertThat(BearerTokenFilter.printable("/" + "x".repeat(500))).hasSize(203).endsWith("...");
  }

  // ---------------------------------------------------------------------------------------------
  // Transport, seen from the filter

  @Test
  void forwardedProto_isReadOnlyFromTrustedProxies() throws Exception {
    BearerTokenFilter f = filter().trustForwardedProtoFrom("10.0.0.0/8", "2001:db8::/32").build();
    String token = ISSUER.validToken();

    assertThat(status(f, insecure(token, "10.1.2.3").header("X-Forwarded-Proto", "https")))
        .isEqualTo(200);
    assertThat(status(f, insecure(token, "2001:db8::7").header("X-Forwarded-Proto", "HTTPS")))
        .isEqualTo(200);
    assertThat(status(f, insecure(token, "11.1.2.3").header("X-Forwarded-Proto", "https")))
        .isEqualTo(403);
    assertThat(status(f, insecure(token, "10.1.2.3").header("X-Forwarded-Proto", "http")))
        .isEqualTo(403);
    assertThat(status(f, insecure(token, "10.1.2.3"))).isEqualTo(403);
  }

  @Test
  void loopbackThatIsATrustedProxy_mustForwardTheProto() throws Exception {
    BearerTokenFilter f =
        filter().allowPlainHttpOnLoopback().trustForwardedProtoFrom("127.0.0.1").build();
    String token = ISSUER.validToken();

    assertThat(status(f, insecure(token, "127.0.0.1"))).isEqualTo(403);
    assertThat(status(f, insecure(token, "127.0.0.1").header("X-Forwarded-Proto", "https")))
        .isEqualTo(200);
    assertThat(status(f, insecure(token, "127.0.0.2"))).isEqualTo(200);
  }

  @Test
  void loopbackAllowance_coversIpv4AndIpv6Loopback_only() throws Exception {
    BearerTokenFilter f = filter().allowPlainHttpOnLoopback().build();
    String token = ISSUER.validToken();

    assertThat(status(f, insecure(token, "127.0.0.1"))).isEqualTo(200);
    assertThat(status(f, insecure(token, "127.8.9.10"))).isEqualTo(200);
    assertThat(status(f, insecure(token, "0:0:0:0:0:0:0:1"))).isEqualTo(200);
    assertThat(status(f, insecure(token, "[::1]"))).isEqualTo(200);
    assertThat(status(f, insecure(token, "192.0.2.1"))).isEqualTo(403);
    assertThat(status(f, insecure(token, "127.0.0.1").header("Forwarded", "for=192.0.2.1")))
        .isEqualTo(403);
  }

  @Test
  void cookieCsrfChecks_onlyForStateChangingMethods() throws Exception {
    BearerTokenFilter f =
        filter().tokenCookie("__Host-t").allowedOrigins("https://app.example:8443").build();
    String token = ISSUER.validToken();

    for (String safe : Set.of("GET", "HEAD", "OPTIONS", "TRACE")) {
      assertThat(status(f, cookie(token).method(safe))).as(safe).isEqualTo(200);
    }
    for (String unsafe : Set.of("POST", "PUT", "PATCH", "DELETE", "PROPFIND")) {
      assertThat(status(f, cookie(token).method(unsafe))).as(unsafe).isEqualTo(403);
      assertThat(
              status(f, cookie(token).method(unsafe).header("Origin", "https://app.example:8443")))
          .as(unsafe)
          .isEqualTo(200);
    }
    assertThat(status(f, cookie(token).method("POST").header("Origin", "https://app.example")))
        .isEqualTo(403);
    assertThat(
            status(
                f,
                cookie(token).method("POST").header("Referer", "https://APP.example:8443/a/b?c#d")))
        .isEqualTo(200);
    assertThat(status(f, cookie(token).method("POST").header("Referer", "not a url")))
        .isEqualTo(403);
  }

  @Test
  void emptyCookie_countsAsNoToken_malformedCookie_400() throws Exception {
    BearerTokenFilter f = filter().tokenCookie("t").allowedOrigins("https://a.example").build();
    FakeHttp.Request empty = new FakeHttp.Request();
    empty.cookies.add(new jakarta.servlet.http.Cookie("t", ""));
    FakeHttp.Request bad = new FakeHttp.Request();
    bad.cookies.add(new jakarta.servlet.http.Cookie("t", "a b"));

    assertThat(status(f, empty)).isEqualTo(401);
    assertThat(status(f, bad)).isEqualTo(400);
  }

  // ---------------------------------------------------------------------------------------------
  // Each check at its edge

  @Test
  void answersWithoutChallengeOrBody_sendNoSuchHeader() throws Exception {
    FakeHttp.Response denied = new FakeHttp.Response();
    FakeHttp.Request plain = bearer(ISSUER.validToken());
    plain.secure = false;
    run(filter().build(), plain, denied);
    assertThat(denied.status).isEqualTo(403);
    assertThat(denied.headers).doesNotContainKeys("WWW-Authenticate", "Retry-After");

    FakeHttp.Response noToken = new FakeHttp.Response();
    run(filter().build(), new FakeHttp.Request(), noToken);
    assertThat(noToken.status).isEqualTo(401);
    assertThat(noToken.headers)
        .doesNotContainKeys("Content-Type", "Retry-After")
        .containsEntry("Content-Length", "0");
    assertThat(noToken.body.size()).isZero();
    assertThat(BearerTokenFilter.answerFor(Refusal.NO_TOKEN, "api")).hasToString("NO_TOKEN 401");
  }

  @Test
  void retryAfter_wholeSecondsRoundedUp() {
    assertThat(retryAfterSent(null)).isEqualTo("30");
    assertThat(retryAfterSent(java.time.Duration.ofSeconds(1))).isEqualTo("1");
    assertThat(retryAfterSent(java.time.Duration.ofMillis(1500))).isEqualTo("2");
    assertThat(retryAfterSent(java.time.Duration.ofSeconds(90))).isEqualTo("90");
    assertThat(retryAfterSent(java.time.Duration.ofHours(1))).isEqualTo("3600");
  }

  private static String retryAfterSent(java.time.Duration retryAfter) {
    JwtValidator down =
        JwtValidator.builder()
            .algorithms(Algorithm.ES256)
            .issuer(ISSUER.issuer())
            .audience(ISSUER.audience())
            .keys(
                header -> {
                  throw new JwtValidationException(Reason.KEYS_UNAVAILABLE);
                })
            .build();
    BearerTokenFilter.Builder b = BearerTokenFilter.builder(down).requireToken("*", "/**");
    if (retryAfter != null) {
      b.retryAfter(retryAfter);
    }
    FakeHttp.Response res = new FakeHttp.Response();
    try {
      run(b.build(), bearer(ISSUER.validToken()), res);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertThat(res.status).isEqualTo(503);
    return res.headers.get("Retry-After");
  }

  @Test
  void nonHttpResponse_throwsServletException() {
    ServletResponse plain =
        (ServletResponse)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {ServletResponse.class},
                (p, m, args) -> {
                  throw new UnsupportedOperationException(m.getName());
                });
    assertThatThrownBy(
            () ->
                filter()
                    .build()
                    .doFilter(new FakeHttp.Request().proxy(), plain, new FakeHttp.Chain()))
        .isInstanceOf(ServletException.class);
  }

  @Test
  void pathOf_withoutServletPathOrPathInfo() {
    FakeHttp.Request r = new FakeHttp.Request();
    r.servletPath = null;
    r.pathInfo = "/a/b";
    assertThat(BearerTokenFilter.pathOf(r.proxy())).isEqualTo("/a/b");
    r.pathInfo = null;
    assertThat(BearerTokenFilter.pathOf(r.proxy())).isEqualTo("/");
    r.servletPath = "";
    r.pathInfo = "/c";
    assertThat(BearerTokenFilter.pathOf(r.proxy())).isEqualTo("/c");
  }

  @Test
  void cookiesAreIgnored_unlessATokenCookieIsConfigured() throws Exception {
    FakeHttp.Request r = bearer(ISSUER.validToken());
    r.cookies.add(new jakarta.servlet.http.Cookie("session", "x"));
    assertThat(status(filter().build(), r)).isEqualTo(200);
  }

  @Test
  void tokenCookieConfigured_otherCookiesAlone_readAsNoToken() throws Exception {
    BearerTokenFilter f = filter().tokenCookie("t").allowedOrigins("https://a.example").build();
    FakeHttp.Request headerOnly = bearer(ISSUER.validToken());
    headerOnly.cookies.add(new jakarta.servlet.http.Cookie("session", "x"));
    assertThat(status(f, headerOnly)).isEqualTo(200);
  }

  @Test
  void doubleSubmit_needsExactlyOneNonEmptyCookieEqualToTheHeader() throws Exception {
    BearerTokenFilter f = filter().tokenCookie("t").csrfDoubleSubmit("csrf", "X-CSRF").build();
    String token = ISSUER.validToken();

    assertThat(status(f, csrf(token, "v", "v").header("X-CSRF", "v"))).isEqualTo(403);
    assertThat(status(f, csrf(token, "v").header("X-CSRF", "v"))).isEqualTo(200);
    assertThat(status(f, csrf(token, "v").header("X-CSRF", "w"))).isEqualTo(403);
    assertThat(status(f, csrf(token, "v"))).isEqualTo(403);
    assertThat(status(f, csrf(token, "").header("X-CSRF", ""))).isEqualTo(403);
    assertThat(status(f, csrf(token, (String) null).header("X-CSRF", ""))).isEqualTo(403);
    FakeHttp.Request withOther = csrf(token, "v").header("X-CSRF", "v");
    withOther.cookies.add(new jakarta.servlet.http.Cookie("session", "other"));
    assertThat(status(f, withOther)).isEqualTo(200);
  }

  private static FakeHttp.Request csrf(String token, String... csrfValues) {
    FakeHttp.Request r = new FakeHttp.Request().method("POST");
    r.cookies.add(new jakarta.servlet.http.Cookie("t", token));
    for (String v : csrfValues) {
      r.cookies.add(new jakarta.servlet.http.Cookie("csrf", v));
    }
    return r;
  }

  @Test
  void formToken_readOnlyFromAUrlEncodedPost_whenEnabled() throws Exception {
    String token = ISSUER.validToken();
    BearerTokenFilter on = filter().acceptTokenInFormBody().build();
    BearerTokenFilter off = filter().build();
    String form = "application/x-www-form-urlencoded";

    assertThat(status(on, form("POST", form, token))).isEqualTo(200);
    assertThat(status(on, form("POST", form + ";charset=UTF-8", token))).isEqualTo(200);
    assertThat(status(on, form("POST", form + " ; charset=UTF-8", token))).isEqualTo(200);
    assertThat(status(on, form("POST", "APPLICATION/X-WWW-FORM-URLENCODED", token))).isEqualTo(200);
    assertThat(status(off, form("POST", form, token))).isEqualTo(401);
    assertThat(status(on, form("PUT", form, token))).isEqualTo(401);
    assertThat(status(on, form("POST", "application/json", token))).isEqualTo(401);
    assertThat(status(on, form("POST", form + "x", token))).isEqualTo(401);
    assertThat(status(on, form("POST", "application/x-www-form", token))).isEqualTo(401);
    assertThat(status(on, form("POST", null, token))).isEqualTo(401);
    assertThat(status(on, form("POST", form))).isEqualTo(401);
    assertThat(status(on, form("POST", form, token, token))).isEqualTo(400);
    assertThat(status(on, form("POST", form, "a b"))).isEqualTo(400);
    assertThat(status(on, form("POST", form, token).header("Authorization", "Bearer " + token)))
        .isEqualTo(400);
    FakeHttp.Request withoutParameter = bearer(token).method("POST").header("Content-Type", form);
    assertThat(status(on, withoutParameter)).isEqualTo(200);
  }

  private static FakeHttp.Request form(String method, String contentType, String... tokens) {
    FakeHttp.Request r = new FakeHttp.Request().method(method);
    if (contentType != null) {
      r.header("Content-Type", contentType);
    }
    r.parameters.put(HttpSyntax.ACCESS_TOKEN, tokens);
    return r;
  }

  @Test
  void headerEnumerationRefused_singleAuthorizationHeaderStillRead() throws Exception {
    FakeHttp.Request r = bearer(ISSUER.validToken());
    r.headerEnumerationRefused = true;
    assertThat(status(filter().build(), r)).isEqualTo(200);
  }

  @Test
  void forwardedProto_exactlyOneHttpsValue_fromATrustedProxy() throws Exception {
    BearerTokenFilter f = filter().trustForwardedProtoFrom("10.0.0.0/8").build();
    String token = ISSUER.validToken();

    assertThat(status(f, insecure(token, "10.1.2.3").header("X-Forwarded-Proto", " https ")))
        .isEqualTo(200);
    assertThat(
            status(
                f,
                insecure(token, "10.1.2.3")
                    .header("X-Forwarded-Proto", "https")
                    .header("X-Forwarded-Proto", "https")))
        .isEqualTo(403);
    // Loopback is not trusted unless asked for, even next to trusted proxies.
    assertThat(status(f, insecure(token, "127.0.0.1"))).isEqualTo(403);
    FakeHttp.Request noAddress = insecure(token, null);
    assertThat(status(f, noAddress)).isEqualTo(403);
    FakeHttp.Request unreadable = insecure(token, "10.1.2.3").header("X-Forwarded-Proto", "https");
    unreadable.headerEnumerationRefused = true;
    assertThat(status(f, unreadable)).isEqualTo(403);
  }

  @Test
  void loopbackAllowance_refusesForwardedRequestsAndUnreadableAddresses() throws Exception {
    BearerTokenFilter f = filter().allowPlainHttpOnLoopback().build();
    String token = ISSUER.validToken();

    assertThat(status(f, insecure(token, "127.0.0.1").header("X-Forwarded-Proto", "https")))
        .isEqualTo(403);
    assertThat(status(f, insecure(token, "127.0.0.1").header("X-Forwarded-For", "192.0.2.1")))
        .isEqualTo(403);
    assertThat(status(f, insecure(token, null))).isEqualTo(403);
    assertThat(status(f, insecure(token, "localhost"))).isEqualTo(403);
    assertThat(status(f, insecure(token, "2001:db8::1"))).isEqualTo(403);
  }

  @Test
  void printable_replacesEveryControlCharacter_keepsTheRest() {
    assertThat(
            BearerTokenFilter.printable("\u001f ~\u007f\u0080\u009f\u00a0\u2027\u2028\u2029\u202a"))
        .isEqualTo("? ~???\u00a0\u2027??\u202a");
  }

  // ---------------------------------------------------------------------------------------------

  private static BearerTokenFilter.Builder filter() {
    return BearerTokenFilter.builder(ISSUER.validator()).requireToken("*", "/**");
  }

  private static FakeHttp.Request bearer(String token) {
    return new FakeHttp.Request().header("Authorization", "Bearer " + token);
  }

  private static FakeHttp.Request insecure(String token, String remoteAddr) {
    FakeHttp.Request r = bearer(token);
    r.secure = false;
    r.remoteAddr = remoteAddr;
    return r;
  }

  private static FakeHttp.Request cookie(String token) {
    FakeHttp.Request r = new FakeHttp.Request();
    r.cookies.add(new jakarta.servlet.http.Cookie("__Host-t", token));
    return r;
  }

  private static int status(BearerTokenFilter f, FakeHttp.Request req) throws Exception {
    FakeHttp.Response res = new FakeHttp.Response();
    run(f, req, res);
    return res.status;
  }

  private static void run(BearerTokenFilter f, FakeHttp.Request req, FakeHttp.Response res)
      throws Exception {
    FakeHttp.Response response = res == null ? new FakeHttp.Response() : res;
    f.doFilter(req.proxy(), response.proxy(), new FakeHttp.Chain());
  }
}
