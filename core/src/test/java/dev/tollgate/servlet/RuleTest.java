package dev.tollgate.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleTest {
  private static Rule rule(String method, String... scopes) {
    return new Rule(method, PathPattern.compile("/a"), Rule.Access.SCOPES, scopes, null);
  }

  @Test
  void matches_methodExactly_getAlsoHead_anyForStar() {
    assertThat(rule("*").matches("DELETE", "/a")).isTrue();
    assertThat(rule("*").matches("GET", "/b")).isFalse();
    assertThat(rule("GET").matches("GET", "/a")).isTrue();
    assertThat(rule("GET").matches("HEAD", "/a")).isTrue();
    assertThat(rule("GET").matches("get", "/a")).isFalse();
    assertThat(rule("POST").matches("HEAD", "/a")).isFalse();
    assertThat(rule("POST").matches("GET", "/a")).isFalse();
  }

  @Test
  void grants_onlyWithEveryScope() {
    assertThat(rule("GET", "a", "b").grants(Set.of("a", "b", "c"))).isTrue();
    assertThat(rule("GET", "a", "b").grants(Set.of("a"))).isFalse();
    assertThat(rule("GET").grants(Set.of())).isTrue();
  }

  @Test
  void toString_showsMethodPatternAndAccess() {
    assertThat(rule("GET", "a", "b")).hasToString("GET /a -> scopes a b");
    assertThat(new Rule("*", PathPattern.compile("/a"), Rule.Access.TOKEN, new String[0], null))
        .hasToString("* /a -> token");
    assertThat(new Rule("GET", PathPattern.compile("/"), Rule.Access.PUBLIC, new String[0], null))
        .hasToString("GET / -> public");
  }
}
