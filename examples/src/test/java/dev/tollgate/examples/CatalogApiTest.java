package dev.tollgate.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.Algorithm;
import dev.tollgate.testing.TestIssuer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CatalogApiTest {
  private static final TestIssuer IDP = TestIssuer.create(Algorithm.ES256);
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static CatalogApi api;

  @BeforeAll
  static void start() throws Exception {
    api = CatalogApi.start(IDP.validator());
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
  }

  private static HttpResponse<String> send(String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(api.uri().resolve(path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String token(String subject, String... scopes) {
    return IDP.token().subject(subject).scope(scopes).sign();
  }

  @Test
  void health_withoutToken_answered() throws Exception {
    HttpResponse<String> response = send("GET", "/health", null, null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok\n");
  }

  @Test
  void get_withoutToken_challenged() throws Exception {
    HttpResponse<String> response = send("GET", "/catalog/42", null, null);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"catalog\"");
  }

  @Test
  void get_readScope_seesItemAndCaller() throws Exception {
    HttpResponse<String> response =
        send("GET", "/catalog/42", token("alice", CatalogApi.READ), null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).startsWith("42: ").endsWith("(read by alice)\n");
  }

  @Test
  void get_unknownItem_notFound() throws Exception {
    assertThat(send("GET", "/catalog/7", token("alice", CatalogApi.READ), null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void put_readScopeOnly_refusedWithInsufficientScope() throws Exception {
    HttpResponse<String> response =
        send("PUT", "/catalog/43", token("alice", CatalogApi.READ), "kettle");
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("error=\"insufficient_scope\"")
        .contains("scope=\"write:catalog\"");
  }

  @Test
  void put_writeScope_storesTheItem() throws Exception {
    HttpResponse<String> put = send("PUT", "/catalog/44", token("bob", CatalogApi.WRITE), "kettle");
    assertThat(put.statusCode()).isEqualTo(204);
    HttpResponse<String> get = send("GET", "/catalog/44", token("alice", CatalogApi.READ), null);
    assertThat(get.body()).isEqualTo("44: kettle (read by alice)\n");
  }

  @Test
  void get_expiredToken_refusedWithInvalidToken() throws Exception {
    HttpResponse<String> response = send("GET", "/catalog/42", IDP.expiredToken(), null);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("error=\"invalid_token\"");
  }

  @Test
  void delete_noRule_refused() throws Exception {
    assertThat(send("DELETE", "/catalog/42", token("bob", CatalogApi.WRITE), null).statusCode())
        .isEqualTo(403);
  }
}
