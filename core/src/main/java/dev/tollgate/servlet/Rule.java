package dev.tollgate.servlet;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/** One authorization rule: a method and a path pattern, and what a matching request needs. */
final class Rule {
  /** What a matching request needs. */
  enum Access {
    /** Nothing: the filter passes the request on untouched. */
    PUBLIC,
    /** A valid token. */
    TOKEN,
    /** A valid token with every one of the rule's scopes. */
    SCOPES
  }

  /** The method that matches any method. */
  static final String ANY_METHOD = "*";

  final String method;
  final PathPattern pattern;
  final Access access;
  private final String[] scopes;
  private final boolean anyMethod;
  private final boolean alsoHead;

  /** The refusal for a token without the scopes; {@code null} unless access is SCOPES. */
  final @Nullable Answer insufficientScope;

  Rule(
      String method,
      PathPattern pattern,
      Access access,
      String[] scopes,
      @Nullable Answer insufficientScope) {
    this.method = method;
    this.pattern = pattern;
    this.access = access;
    this.scopes = scopes.clone();
    this.anyMethod = method.equals(ANY_METHOD);
    this.alsoHead = method.equals("GET");
    this.insufficientScope = insufficientScope;
  }

  /** Tells whether a request's method and path fall under this rule. A GET rule covers HEAD. */
  boolean matches(String requestMethod, String path) {
    boolean methodMatches =
        anyMethod || method.equals(requestMethod) || (alsoHead && requestMethod.equals("HEAD"));
    return methodMatches && pattern.matches(path);
  }

  /** Tells whether granted scopes include every scope this rule requires. */
  boolean grants(Set<String> granted) {
    for (String s : scopes) {
      if (!granted.contains(s)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(method).append(' ').append(pattern).append(" -> ");
    return switch (access) {
      case PUBLIC -> sb.append("public").toString();
      case TOKEN -> sb.append("token").toString();
      case SCOPES -> sb.append("scopes ").append(String.join(" ", scopes)).toString();
    };
  }
}
