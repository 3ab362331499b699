package dev.tollgate.servlet;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtValidationException;
import dev.tollgate.JwtValidator;
import dev.tollgate.Reason;
import dev.tollgate.keys.KeyResolver;
import dev.tollgate.testing.TestIssuer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * The application of the container tests, registered through the portable servlet API only (the
 * same code runs in Jetty and Tomcat): a servlet that echoes who it sees, behind one filter per
 * family of scenarios.
 */
final class TestApp implements ServletContainerInitializer {
  static final TestIssuer ISSUER = TestIssuer.create(Algorithm.ES256);
  static final TestIssuer RSA_ISSUER = TestIssuer.create(Algorithm.RS256);

  static final String TOKEN_COOKIE = "__Host-access";
  static final String CSRF_COOKIE = "__Host-csrf";
  static final String CSRF_HEADER = "X-CSRF-Token";
  static final String APP_ORIGIN = "https://app.example";
  static final Duration RETRY_AFTER = Duration.ofSeconds(7);

  private final String servletMapping;

  /**
   * @param servletMapping how the echo servlet is mapped: {@code "/"} (the path is the servlet
   *     path) or {@code "/*"} (the path is the path info), so both halves of the filter's path are
   *     exercised
   */
  TestApp(String servletMapping) {
    this.servletMapping = servletMapping;
  }

  @Override
  public void onStartup(Set<Class<?>> classes, ServletContext servletContext) {
    servletContext.addServlet("echo", new EchoServlet()).addMapping(servletMapping);

    // The API: header tokens over HTTPS, scopes per route.
    JwtValidator validator =
        ISSUER.validatorBuilder().maxTokenLength(2048).maxTokenAge(Duration.ofHours(1)).build();
    // readme: servlet-filter
    BearerTokenFilter filter =
        BearerTokenFilter.builder(validator)
            .realm("catalog")
            .publicPath("GET", "/api/health")
            .requireScopes("GET", "/api/catalog/**", "catalog:read")
            .requireScopes("PUT", "/api/catalog/**", "catalog:write")
            .requireToken("GET", "/api/me")
            .scopesAsRoles()
            .build();
    servletContext
        .addFilter("bearer", filter)
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/api/*");
    // end

    // Browser clients: the token in a cookie, guarded by the Origin; the form body too.
    add(
        servletContext,
        "/web",
        BearerTokenFilter.builder(ISSUER.validator())
            .tokenCookie(TOKEN_COOKIE)
            .allowedOrigins(APP_ORIGIN)
            .acceptTokenInFormBody()
            .requireToken("*", "/web/**")
            .build());
    // Browser clients guarded by a double-submit header.
    add(
        servletContext,
        "/spa",
        BearerTokenFilter.builder(ISSUER.validator())
            .tokenCookie(TOKEN_COOKIE)
            .csrfDoubleSubmit(CSRF_COOKIE, CSRF_HEADER)
            .requireToken("*", "/spa/**")
            .build());
    // Transport: plain HTTP from loopback, and TLS terminated by proxies.
    add(
        servletContext,
        "/local",
        BearerTokenFilter.builder(ISSUER.validator())
            .allowPlainHttpOnLoopback()
            .requireToken("*", "/local/**")
            .build());
    add(
        servletContext,
        "/proxied",
        BearerTokenFilter.builder(ISSUER.validator())
            .trustForwardedProtoFrom("127.0.0.1", "::1")
            .requireToken("*", "/proxied/**")
            .build());
    add(
        servletContext,
        "/elsewhere",
        BearerTokenFilter.builder(ISSUER.validator())
            .trustForwardedProtoFrom("10.0.0.0/8")
            .requireToken("*", "/elsewhere/**")
            .build());
    // A key source that is down, and keys below the floor.
    KeyResolver down =
        header -> {
          throw new JwtValidationException(Reason.KEYS_UNAVAILABLE);
        };
    add(
        servletContext,
        "/down",
        BearerTokenFilter.builder(
                JwtValidator.builder()
                    .algorithms(ISSUER.algorithm())
                    .issuer(ISSUER.issuer())
                    .audience(ISSUER.audience())
                    .keys(down)
                    .build())
            .retryAfter(RETRY_AFTER)
            .requireToken("*", "/down/**")
            .build());
    KeyResolver rsaKeys = header -> RSA_ISSUER.keys().resolve(header);
    add(
        servletContext,
        "/weak",
        BearerTokenFilter.builder(
                JwtValidator.builder()
                    .algorithms(RSA_ISSUER.algorithm())
                    .issuer(RSA_ISSUER.issuer())
                    .audience(RSA_ISSUER.audience())
                    .keys(rsaKeys)
                    .minimumRsaKeyBits(3072)
                    .build())
            .requireToken("*", "/weak/**")
            .build());
  }

  private static void add(ServletContext context, String prefix, Filter filter) {
    context
        .addFilter(prefix.substring(1), filter)
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, prefix + "/*");
  }

  /** Answers 200 with what the application sees of the caller; never the token. */
  static final class EchoServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      Principal user = request.getUserPrincipal();
      String body =
          "ok "
              + request.getMethod()
              + " user="
              + (user == null ? "-" : user.getName())
              + " authType="
              + request.getAuthType()
              + " reader="
              + request.isUserInRole("catalog:read")
              + " jwt="
              + BearerTokenFilter.verifiedJwt(request)
                  .map(jwt -> jwt.subject().orElse("?"))
                  .orElse("none");
      response.setContentType("text/plain");
      response.setCharacterEncoding("UTF-8");
      response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
  }
}
