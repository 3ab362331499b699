package dev.tollgate.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OriginsTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "https://app.example, https://app.example",
    "https://App.Example/, https://app.example",
    "HTTPS://app.example:443, https://app.example",
    "http://app.example:80, http://app.example",
    "https://app.example:8443, https://app.example:8443",
    "http://[::1]:8080, http://[::1]:8080",
    "https://app.example:0, https://app.example:0",
    "https://app.example:80, https://app.example:80",
  })
  void normalize(String configured, String expected) {
    assertThat(Origins.normalize(configured)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "app.example",
        "https://app.example/path",
        "https://app.example?q",
        "https://u@app.example",
        "ftp://app.example",
        "null",
        "https://",
        "https://app.example#f",
        "https://äpp.example"
      })
  void notAnOrigin_isRefused(String configured) {
    assertThatThrownBy(() -> Origins.normalize(configured))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ofReferer() {
    assertThat(Origins.ofReferer("https://app.example/a/b?c=d#e")).isEqualTo("https://app.example");
    assertThat(Origins.ofReferer("https://app.example:443/")).isEqualTo("https://app.example");
    assertThat(Origins.ofReferer("not a url")).isNull();
    assertThat(Origins.ofReferer("/relative")).isNull();
    assertThat(Origins.ofReferer("javascript:alert(1)")).isNull();
    assertThat(Origins.ofReferer("https://app.example/caf\u00e9")).isNull();
    assertThat(Origins.ofReferer("https://app.example/a\u007f")).isNull();
    assertThat(Origins.ofReferer("https://app.example/a b")).isNull();
    assertThat(Origins.ofReferer("https:/path")).isNull();
    assertThat(Origins.ofReferer("//app.example/a")).isNull();
    assertThat(Origins.ofReferer("https://u@app.example/a")).isNull();
    assertThat(Origins.ofReferer("https://app.example")).isEqualTo("https://app.example");
  }
}
