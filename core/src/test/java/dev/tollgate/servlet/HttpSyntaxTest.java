package dev.tollgate.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpSyntaxTest {
  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Bearer abc|abc",
        "bearer abc|abc",
        "BEARER abc|abc",
        "Bearer   abc|abc",
        "Bearer abc  |abc",
        "Bearer a.b-c_d~e+f/g==|a.b-c_d~e+f/g==",
        "Basic dXNlcjpwYXNz|''",
        "Bearerx abc|''",
        "Digest abc|''",
        "Bear abc|''",
        "'Bearer abc  '|abc",
        "'Bearer abc\t'|abc",
        "'Bearer abc \t '|abc",
        "DPoP abc|''",
      })
  void bearerToken_readsTheToken_orEmptyForAnotherScheme(String header, String token) {
    assertThat(HttpSyntax.bearerToken(header)).isEqualTo(token);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Bearer",
        "Bearer ",
        "Bearer  ",
        "Bearer\tabc",
        "Bearer abc def",
        "Bearer a,b",
        "Bearer =abc",
        "Bearer abc=d",
        "Bearer \"abc\"",
        " Bearer abc",
        "Bearer,abc",
        "",
        "Bearer abc\u00e9",
        "Bearer/abc",
        "Bearer ===",
        "Bearer abc\u0080",
        "Bearer\u0080 abc"
      })
  void bearerToken_malformed_isNull(String header) {
    assertThat(HttpSyntax.bearerToken(header)).isNull();
  }

  @Test
  void isB64Token() {
    assertThat(HttpSyntax.isB64Token("eyJ.eyJ.sig")).isTrue();
    assertThat(HttpSyntax.isB64Token("abc==")).isTrue();
    assertThat(HttpSyntax.isB64Token("")).isFalse();
    assertThat(HttpSyntax.isB64Token("=")).isFalse();
    assertThat(HttpSyntax.isB64Token("a b")).isFalse();
    assertThat(HttpSyntax.isB64Token("a=b")).isFalse();
    assertThat(HttpSyntax.isB64Token("a\"b")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "access_token=x",
        "a=1&access_token=x",
        "access_token",
        "access_token=",
        "a=1;access_token=x",
        "%61ccess_token=x",
        "access%5Ftoken=x",
        "access%5ftoken",
        "b&&access_token=1"
      })
  void queryWithAccessToken_isSeen(String query) {
    assertThat(HttpSyntax.queryHasAccessToken(query)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "a=access_token",
        "access_tokens=x",
        "xaccess_token=x",
        "access_token_hint=x",
        "a=%41",
        "%zz=1",
        "ACCESS_TOKEN=x",
        "access_toke%6E%=x",
        "access_tokeN=x",
        "access_tokeN=%41",
        "x%20access_tokenx=1",
        "access_token_hint=x&b=%20"
      })
  void queryWithoutAccessToken_isFine(String query) {
    assertThat(HttpSyntax.queryHasAccessToken(query)).isFalse();
  }

  @Test
  void noQuery_isFine() {
    assertThat(HttpSyntax.queryHasAccessToken(null)).isFalse();
  }

  @Test
  void tokensQuotablesAndScopes() {
    assertThat(HttpSyntax.isToken("GET")).isTrue();
    assertThat(HttpSyntax.isToken("__Host-access")).isTrue();
    assertThat(HttpSyntax.isToken("a b")).isFalse();
    assertThat(HttpSyntax.isToken("a=b")).isFalse();
    assertThat(HttpSyntax.isToken("")).isFalse();
    assertThat(HttpSyntax.isQuotable("the token has expired")).isTrue();
    assertThat(HttpSyntax.isQuotable("a\"b")).isFalse();
    assertThat(HttpSyntax.isQuotable("a\\b")).isFalse();
    assertThat(HttpSyntax.isQuotable("a\nb")).isFalse();
    assertThat(HttpSyntax.isScopeToken("catalog:read")).isTrue();
    assertThat(HttpSyntax.isScopeToken("https://api.example/read")).isTrue();
    assertThat(HttpSyntax.isScopeToken("a b")).isFalse();
    assertThat(HttpSyntax.isScopeToken("")).isFalse();
    assertThat(HttpSyntax.isScopeToken(" a")).isFalse();
    assertThat(HttpSyntax.isQuotable(" ~")).isTrue();
    assertThat(HttpSyntax.isQuotable("\u007f")).isFalse();
    assertThat(HttpSyntax.isToken("caf\u00e9")).isFalse();
    assertThat(HttpSyntax.isToken("\u0080")).isFalse();
    assertThat(HttpSyntax.isB64Token("a\u0080")).isFalse();
  }
}
