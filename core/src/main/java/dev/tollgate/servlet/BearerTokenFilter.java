package dev.tollgate.servlet;

import dev.tollgate.JwtValidationException;
import dev.tollgate.JwtValidator;
import dev.tollgate.Reason;
import dev.tollgate.VerifiedJwt;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A servlet filter that lets a request through only with a valid bearer token (RFC 6750) that has
 * the scopes its route requires, and answers every other request itself.
 *
 * <pre>{@code
 * BearerTokenFilter filter =
 *     BearerTokenFilter.builder(validator)
 *         .realm("catalog")
 *         .publicPath("GET", "/api/health")
 *         .requireScopes("GET", "/api/catalog/**", "catalog:read")
 *         .requireScopes("PUT", "/api/catalog/**", "catalog:write")
 *         .requireToken("GET", "/api/me")
 *         .scopesAsRoles()
 *         .build();
 * servletContext
 *     .addFilter("bearer", filter)
 *     .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/api/*");
 * }</pre>
 *
 * <p>For each request, in this order:
 *
 * <ol>
 *   <li>The first rule whose method and path pattern match decides what the request needs. A public
 *       path passes on untouched: no token is read and no other check runs.
 *   <li>A request that is not secure ({@link ServletRequest#isSecure()}, or {@code
 *       X-Forwarded-Proto: https} from a trusted proxy) is refused with 403.
 *   <li>A token in the URL query ({@code access_token}) is refused with 400 {@code
 *       invalid_request}: it has leaked into logs and browser history already.
 *   <li>The token is read from the {@code Authorization: Bearer} header, and, if configured, from a
 *       cookie or the form body. A malformed header, or tokens in more than one place, is refused
 *       with 400 {@code invalid_request}; no token at all with 401 and a bare {@code Bearer}
 *       challenge.
 *   <li>A token from the cookie on a state-changing method (anything but {@code GET}, {@code HEAD},
 *       {@code OPTIONS}, {@code TRACE}) must pass the configured cross-site request checks, else
 *       403.
 *   <li>The validator checks the token. A refusal is answered with 401 {@code invalid_token} and
 *       the reason's fixed {@link Reason#description() description}; {@link
 *       Reason#KEYS_UNAVAILABLE} with 503 and {@code Retry-After}, since it is not the client's
 *       fault.
 *   <li>A request no rule matched is refused with 403; a token without the rule's scopes with 403
 *       {@code insufficient_scope} and the {@code scope} the rule needs.
 *   <li>Otherwise the request goes on, wrapped: {@link HttpServletRequest#getUserPrincipal()} is
 *       the token's subject, {@link HttpServletRequest#isUserInRole(String)} answers from its
 *       scopes if configured, and {@link #verifiedJwt(ServletRequest)} returns the token's claims.
 * </ol>
 *
 * <p>Every answer of the filter has {@code Cache-Control: no-store} and, unless empty, a small JSON
 * body ({@code {"error": ..., "error_description": ...}}). No answer and no log line contains the
 * token: refusals are logged at debug with their code, the method, the path and the token's {@link
 * JwtValidationException#fingerprintOf(String) fingerprint}; trouble on the server's side ({@code
 * KEYS_UNAVAILABLE}, {@code WEAK_KEY}) is logged at info at most once a minute. Nothing is logged
 * on success.
 *
 * <p>Paths are matched against the path within the application, decoded and normalised by the
 * container ({@code servletPath + pathInfo}); map the filter for {@code REQUEST} dispatches.
 *
 * <p>The filter is immutable and thread-safe. It has no constructor for {@code web.xml}: register
 * it with {@link jakarta.servlet.ServletContext#addFilter(String, Filter)}, for example from a
 * {@link jakarta.servlet.ServletContainerInitializer} or {@link
 * jakarta.servlet.ServletContextListener}.
 *
 * @since 0.1.0
 */
public final class BearerTokenFilter implements Filter {
  /**
   * The request attribute under which the filter leaves the {@link VerifiedJwt} of an accepted
   * request; {@link #verifiedJwt(ServletRequest)} reads it with its type.
   *
   * @since 0.1.0
   */
  public static final String VERIFIED_JWT_ATTRIBUTE = "dev.tollgate.servlet.VerifiedJwt";

  private static final Logger DEFAULT_LOG = LoggerFactory.getLogger(BearerTokenFilter.class);
  private static final int MAX_LOGGED_PATH = 200;

  /** Refusals decided by the filter itself, before or after the validator. */
  enum Refusal {
    NO_TOKEN,
    TOKEN_IN_QUERY,
    MULTIPLE_TOKENS,
    MALFORMED_AUTHORIZATION,
    MALFORMED_TOKEN_COOKIE,
    MALFORMED_FORM_TOKEN,
    INSECURE_TRANSPORT,
    CROSS_SITE_REQUEST,
    NO_MATCHING_RULE
  }

  private final JwtValidator validator;
  private final String realm;
  private final Rule[] rules;
  private final @Nullable String tokenCookie;
  private final boolean formBodyToken;
  private final Set<String> allowedOrigins;
  private final @Nullable String csrfCookie;
  private final @Nullable String csrfHeader;
  private final AddressRange[] trustedProxies;
  private final boolean plainHttpOnLoopback;
  private final boolean scopesAsRoles;
  private final Map<Reason, Answer> byReason;
  private final Map<Refusal, Answer> byRefusal;
  private final Logger log;

  private BearerTokenFilter(Builder b) {
    this.validator = b.validator;
    this.realm = b.realm == null ? Builder.DEFAULT_REALM : b.realm;
    String retryAfter =
        Long.toString(b.retryAfter == null ? Builder.DEFAULT_RETRY_AFTER_SECONDS : seconds(b));
    List<Rule> built = new ArrayList<>();
    for (RuleSpec spec : b.rules) {
      Answer insufficient =
          spec.access == Rule.Access.SCOPES
              ? Answer.challenge(
                  "INSUFFICIENT_SCOPE",
                  HttpServletResponse.SC_FORBIDDEN,
                  realm,
                  "insufficient_scope",
                  "the token lacks a scope this request requires",
                  String.join(" ", spec.scopes))
              : null;
      built.add(
          new Rule(
              spec.method,
              spec.pattern,
              spec.access,
              spec.scopes.toArray(new String[0]),
              insufficient));
    }
    this.rules = built.toArray(new Rule[0]);
    this.tokenCookie = b.tokenCookie;
    this.formBodyToken = b.formBodyToken;
    this.allowedOrigins = b.allowedOrigins == null ? Set.of() : Set.copyOf(b.allowedOrigins);
    this.csrfCookie = b.csrfCookie;
    this.csrfHeader = b.csrfHeader;
    this.trustedProxies =
        b.trustedProxies == null
            ? new AddressRange[0]
            : b.trustedProxies.toArray(new AddressRange[0]);
    this.plainHttpOnLoopback = b.plainHttpOnLoopback;
    this.scopesAsRoles = b.scopesAsRoles;
    EnumMap<Reason, Answer> reasons = new EnumMap<>(Reason.class);
    for (Reason r : Reason.values()) {
      reasons.put(r, answerFor(r, realm, retryAfter));
    }
    this.byReason = reasons;
    EnumMap<Refusal, Answer> refusals = new EnumMap<>(Refusal.class);
    for (Refusal r : Refusal.values()) {
      refusals.put(r, answerFor(r, realm));
    }
    this.byRefusal = refusals;
    this.log = b.log == null ? DEFAULT_LOG : b.log;
  }

  private static long seconds(Builder b) {
    Duration d = Objects.requireNonNull(b.retryAfter);
    long s = d.getSeconds();
    return d.getNano() > 0 ? s + 1 : s;
  }

  /**
   * Maps every {@link Reason} to its answer. Only {@code KEYS_UNAVAILABLE} is not the client's
   * doing: it is a 503 to retry. Every other reason means this token will never be accepted: 401
   * {@code invalid_token}, with the reason's fixed description. The switch has no default, so a new
   * reason does not compile until it is mapped here.
   */
  static Answer answerFor(Reason reason, String realm, String retryAfterSeconds) {
    return switch (reason) {
      case KEYS_UNAVAILABLE ->
          Answer.plain(
              reason.name(),
              HttpServletResponse.SC_SERVICE_UNAVAILABLE,
              "temporarily_unavailable",
              reason.description(),
              retryAfterSeconds,
              true);
      // The issuer signs with a key below this server's floor: the token will never pass, but
      // the operator should hear of it.
      case WEAK_KEY -> invalidToken(reason, realm).asServerSide();
      case MALFORMED,
          TOO_LARGE,
          ALGORITHM_NOT_ALLOWED,
          TYPE_MISMATCH,
          UNSUPPORTED_CRITICAL_HEADER,
          KEY_NOT_FOUND,
          BAD_SIGNATURE,
          EXPIRED,
          NOT_YET_VALID,
          TOO_OLD,
          ISSUER_MISMATCH,
          AUDIENCE_MISMATCH,
          MISSING_CLAIM,
          CLAIM_INVALID ->
          invalidToken(reason, realm);
    };
  }

  private static Answer invalidToken(Reason reason, String realm) {
    return Answer.challenge(
        reason.name(),
        HttpServletResponse.SC_UNAUTHORIZED,
        realm,
        "invalid_token",
        reason.description(),
        null);
  }

  /** Maps every refusal of the filter's own to its answer. */
  static Answer answerFor(Refusal refusal, String realm) {
    String code = refusal.name();
    return switch (refusal) {
      case NO_TOKEN ->
          Answer.challenge(code, HttpServletResponse.SC_UNAUTHORIZED, realm, null, null, null);
      case TOKEN_IN_QUERY ->
          invalidRequest(code, realm, "a token must not be sent in the URL query");
      case MULTIPLE_TOKENS ->
          invalidRequest(code, realm, "the request carries more than one token");
      case MALFORMED_AUTHORIZATION ->
          invalidRequest(code, realm, "the Authorization header is malformed");
      case MALFORMED_TOKEN_COOKIE -> invalidRequest(code, realm, "the token cookie is malformed");
      case MALFORMED_FORM_TOKEN ->
          invalidRequest(code, realm, "the access_token parameter is malformed");
      case INSECURE_TRANSPORT -> accessDenied(code, "the request must use HTTPS");
      case CROSS_SITE_REQUEST ->
          accessDenied(code, "the request failed the cross-site request check");
      case NO_MATCHING_RULE -> accessDenied(code, "no rule allows this request");
    };
  }

  private static Answer accessDenied(String code, String description) {
    return Answer.plain(
        code, HttpServletResponse.SC_FORBIDDEN, "access_denied", description, null, false);
  }

  private static Answer invalidRequest(String code, String realm, String description) {
    return Answer.challenge(
        code, HttpServletResponse.SC_BAD_REQUEST, realm, "invalid_request", description, null);
  }

  /**
   * Starts configuring a filter around a validator. At least one rule ({@link
   * Builder#requireScopes}, {@link Builder#requireToken}, {@link Builder#publicPath}) must be
   * given.
   *
   * @param validator the validator every token must pass
   * @return a new builder
   * @throws NullPointerException if {@code validator} is null
   * @since 0.1.0
   */
  public static Builder builder(JwtValidator validator) {
    return new Builder(Objects.requireNonNull(validator, "validator"));
  }

  /**
   * Returns the verified token of a request this filter let through.
   *
   * @param request the request, as the application received it
   * @return the token's claims, or empty if the filter did not accept a token for this request (a
   *     public path, or the filter is not in front of it)
   * @throws NullPointerException if {@code request} is null
   * @since 0.1.0
   */
  public static Optional<VerifiedJwt> verifiedJwt(ServletRequest request) {
    Object value = Objects.requireNonNull(request, "request").getAttribute(VERIFIED_JWT_ATTRIBUTE);
    return value instanceof VerifiedJwt ? Optional.of((VerifiedJwt) value) : Optional.empty();
  }

  /**
   * Lets the request through if its token is valid and has the scopes its rule requires, and
   * answers it otherwise (see the class description). A bad token never makes it throw.
   *
   * @param req the request
   * @param res the response
   * @param chain the rest of the chain, called only for an accepted or public request
   * @throws ServletException if the request is not an HTTP request, or the chain throws it
   * @throws IOException if writing the answer fails, or the chain throws it
   * @since 0.1.0
   */
  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest) || !(res instanceof HttpServletResponse)) {
      throw new ServletException("BearerTokenFilter handles HTTP requests only");
    }
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    String method = request.getMethod();
    String path = pathOf(request);
    Rule rule = null;
    for (Rule r : rules) {
      if (r.matches(method, path)) {
        rule = r;
        break;
      }
    }
    if (rule != null && rule.access == Rule.Access.PUBLIC) {
      chain.doFilter(request, response);
      return;
    }
    if (!secure(request)) {
      refuse(byRefusal.get(Refusal.INSECURE_TRANSPORT), response, method, path, null);
      return;
    }
    if (HttpSyntax.queryHasAccessToken(request.getQueryString())) {
      refuse(byRefusal.get(Refusal.TOKEN_IN_QUERY), response, method, path, null);
      return;
    }

    // The token, from exactly one place.
    String token = null;
    String authorization = request.getHeader("Authorization");
    if (authorization != null) {
      String t = HttpSyntax.bearerToken(authorization);
      if (t == null || moreThanOne(request.getHeaders("Authorization"))) {
        refuse(byRefusal.get(Refusal.MALFORMED_AUTHORIZATION), response, method, path, null);
        return;
      }
      if (!t.isEmpty()) {
        token = t;
      }
    }
    boolean fromCookie = false;
    String csrfValue = null;
    int csrfCookies = 0;
    if (tokenCookie != null) {
      Cookie[] cookies = request.getCookies();
      if (cookies != null) {
        String cookieToken = null;
        int tokenCookies = 0;
        for (Cookie c : cookies) {
          String name = c.getName();
          if (tokenCookie.equals(name)) {
            tokenCookies++;
            cookieToken = c.getValue();
          } else if (name.equals(csrfCookie)) {
            csrfCookies++;
            csrfValue = c.getValue();
          }
        }
        if (tokenCookies > 1) {
          refuse(byRefusal.get(Refusal.MULTIPLE_TOKENS), response, method, path, null);
          return;
        }
        if (cookieToken != null && !cookieToken.isEmpty()) {
          if (!HttpSyntax.isB64Token(cookieToken)) {
            refuse(byRefusal.get(Refusal.MALFORMED_TOKEN_COOKIE), response, method, path, null);
            return;
          }
          if (token != null) {
            refuse(byRefusal.get(Refusal.MULTIPLE_TOKENS), response, method, path, token);
            return;
          }
          token = cookieToken;
          fromCookie = true;
        }
      }
    }
    if (formBodyToken && isFormPost(request, method)) {
      String[] values = request.getParameterValues(HttpSyntax.ACCESS_TOKEN);
      if (values != null && values.length > 0) {
        if (values.length > 1 || token != null) {
          refuse(byRefusal.get(Refusal.MULTIPLE_TOKENS), response, method, path, token);
          return;
        }
        if (!HttpSyntax.isB64Token(values[0])) {
          refuse(byRefusal.get(Refusal.MALFORMED_FORM_TOKEN), response, method, path, null);
          return;
        }
        token = values[0];
      }
    }
    if (token == null) {
      refuse(byRefusal.get(Refusal.NO_TOKEN), response, method, path, null);
      return;
    }
    if (fromCookie && !isSafe(method) && !crossSiteChecksPass(request, csrfValue, csrfCookies)) {
      refuse(byRefusal.get(Refusal.CROSS_SITE_REQUEST), response, method, path, token);
      return;
    }

    VerifiedJwt jwt;
    try {
      jwt = validator.validate(token);
    } catch (JwtValidationException e) {
      refuse(byReason.get(e.reason()), response, method, path, token);
      return;
    }
    if (rule == null) {
      refuse(byRefusal.get(Refusal.NO_MATCHING_RULE), response, method, path, token);
      return;
    }
    if (rule.insufficientScope != null && !rule.grants(jwt.scopes())) {
      refuse(rule.insufficientScope, response, method, path, token);
      return;
    }
    request.setAttribute(VERIFIED_JWT_ATTRIBUTE, jwt);
    chain.doFilter(new AuthenticatedRequest(request, jwt, scopesAsRoles), response);
  }

  /** The decoded, normalised path within the application, as the container dispatches it. */
  static String pathOf(HttpServletRequest request) {
    String servletPath = request.getServletPath();
    String pathInfo = request.getPathInfo();
    String path;
    if (pathInfo == null) {
      path = servletPath == null ? "" : servletPath;
    } else {
      path = servletPath == null || servletPath.isEmpty() ? pathInfo : servletPath + pathInfo;
    }
    return path.isEmpty() ? "/" : path;
  }

  private boolean secure(HttpServletRequest request) {
    if (request.isSecure()) {
      return true;
    }
    if (trustedProxies.length == 0 && !plainHttpOnLoopback) {
      return false;
    }
    String remote = request.getRemoteAddr();
    byte[] address = remote == null ? null : AddressRange.parseLiteral(remote);
    if (address == null) {
      return false;
    }
    for (AddressRange proxy : trustedProxies) {
      if (proxy.contains(address)) {
        Enumeration<String> values = request.getHeaders("X-Forwarded-Proto");
        if (values == null || !values.hasMoreElements()) {
          return false;
        }
        String proto = values.nextElement();
        // One value only: a list means a chain of proxies whose first hop we cannot vouch for.
        return !values.hasMoreElements() && proto != null && proto.trim().equalsIgnoreCase("https");
      }
    }
    // A loopback client, unless a proxy on this host forwarded the request from elsewhere.
    return plainHttpOnLoopback
        && AddressRange.isLoopback(address)
        && request.getHeader("X-Forwarded-For") == null
        && request.getHeader("X-Forwarded-Proto") == null
        && request.getHeader("Forwarded") == null;
  }

  private static boolean moreThanOne(@Nullable Enumeration<String> values) {
    if (values == null || !values.hasMoreElements()) {
      return false;
    }
    values.nextElement();
    return values.hasMoreElements();
  }

  private static boolean isFormPost(HttpServletRequest request, String method) {
    if (!method.equals("POST")) {
      return false;
    }
    String type = request.getContentType();
    String form = "application/x-www-form-urlencoded";
    return type != null
        && type.regionMatches(true, 0, form, 0, form.length())
        && (type.length() == form.length()
            || type.charAt(form.length()) == ';'
            || type.charAt(form.length()) == ' ');
  }

  private static boolean isSafe(String method) {
    return switch (method) {
      case "GET", "HEAD", "OPTIONS", "TRACE" -> true;
      default -> false;
    };
  }

  /**
   * Runs every configured cross-site request check: the {@code Origin} (or else the {@code
   * Referer}) must be an allowed origin; the double-submit header must equal the cookie.
   */
  private boolean crossSiteChecksPass(
      HttpServletRequest request, @Nullable String csrfValue, int csrfCookies) {
    if (!allowedOrigins.isEmpty()) {
      String origin = request.getHeader("Origin");
      if (origin == null) {
        String referer = request.getHeader("Referer");
        origin = referer == null ? null : Origins.ofReferer(referer);
      }
      if (origin == null || !allowedOrigins.contains(origin)) {
        return false;
      }
    }
    if (csrfHeader != null) {
      String header = request.getHeader(csrfHeader);
      if (csrfCookies != 1 || csrfValue == null || csrfValue.isEmpty() || header == null) {
        return false;
      }
      return MessageDigest.isEqual(
          header.getBytes(StandardCharsets.UTF_8), csrfValue.getBytes(StandardCharsets.UTF_8));
    }
    return true;
  }

  private void refuse(
      @Nullable Answer answer,
      HttpServletResponse response,
      String method,
      String path,
      @Nullable String token)
      throws IOException {
    Answer a = Objects.requireNonNull(answer);
    a.write(response);
    if (a.serverSide && log.isInfoEnabled() && a.infoDue()) {
      log.info(
          "bearer token refused: {} {} {} token {} (logged at most once a minute)",
          a.code,
          printable(method),
          printable(path),
          fingerprint(token));
    } else if (log.isDebugEnabled()) {
      log.debug(
          "bearer token refused: {} {} {} token {}",
          a.code,
          printable(method),
          printable(path),
          fingerprint(token));
    }
  }

  private static String fingerprint(@Nullable String token) {
    return token == null ? "-" : JwtValidationException.fingerprintOf(token);
  }

  /** Makes attacker-chosen text safe for one log line: no control characters, bounded length. */
  static String printable(String s) {
    int n = Math.min(s.length(), MAX_LOGGED_PATH);
    StringBuilder sb = new StringBuilder(n + 3);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean control =
          c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029';
      sb.append(control ? '?' : c);
    }
    if (s.length() > n) {
      sb.append("...");
    }
    return sb.toString();
  }

  /**
   * Describes the filter's configuration: realm, rules, token sources and transport, without keys
   * or secrets.
   *
   * @return a description safe to log
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("BearerTokenFilter[realm=").append(realm);
    sb.append(", rules=[");
    for (int i = 0; i < rules.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(rules[i]);
    }
    sb.append("], sources=[header");
    if (tokenCookie != null) {
      sb.append(", cookie ").append(tokenCookie);
    }
    if (formBodyToken) {
      sb.append(", form body");
    }
    sb.append(']');
    if (trustedProxies.length > 0) {
      sb.append(", trustedProxies=").append(Arrays.toString(trustedProxies));
    }
    if (plainHttpOnLoopback) {
      sb.append(", plainHttpOnLoopback");
    }
    return sb.append(']').toString();
  }

  /** A rule as given to the builder. */
  private static final class RuleSpec {
    final String method;
    final PathPattern pattern;
    final Rule.Access access;
    final List<String> scopes;

    RuleSpec(String method, PathPattern pattern, Rule.Access access, List<String> scopes) {
      this.method = method;
      this.pattern = pattern;
      this.access = access;
      this.scopes = scopes;
    }
  }

  /**
   * Configures a {@link BearerTokenFilter}. Rules may be added in any number and are tried in the
   * order given; every other option may be set once. {@link #build()} checks the whole
   * configuration. Not thread-safe; the filter it builds is.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    static final String DEFAULT_REALM = "api";
    static final long DEFAULT_RETRY_AFTER_SECONDS = 30;
    private static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    private final JwtValidator validator;
    private @Nullable String realm;
    private final List<RuleSpec> rules = new ArrayList<>();
    private @Nullable String tokenCookie;
    private boolean formBodyToken;
    private @Nullable Set<String> allowedOrigins;
    private @Nullable String csrfCookie;
    private @Nullable String csrfHeader;
    private @Nullable List<AddressRange> trustedProxies;
    private boolean plainHttpOnLoopback;
    private boolean scopesAsRoles;
    private @Nullable Duration retryAfter;
    private @Nullable Logger log;

    private Builder(JwtValidator validator) {
      this.validator = validator;
    }

    /**
     * Sets the realm named in every {@code WWW-Authenticate} challenge. Default: {@code "api"}.
     *
     * @param realm printable ASCII without {@code "} and {@code \}, for example the API's name
     * @return this builder
     * @throws NullPointerException if {@code realm} is null
     * @throws IllegalArgumentException if {@code realm} is empty or has other characters
     * @throws IllegalStateException if the realm was already set
     * @since 0.1.0
     */
    public Builder realm(String realm) {
      once(this.realm == null, "realm");
      Objects.requireNonNull(realm, "realm");
      if (realm.isEmpty() || !HttpSyntax.isQuotable(realm)) {
        throw new IllegalArgumentException(
            "realm must be non-empty printable ASCII without '\"' and '\\'");
      }
      this.realm = realm;
      return this;
    }

    /**
     * Adds a rule: requests with this method and a path matching the pattern need a valid token
     * that has every one of these scopes, else 403 {@code insufficient_scope}. Rules are tried in
     * the order added; the first match decides. Default: no rules; a request no rule matches is
     * refused with 403.
     *
     * <p>Patterns: literal segments, {@code *} for exactly one segment, and a final {@code **} for
     * any number of segments, none included ({@code /catalog/**} matches {@code /catalog} and
     * everything below it). Paths are matched exactly, case and trailing {@code /} included, after
     * the container decoded and normalised them.
     *
     * @param method an HTTP method, case-sensitive ({@code GET} also covers {@code HEAD}), or
     *     {@code "*"} for any
     * @param pathPattern the path pattern, within the application (without the context path)
     * @param firstScope a required scope
     * @param moreScopes further required scopes
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the method is not an HTTP token, the pattern is not
     *     valid, or a scope is not a valid scope token (RFC 6749 §3.3)
     * @throws IllegalStateException if a rule for this method and pattern was already added
     * @since 0.1.0
     */
    public Builder requireScopes(
        String method, String pathPattern, String firstScope, String... moreScopes) {
      Objects.requireNonNull(firstScope, "firstScope");
      Objects.requireNonNull(moreScopes, "moreScopes");
      Set<String> scopes = new LinkedHashSet<>();
      scopes.add(firstScope);
      for (String s : moreScopes) {
        scopes.add(Objects.requireNonNull(s, "moreScopes[]"));
      }
      for (String s : scopes) {
        if (!HttpSyntax.isScopeToken(s)) {
          throw new IllegalArgumentException(
              "a scope is printable ASCII without spaces, '\"' and '\\': " + s);
        }
      }
      return addRule(method, pathPattern, Rule.Access.SCOPES, List.copyOf(scopes));
    }

    /**
     * Adds a rule: requests with this method and a path matching the pattern need a valid token,
     * whatever its scopes. See {@link #requireScopes} for rule order and patterns; {@code
     * requireToken("*", "/**")} last makes every other request need a token instead of being
     * refused.
     *
     * @param method an HTTP method ({@code GET} also covers {@code HEAD}), or {@code "*"}
     * @param pathPattern the path pattern
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the method or the pattern is not valid
     * @throws IllegalStateException if a rule for this method and pattern was already added
     * @since 0.1.0
     */
    public Builder requireToken(String method, String pathPattern) {
      return addRule(method, pathPattern, Rule.Access.TOKEN, List.of());
    }

    /**
     * Adds a rule: requests with this method and a path matching the pattern pass on untouched,
     * without a token and without any other check of this filter (HTTPS included); the application
     * sees no principal. See {@link #requireScopes} for rule order and patterns.
     *
     * <p><b>Security:</b> a public rule placed before a narrower protected one wins; put exceptions
     * first. Browsers send CORS preflights ({@code OPTIONS}) without credentials: make them public
     * if the API serves other origins.
     *
     * @param method an HTTP method ({@code GET} also covers {@code HEAD}), or {@code "*"}
     * @param pathPattern the path pattern
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the method or the pattern is not valid
     * @throws IllegalStateException if a rule for this method and pattern was already added
     * @since 0.1.0
     */
    public Builder publicPath(String method, String pathPattern) {
      return addRule(method, pathPattern, Rule.Access.PUBLIC, List.of());
    }

    private Builder addRule(
        String method, String pathPattern, Rule.Access access, List<String> scopes) {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(pathPattern, "pathPattern");
      if (!method.equals(Rule.ANY_METHOD) && !HttpSyntax.isToken(method)) {
        throw new IllegalArgumentException("not an HTTP method: " + method);
      }
      PathPattern pattern = PathPattern.compile(pathPattern);
      for (RuleSpec r : rules) {
        if (r.method.equals(method) && r.pattern.toString().equals(pathPattern)) {
          throw new IllegalStateException(
              "a rule for " + method + " " + pathPattern + " was already added");
        }
      }
      rules.add(new RuleSpec(method, pattern, access, scopes));
      return this;
    }

    /**
     * Also reads the token from a cookie, for browser clients. The cookie should be {@code Secure},
     * {@code HttpOnly}, {@code SameSite=Strict} or {@code Lax}, and named with the {@code __Host-}
     * prefix (for example {@code __Host-access_token}), which makes browsers refuse it unless it
     * was set by this host over HTTPS for the whole site. Default: cookies are not read.
     *
     * <p>A cookie is sent by the browser whoever made the page, so this needs a defence against
     * cross-site request forgery: {@link #allowedOrigins} and/or {@link #csrfDoubleSubmit}; {@link
     * #build()} fails without one. The defence runs for state-changing methods (all but {@code
     * GET}, {@code HEAD}, {@code OPTIONS}, {@code TRACE}) when the token came from the cookie. A
     * request with two cookies of this name (one may have been planted by a sibling domain) is
     * refused with 400.
     *
     * @param name the cookie's name, an HTTP token
     * @return this builder
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is not an HTTP token
     * @throws IllegalStateException if the cookie was already set
     * @since 0.1.0
     */
    public Builder tokenCookie(String name) {
      once(tokenCookie == null, "tokenCookie");
      tokenCookie = httpToken(name, "name");
      return this;
    }

    /**
     * Also reads the token from the {@code access_token} parameter of a form body (RFC 6750 §2.2):
     * a {@code POST} with content type {@code application/x-www-form-urlencoded}. Default: off, the
     * body is never read.
     *
     * <p>Reading the parameter makes the container parse the body of such requests; the application
     * then reads the form with {@code getParameter}, not from the input stream.
     *
     * @return this builder
     * @throws IllegalStateException if this was already called
     * @since 0.1.0
     */
    public Builder acceptTokenInFormBody() {
      once(!formBodyToken, "acceptTokenInFormBody");
      formBodyToken = true;
      return this;
    }

    /**
     * Sets the origins whose pages may send state-changing requests with the token cookie: the
     * request's {@code Origin} header (or, when absent, the origin of its {@code Referer}) must be
     * one of them, else 403. A request with neither header is refused. Needs {@link #tokenCookie}.
     * Default: no origin check.
     *
     * @param first an origin, {@code scheme://host[:port]}, for example {@code
     *     "https://app.example.com"}
     * @param more further origins
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if an origin is not an {@code http} or {@code https} origin
     * @throws IllegalStateException if the origins were already set
     * @since 0.1.0
     */
    public Builder allowedOrigins(String first, String... more) {
      once(allowedOrigins == null, "allowedOrigins");
      Objects.requireNonNull(first, "first");
      Objects.requireNonNull(more, "more");
      Set<String> origins = new LinkedHashSet<>();
      origins.add(Origins.normalize(first));
      for (String o : more) {
        origins.add(Origins.normalize(Objects.requireNonNull(o, "more[]")));
      }
      allowedOrigins = origins;
      return this;
    }

    /**
     * Requires a double-submit proof on state-changing requests with the token cookie: a header
     * whose value equals that of a second cookie, which the page's script copies (another site can
     * neither read the cookie nor send the header), else 403. Values are compared in constant time.
     * Needs {@link #tokenCookie}. Default: no double-submit check.
     *
     * <p><b>Security:</b> the proof cookie must not be {@code HttpOnly} (the script reads it), so
     * give it the {@code __Host-} prefix too, or a sibling domain could plant a pair.
     *
     * @param cookieName the cookie that holds the proof, an HTTP token, other than the token cookie
     * @param headerName the header that repeats it, for example {@code "X-CSRF-Token"}
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a name is not an HTTP token
     * @throws IllegalStateException if the double-submit check was already set
     * @since 0.1.0
     */
    public Builder csrfDoubleSubmit(String cookieName, String headerName) {
      once(csrfCookie == null, "csrfDoubleSubmit");
      String cookie = httpToken(cookieName, "cookieName");
      csrfHeader = httpToken(headerName, "headerName");
      csrfCookie = cookie;
      return this;
    }

    /**
     * Trusts {@code X-Forwarded-Proto: https} on plain-HTTP requests that come from these
     * addresses: reverse proxies that terminate TLS. The header must hold exactly one value.
     * Default: no proxy is trusted, and a request is secure only if the container says so ({@link
     * ServletRequest#isSecure()}).
     *
     * <p><b>Security:</b> name only the proxies' own addresses, and make sure they overwrite the
     * header a client sends; anyone else could claim HTTPS with it.
     *
     * @param first an IPv4 or IPv6 address literal or CIDR range, for example {@code "10.0.0.0/8"}
     * @param more further addresses or ranges
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if an address is not a literal (host names are not looked
     *     up) or a range has host bits set
     * @throws IllegalStateException if trusted proxies were already set
     * @since 0.1.0
     */
    public Builder trustForwardedProtoFrom(String first, String... more) {
      once(trustedProxies == null, "trustForwardedProtoFrom");
      Objects.requireNonNull(first, "first");
      Objects.requireNonNull(more, "more");
      List<AddressRange> ranges = new ArrayList<>();
      ranges.add(AddressRange.parse(first));
      for (String m : more) {
        ranges.add(AddressRange.parse(Objects.requireNonNull(m, "more[]")));
      }
      trustedProxies = ranges;
      return this;
    }

    /**
     * Accepts plain-HTTP requests from a loopback address ({@code 127.0.0.0/8}, {@code ::1}) that
     * carry no {@code Forwarded}, {@code X-Forwarded-For} or {@code X-Forwarded-Proto} header. For
     * tests and demos. A loopback address that is also a {@link #trustForwardedProtoFrom trusted
     * proxy} is treated as a proxy: it must send {@code X-Forwarded-Proto: https}. Default: plain
     * HTTP is refused from everywhere.
     *
     * <p><b>Security:</b> do not use it in production behind a proxy on the same host that does not
     * add a forwarding header: every request would look local.
     *
     * @return this builder
     * @throws IllegalStateException if this was already called
     * @since 0.1.0
     */
    public Builder allowPlainHttpOnLoopback() {
      once(!plainHttpOnLoopback, "allowPlainHttpOnLoopback");
      plainHttpOnLoopback = true;
      return this;
    }

    /**
     * Makes {@link HttpServletRequest#isUserInRole(String)} true for each scope of the token, role
     * name equal to scope. Default: the application sees no roles.
     *
     * @return this builder
     * @throws IllegalStateException if this was already called
     * @since 0.1.0
     */
    public Builder scopesAsRoles() {
      once(!scopesAsRoles, "scopesAsRoles");
      scopesAsRoles = true;
      return this;
    }

    /**
     * Sets the {@code Retry-After} sent with 503 when the trusted keys are unavailable. Default: 30
     * seconds.
     *
     * @param delay between 1 second and 1 hour; rounded up to whole seconds
     * @return this builder
     * @throws NullPointerException if {@code delay} is null
     * @throws IllegalArgumentException if {@code delay} is below 1 second or above 1 hour
     * @throws IllegalStateException if the delay was already set
     * @since 0.1.0
     */
    public Builder retryAfter(Duration delay) {
      once(retryAfter == null, "retryAfter");
      Objects.requireNonNull(delay, "delay");
      if (delay.compareTo(Duration.ofSeconds(1)) < 0 || delay.compareTo(MAX_RETRY_AFTER) > 0) {
        throw new IllegalArgumentException("retryAfter must be between 1 second and 1 hour");
      }
      retryAfter = delay;
      return this;
    }

    /** Sends the filter's log lines to this logger instead of the class's; for tests. */
    Builder logger(Logger logger) {
      once(log == null, "logger");
      log = Objects.requireNonNull(logger, "logger");
      return this;
    }

    /**
     * Builds the filter after checking the configuration as a whole.
     *
     * @return an immutable, thread-safe filter, unaffected by later calls on this builder
     * @throws IllegalStateException if no rule was added, the token cookie has no cross-site
     *     request defence, a cross-site request defence has no token cookie, or the double-submit
     *     cookie is the token cookie
     * @since 0.1.0
     */
    public BearerTokenFilter build() {
      if (rules.isEmpty()) {
        throw new IllegalStateException(
            "no rules: add requireScopes(...), requireToken(...) or publicPath(...)");
      }
      boolean defended = allowedOrigins != null || csrfCookie != null;
      if (tokenCookie != null && !defended) {
        throw new IllegalStateException(
            "tokenCookie(...) needs a cross-site request defence: "
                + "allowedOrigins(...) and/or csrfDoubleSubmit(...)");
      }
      if (tokenCookie == null && defended) {
        throw new IllegalStateException(
            "allowedOrigins(...) and csrfDoubleSubmit(...) guard the token cookie: "
                + "set tokenCookie(...) too");
      }
      if (tokenCookie != null && tokenCookie.equals(csrfCookie)) {
        throw new IllegalStateException(
            "csrfDoubleSubmit(...) needs a cookie other than the token cookie");
      }
      return new BearerTokenFilter(this);
    }

    private static String httpToken(String value, String name) {
      Objects.requireNonNull(value, name);
      if (!HttpSyntax.isToken(value)) {
        throw new IllegalArgumentException(name + " must be an HTTP token: " + value);
      }
      return value;
    }

    private static void once(boolean unset, String option) {
      if (!unset) {
        throw new IllegalStateException(option + " was already set");
      }
    }
  }
}
