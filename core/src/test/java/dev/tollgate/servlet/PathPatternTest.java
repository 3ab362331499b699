package dev.tollgate.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathPatternTest {
  @ParameterizedTest(name = "{0} ~ {1} -> {2}")
  @CsvSource({
    "/, /, true",
    "/, /a, false",
    "/**, /, true",
    "/**, /a/b/c, true",
    "/a, /a, true",
    "/a, /a/, false",
    "/a, /A, false",
    "/a, /ab, false",
    "/a, /a/b, false",
    "/a/b, /a/b, true",
    "/a/b, /a, false",
    "/a/*, /a/b, true",
    "/a/*, /a/, false",
    "/a/*, /a, false",
    "/a/*, /a/b/c, false",
    "/a/*/c, /a/b/c, true",
    "/a/*/c, /a//c, false",
    "/a/**, /a, true",
    "/a/**, /a/, true",
    "/a/**, /a/b/c, true",
    "/a/**, /ab, false",
    "/a/**, /b/a, false",
    "/a/*/**, /a, false",
    "/a/*/**, /a/b, true",
    "/a/*/**, /a/b/c/d, true",
    "/api/catalog/**, /api/catalog/42, true",
    "/api/catalog/**, /api/catalogue, false",
    "/a, //a, false",
    "'/a b', '/a b', true",
    "/a~b, /a~b, true",
  })
  void matches(String pattern, String path, boolean expected) {
    assertThat(PathPattern.compile(pattern).matches(path)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "a",
        "a/b",
        "/a/",
        "//a",
        "/a//b",
        "/a/./b",
        "/a/..",
        "/**/a",
        "/a*",
        "/*.json",
        "/a/**b",
        "/a\nb",
        "/a\u007fb",
        "/a\u001fb"
      })
  void invalidPattern_isRefused(String pattern) {
    assertThatThrownBy(() -> PathPattern.compile(pattern))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
