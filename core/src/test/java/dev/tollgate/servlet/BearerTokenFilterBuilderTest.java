package dev.tollgate.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtValidator;
import dev.tollgate.testing.TestIssuer;
import jakarta.servlet.ServletRequest;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The builder's contract: options once, nulls named, bounds stated, conflicts at build(). */
class BearerTokenFilterBuilderTest {
  private static final JwtValidator VALIDATOR = TestIssuer.create(Algorithm.ES256).validator();

  private static BearerTokenFilter.Builder builder() {
    return BearerTokenFilter.builder(VALIDATOR);
  }

  /** The class javadoc's example, as written there (minus the registration). */
  @Test
  void javadocExample_builds() {
    JwtValidator validator = VALIDATOR;
    BearerTokenFilter filter =
        BearerTokenFilter.builder(validator)
            .realm("catalog")
            .publicPath("GET", "/api/health")
            .requireScopes("GET", "/api/catalog/**", "catalog:read")
            .requireScopes("PUT", "/api/catalog/**", "catalog:write")
            .requireToken("GET", "/api/me")
            .scopesAsRoles()
            .build();

    assertThat(filter.toString())
        .isEqualTo(
            "BearerTokenFilter[realm=catalog, rules=[GET /api/health -> public, GET"
                + " /api/catalog/** -> scopes catalog:read, PUT /api/catalog/** -> scopes"
                + " catalog:write, GET /api/me -> token], sources=[header]]");
  }

  static Stream<Arguments> onceOptions() {
    List<Arguments> out = new ArrayList<>();
    out.add(option("realm", b -> b.realm("a")));
    out.add(option("tokenCookie", b -> b.tokenCookie("c")));
    out.add(option("acceptTokenInFormBody", BearerTokenFilter.Builder::acceptTokenInFormBody));
    out.add(option("allowedOrigins", b -> b.allowedOrigins("https://a.example")));
    out.add(option("csrfDoubleSubmit", b -> b.csrfDoubleSubmit("c2", "X-C")));
    out.add(option("trustForwardedProtoFrom", b -> b.trustForwardedProtoFrom("10.0.0.1")));
    out.add(
        option("allowPlainHttpOnLoopback", BearerTokenFilter.Builder::allowPlainHttpOnLoopback));
    out.add(option("scopesAsRoles", BearerTokenFilter.Builder::scopesAsRoles));
    out.add(option("retryAfter", b -> b.retryAfter(Duration.ofSeconds(5))));
    out.add(option("the same rule", b -> b.requireToken("GET", "/a")));
    return out.stream();
  }

  private static Arguments option(String name, Consumer<BearerTokenFilter.Builder> set) {
    return Arguments.of(name, set);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("onceOptions")
  void optionSetTwice_throwsIllegalState(String name, Consumer<BearerTokenFilter.Builder> set) {
    BearerTokenFilter.Builder b = builder();
    set.accept(b);

    assertThatThrownBy(() -> set.accept(b)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rulesForOtherMethodsOrPatterns_mayBeAdded() {
    BearerTokenFilter.Builder b =
        builder()
            .requireToken("GET", "/a")
            .requireToken("HEAD", "/a")
            .publicPath("*", "/a")
            .requireScopes("GET", "/a/**", "s");

    assertThatThrownBy(() -> b.publicPath("GET", "/a")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void outOfRange_throwsIllegalArgument_statingTheBound() {
    assertThatThrownBy(() -> builder().retryAfter(Duration.ofMillis(999)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 1 second and 1 hour");
    assertThatThrownBy(() -> builder().retryAfter(Duration.ofMinutes(61)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(builder().retryAfter(Duration.ofMillis(1500)).requireToken("*", "/**").build())
        .isNotNull();
    assertThat(builder().retryAfter(Duration.ofSeconds(1)).requireToken("*", "/**").build())
        .isNotNull();
    assertThat(builder().retryAfter(Duration.ofHours(1)).requireToken("*", "/**").build())
        .isNotNull();
  }

  @Test
  void realmAndScopes_edgesOfWhatMayBeQuoted() {
    assertThat(builder().realm("my api ~").requireToken("*", "/**").build().toString())
        .contains("realm=my api ~");
    assertThatThrownBy(() -> builder().requireScopes("GET", "/a", " a"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder().realm("a\u007fb"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void logger_setOnce() {
    BearerTokenFilter.Builder b =
        builder().logger(new RecordingLogger(org.slf4j.event.Level.DEBUG));
    assertThatThrownBy(() -> b.logger(new RecordingLogger(org.slf4j.event.Level.DEBUG)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void invalidValues_throwIllegalArgument() {
    List<Runnable> calls =
        List.of(
            () -> builder().realm(""),
            () -> builder().realm("a\"b"),
            () -> builder().realm("caf\u00e9"),
            () -> builder().requireToken("GE T", "/a"),
            () -> builder().requireToken("", "/a"),
            () -> builder().requireToken("GET", "a"),
            () -> builder().requireToken("GET", "/a/*.json"),
            () -> builder().requireScopes("GET", "/a", "two words"),
            () -> builder().requireScopes("GET", "/a", "ok", "quo\"te"),
            () -> builder().tokenCookie("a=b"),
            () -> builder().csrfDoubleSubmit("c", "X Header"),
            () -> builder().allowedOrigins("https://a.example/path"),
            () -> builder().trustForwardedProtoFrom("proxy.internal"));
    for (Runnable call : calls) {
      assertThat(catchThrowable(call::run)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void build_withoutRules_fails() {
    assertThatThrownBy(() -> builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("requireScopes");
  }

  @Test
  void build_cookieWithoutCsrfDefence_fails() {
    assertThatThrownBy(() -> builder().requireToken("*", "/**").tokenCookie("__Host-t").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("allowedOrigins");
  }

  @Test
  void build_csrfDefenceWithoutCookie_fails() {
    assertThatThrownBy(
            () -> builder().requireToken("*", "/**").allowedOrigins("https://a.example").build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () -> builder().requireToken("*", "/**").csrfDoubleSubmit("c", "X-C").build())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void build_doubleSubmitCookieSameAsTokenCookie_fails() {
    assertThatThrownBy(
            () ->
                builder()
                    .requireToken("*", "/**")
                    .tokenCookie("t")
                    .csrfDoubleSubmit("t", "X-C")
                    .build())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void filter_isUnaffectedByLaterBuilderCalls() {
    BearerTokenFilter.Builder b = builder().requireToken("GET", "/a");
    BearerTokenFilter filter = b.build();
    String before = filter.toString();

    b.requireToken("GET", "/b").realm("other");

    assertThat(filter.toString()).isEqualTo(before).doesNotContain("/b");
  }

  @Test
  void toString_showsConfigurationWithoutSecrets() {
    String s =
        builder()
            .requireToken("*", "/**")
            .tokenCookie("__Host-t")
            .csrfDoubleSubmit("__Host-c", "X-C")
            .acceptTokenInFormBody()
            .trustForwardedProtoFrom("10.0.0.0/8")
            .allowPlainHttpOnLoopback()
            .build()
            .toString();

    assertThat(s)
        .isEqualTo(
            "BearerTokenFilter[realm=api, rules=[* /** -> token], sources=[header, cookie __Host-t,"
                + " form body], trustedProxies=[10.0.0.0/8], plainHttpOnLoopback]");
  }

  // ---------------------------------------------------------------------------------------------
  // Null contract over every public method

  static Stream<Arguments> nonNullParameters() {
    List<Arguments> out = new ArrayList<>();
    for (Method m : publicMethods()) {
      Class<?>[] types = m.getParameterTypes();
      for (int i = 0; i < types.length; i++) {
        if (!types[i].isPrimitive()) {
          out.add(
              Arguments.of(
                  m.getDeclaringClass().getSimpleName() + "." + m.getName() + " #" + i, m, i));
        }
      }
    }
    return out.stream();
  }

  private static List<Method> publicMethods() {
    List<Method> out = new ArrayList<>();
    for (Class<?> c : List.of(BearerTokenFilter.class, BearerTokenFilter.Builder.class)) {
      for (Method m : c.getDeclaredMethods()) {
        if (Modifier.isPublic(m.getModifiers())
            && !m.isSynthetic()
            && !m.getName().equals("doFilter")) {
          out.add(m);
        }
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nonNullParameters")
  void nullArgument_throwsNullPointerNamingIt(String name, Method method, int index) {
    Object receiver = Modifier.isStatic(method.getModifiers()) ? null : builder();
    Class<?>[] types = method.getParameterTypes();
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      args[i] = i == index ? null : sample(types[i]);
    }

    Throwable thrown = catchThrowable(() -> method.invoke(receiver, args));

    assertThat(thrown).as(name).isInstanceOf(InvocationTargetException.class);
    assertThat(thrown.getCause()).as(name).isInstanceOf(NullPointerException.class);
    assertThat(thrown.getCause().getMessage()).as(name).isNotBlank();
  }

  private static Object sample(Class<?> type) {
    if (type == String.class) {
      return "x";
    }
    if (type == String[].class) {
      return new String[] {"x"};
    }
    if (type == Duration.class) {
      return Duration.ofSeconds(10);
    }
    if (type == JwtValidator.class) {
      return VALIDATOR;
    }
    if (type == ServletRequest.class) {
      return new FakeHttp.Request().proxy();
    }
    throw new AssertionError("no sample for " + type);
  }
}
