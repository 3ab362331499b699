package dev.tollgate.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tollgate.Algorithm;
import dev.tollgate.testing.JwksServer;
import dev.tollgate.testing.TestIssuer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of {@link RemoteJwks.Builder}; a loopback server shows that building reads nothing. */
class RemoteJwksBuilderTest {
  private static final URI HTTPS = URI.create("https://idp.example.com/jwks");
  private static final TestIssuer IDP = TestIssuer.create(Algorithm.ES256);

  private final JwksServer server = JwksServer.start(IDP);

  @AfterEach
  void stop() {
    server.close();
  }

  private static RemoteJwks.Builder builder() {
    return RemoteJwks.builder(HTTPS);
  }

  // ---- each option once ----

  static Stream<Arguments> options() {
    List<Arguments> out = new ArrayList<>();
    add(out, "refreshInterval", b -> b.refreshInterval(Duration.ofMinutes(1)));
    add(out, "unknownKidCooldown", b -> b.unknownKidCooldown(Duration.ofSeconds(10)));
    add(out, "staleIfError", b -> b.staleIfError(Duration.ofHours(1)));
    add(out, "connectTimeout", b -> b.connectTimeout(Duration.ofSeconds(1)));
    add(out, "readTimeout", b -> b.readTimeout(Duration.ofSeconds(1)));
    add(out, "maxResponseBytes", b -> b.maxResponseBytes(4096));
    add(out, "allowPlainHttpOnLoopback", RemoteJwks.Builder::allowPlainHttpOnLoopback);
    add(out, "httpClient", b -> b.httpClient(HttpClient.newHttpClient()));
    add(out, "clock", b -> b.clock(Clock.systemUTC()));
    add(out, "prefetch", RemoteJwks.Builder::prefetch);
    add(out, "refreshAhead", RemoteJwks.Builder::refreshAhead);
    add(
        out,
        "oauthAuthorizationServerMetadata",
        RemoteJwks.Builder::oauthAuthorizationServerMetadata);
    add(out, "initialKeySet", b -> b.initialKeySet(IDP.jwks()));
    add(out, "listener", b -> b.listener(new KeyEvents() {}));
    return out.stream();
  }

  private static void add(List<Arguments> out, String name, Consumer<RemoteJwks.Builder> set) {
    out.add(Arguments.of(name, set));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("options")
  void option_setTwice_throwsIllegalState(String name, Consumer<RemoteJwks.Builder> set) {
    RemoteJwks.Builder b = builder();
    set.accept(b);
    assertThatThrownBy(() -> set.accept(b))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(name);
  }

  @Test
  void everyBuilderOption_isCoveredByTheSetTwiceTest() {
    List<String> covered = options().map(a -> (String) a.get()[0]).toList();
    for (Method m : RemoteJwks.Builder.class.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers()) && !m.getName().equals("build")) {
        assertThat(covered).as("set-twice test").contains(m.getName());
      }
    }
  }

  // ---- ranges ----

  @Test
  void ranges_outOfBounds_throwIllegalArgumentNamingTheBound() {
    assertBound(b -> b.refreshInterval(Duration.ofMillis(999)), "between 1 second and 24 hours");
    assertBound(b -> b.refreshInterval(Duration.ofHours(25)), "between 1 second and 24 hours");
    assertBound(b -> b.unknownKidCooldown(Duration.ofMillis(99)), "between 100 ms and 1 hour");
    assertBound(b -> b.unknownKidCooldown(Duration.ofMinutes(61)), "between 100 ms and 1 hour");
    assertBound(b -> b.staleIfError(Duration.ofSeconds(-1)), "between zero and 7 days");
    assertBound(b -> b.staleIfError(Duration.ofDays(8)), "between zero and 7 days");
    assertBound(b -> b.connectTimeout(Duration.ZERO), "at most 1 minute");
    assertBound(b -> b.readTimeout(Duration.ofSeconds(61)), "at most 1 minute");
    assertBound(b -> b.maxResponseBytes(1023), "between 1024 and 16777216");
    assertBound(b -> b.maxResponseBytes(16 * 1024 * 1024 + 1), "between 1024 and 16777216");
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void ranges_messagesStateTheBoundsExactly() {
    assertMessage(
        b -> b.refreshInterval(Duration.ZERO), "interval must be between 1 second and 24 hours");
    assertMessage(
        b -> b.unknownKidCooldown(Duration.ZERO), "cooldown must be between 100 ms and 1 hour");
    assertMessage(
        b -> b.staleIfError(Duration.ofDays(8)), "window must be between zero and 7 days");
    assertMessage(
        b -> b.connectTimeout(Duration.ofSeconds(-1)),
        "timeout must be more than zero and at most 1 minute");
    assertMessage(
        b -> b.readTimeout(Duration.ofNanos(-1)),
        "timeout must be more than zero and at most 1 minute");
  }

  private static void assertMessage(Consumer<RemoteJwks.Builder> set, String message) {
    assertThatThrownBy(() -> set.accept(builder()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  private static void assertBound(Consumer<RemoteJwks.Builder> set, String bound) {
    assertThatThrownBy(() -> set.accept(builder()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(bound);
  }

  @Test
  void ranges_atTheBounds_accepted() {
    assertThatCode(
            () ->
                builder()
                    .refreshInterval(Duration.ofSeconds(1))
                    .unknownKidCooldown(Duration.ofMillis(100))
                    .staleIfError(Duration.ZERO)
                    .connectTimeout(Duration.ofMinutes(1))
                    .readTimeout(Duration.ofNanos(1))
                    .maxResponseBytes(1024)
                    .build())
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                builder()
                    .refreshInterval(Duration.ofHours(24))
                    .unknownKidCooldown(Duration.ofHours(1))
                    .staleIfError(Duration.ofDays(7))
                    .maxResponseBytes(16 * 1024 * 1024)
                    .build())
        .doesNotThrowAnyException();
  }

  // ---- URIs ----

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://idp.example.com/jwks",
        "http://10.0.0.1/jwks",
        "http://127.0.0.1.example.com/jwks",
        "ftp://idp.example.com/jwks",
        "file:///etc/jwks.json",
        "/jwks",
        "https:///jwks",
        "https://user:secret@idp.example.com/jwks",
        "https://idp.example.com/jwks#keys",
        "mailto:idp@example.com"
      })
  void builder_unacceptableUri_throwsIllegalArgument(String uri) {
    assertThatThrownBy(() -> RemoteJwks.builder(URI.create(uri)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("jwksUri ");
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      value = {
        "/jwks | jwksUri must be an absolute https URI",
        "jwks | jwksUri must be an absolute https URI",
        "mailto:idp@example.com | jwksUri must be an absolute https URI",
        "ftp://idp.example.com/jwks | jwksUri must use https",
        "https:///jwks | jwksUri has no host",
        "https:/jwks | jwksUri has no host",
        "https://user:secret@idp.example.com/jwks | jwksUri must not hold credentials",
        "https://idp.example.com/jwks#keys | jwksUri must not have a fragment",
        "http://idp.example.com/jwks | jwksUri uses plain http to a host that is not loopback;"
            + " use https"
      })
  void builder_unacceptableUri_messageSaysWhy(String uri, String message) {
    assertThatThrownBy(() -> RemoteJwks.builder(URI.create(uri)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void fromIssuer_messageSaysWhy() {
    assertThatThrownBy(() -> RemoteJwks.fromIssuer("https://idp.example.com/?tenant=a"))
        .hasMessage("issuer must not have a query");
    assertThatThrownBy(() -> RemoteJwks.fromIssuer("http://idp.example.com/?tenant=a"))
        .hasMessage("issuer uses plain http to a host that is not loopback; use https");
    assertThatThrownBy(() -> RemoteJwks.fromIssuer("idp.example.com"))
        .hasMessage("issuer must be an absolute https URI");
  }

  @Test
  void build_plainHttpNotAllowed_messageNamesWhatWasGiven() {
    assertThatThrownBy(() -> RemoteJwks.builder(server.jwksUri()).build())
        .hasMessage(
            "jwksUri uses plain http; use https, or allowPlainHttpOnLoopback() for a test server");
    assertThatThrownBy(() -> RemoteJwks.fromIssuer(server.issuerUri().toString()).build())
        .hasMessage(
            "issuer uses plain http; use https, or allowPlainHttpOnLoopback() for a test server");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://idp.example.com/",
        "https://idp.example.com/?tenant=a",
        "https://idp.example.com/#x",
        "idp.example.com",
        "https://idp example.com/",
        ""
      })
  void fromIssuer_unacceptableIssuer_throwsIllegalArgument(String issuer) {
    assertThatThrownBy(() -> RemoteJwks.fromIssuer(issuer))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("issuer ");
  }

  @Test
  void plainHttpToLoopback_refusedUnlessAllowed() {
    assertThatThrownBy(() -> RemoteJwks.builder(server.jwksUri()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("allowPlainHttpOnLoopback()");
    assertThatThrownBy(() -> RemoteJwks.fromIssuer(server.issuerUri().toString()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("allowPlainHttpOnLoopback()");
    for (String loopback :
        new String[] {"http://localhost:1/jwks", "http://127.0.0.2/jwks", "http://[::1]:1/jwks"}) {
      assertThatCode(
              () -> RemoteJwks.builder(URI.create(loopback)).allowPlainHttpOnLoopback().build())
          .as(loopback)
          .doesNotThrowAnyException();
    }
    assertThat(server.requestCount()).isZero();
  }

  // ---- conflicts and other checks ----

  @Test
  void httpClient_thatFollowsRedirects_refused() {
    HttpClient follows =
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    assertThatThrownBy(() -> builder().httpClient(follows))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Redirect.NEVER");
  }

  @Test
  void httpClient_withConnectTimeout_conflictsInBuild() {
    RemoteJwks.Builder b =
        builder().httpClient(HttpClient.newHttpClient()).connectTimeout(Duration.ofSeconds(1));
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("connectTimeout");
  }

  @Test
  void httpClient_ofTheUser_isUsed() {
    HttpClient own = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    RemoteJwks keys =
        RemoteJwks.builder(server.jwksUri())
            .allowPlainHttpOnLoopback()
            .httpClient(own)
            .prefetch()
            .build();
    assertThat(keys.keySetJson()).isPresent();
    assertThat(server.requestCount("/jwks")).isEqualTo(1);
  }

  @Test
  void httpClient_ofTheUser_isTheOnlyOneUsed() throws Exception {
    // The user's client sends everything through a proxy that is not there: nothing arrives.
    int closedPort;
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    HttpClient viaMissingProxy =
        HttpClient.newBuilder()
            .proxy(
                java.net.ProxySelector.of(
                    new java.net.InetSocketAddress(
                        java.net.InetAddress.getLoopbackAddress(), closedPort)))
            .build();
    RemoteJwks keys =
        RemoteJwks.builder(server.jwksUri())
            .allowPlainHttpOnLoopback()
            .httpClient(viaMissingProxy)
            .prefetch()
            .build();
    assertThat(keys.keySetJson()).isEmpty();
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void oauthAuthorizationServerMetadata_withoutIssuer_conflictsInBuild() {
    RemoteJwks.Builder b = builder().oauthAuthorizationServerMetadata();
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fromIssuer");
  }

  @Test
  void initialKeySet_withoutAUsableKey_refused() throws Exception {
    assertThatThrownBy(() -> builder().initialKeySet("<html>"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("initialKeySet: ");
    String secretOnly = TestIssuer.create(Algorithm.HS256).jwks();
    assertThatThrownBy(() -> builder().initialKeySet(secretOnly))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("symmetric");
  }

  @Test
  void build_withoutPrefetch_readsNothing() {
    RemoteJwks keys = RemoteJwks.builder(server.jwksUri()).allowPlainHttpOnLoopback().build();
    RemoteJwks discovered =
        RemoteJwks.fromIssuer(server.issuerUri().toString()).allowPlainHttpOnLoopback().build();
    assertThat(keys.keySetAge()).isEmpty();
    assertThat(keys.lastRefresh()).isEmpty();
    assertThat(keys.keySetJson()).isEmpty();
    assertThat(discovered.toString()).contains("issuer=" + server.issuerUri());
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void build_isUnaffectedByLaterBuilderCalls() {
    RemoteJwks.Builder b = RemoteJwks.builder(server.jwksUri()).allowPlainHttpOnLoopback();
    RemoteJwks first = b.build();
    b.initialKeySet(IDP.jwks());
    assertThat(first.keySetJson()).isEmpty();
    assertThat(b.build().keySetJson()).isPresent();
    assertThat(server.requestCount()).isZero();
  }

  // ---- null contract ----

  static Stream<Arguments> nonNullParameters() {
    List<Arguments> out = new ArrayList<>();
    for (Class<?> c : List.of(RemoteJwks.class, RemoteJwks.Builder.class)) {
      for (Method m : c.getDeclaredMethods()) {
        if (!Modifier.isPublic(m.getModifiers()) || m.isSynthetic()) {
          continue;
        }
        Class<?>[] types = m.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
          if (!types[i].isPrimitive()) {
            out.add(Arguments.of(c.getSimpleName() + "." + m.getName() + " #" + i, m, i));
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nonNullParameters")
  void nullArgument_throwsNullPointerNamingIt(String name, Method method, int index)
      throws Exception {
    Object receiver =
        Modifier.isStatic(method.getModifiers())
            ? null
            : method.getDeclaringClass() == RemoteJwks.class ? builder().build() : builder();
    @Nullable Object[] args = new Object[method.getParameterCount()];
    Throwable thrown = catchThrowable(() -> method.invoke(receiver, args));
    assertThat(thrown).as(name).isInstanceOf(InvocationTargetException.class);
    assertThat(thrown.getCause()).as(name).isInstanceOf(NullPointerException.class);
    assertThat(thrown.getCause().getMessage()).as(name).isNotBlank();
  }
}
