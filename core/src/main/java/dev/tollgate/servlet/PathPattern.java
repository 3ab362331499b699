package dev.tollgate.servlet;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A path pattern, compiled once: literal segments, {@code *} for exactly one non-empty segment, and
 * a final {@code **} for any number of segments (none included). {@code /} alone matches the root.
 * Matching walks the path once, without allocating or backtracking.
 *
 * <p>Patterns match the decoded, normalised path within the application ({@code servletPath +
 * pathInfo}), the path the container dispatches on, so {@code ..} segments and percent-encodings
 * are already resolved.
 */
final class PathPattern {
  private final String text;
  private final String[] segments;
  private final boolean[] wildcard;
  private final boolean rest;

  private PathPattern(String text, List<String> segments, boolean rest) {
    this.text = text;
    this.segments = segments.toArray(new String[0]);
    this.wildcard = new boolean[this.segments.length];
    for (int i = 0; i < this.segments.length; i++) {
      wildcard[i] = this.segments[i].equals("*");
    }
    this.rest = rest;
  }

  /**
   * Compiles a pattern.
   *
   * @throws IllegalArgumentException if the pattern does not start with {@code /}, has an empty,
   *     {@code .} or {@code ..} segment, a {@code *} inside a segment, {@code **} before the end,
   *     or a control character
   */
  static PathPattern compile(String pattern) {
    Objects.requireNonNull(pattern, "pathPattern");
    if (!pattern.startsWith("/")) {
      throw new IllegalArgumentException("a path pattern must start with '/': " + pattern);
    }
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException("a path pattern must not contain control characters");
      }
    }
    List<String> segments = new ArrayList<>();
    if (pattern.equals("/")) {
      return new PathPattern(pattern, segments, false);
    }
    boolean rest = false;
    int start = 1;
    while (start <= pattern.length()) {
      int end = pattern.indexOf('/', start);
      if (end < 0) {
        end = pattern.length();
      }
      String segment = pattern.substring(start, end);
      boolean last = end == pattern.length();
      if (segment.equals("**")) {
        if (!last) {
          throw new IllegalArgumentException("'**' may only end a path pattern: " + pattern);
        }
        rest = true;
      } else if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException(
            "a path pattern must not have an empty, '.' or '..' segment: " + pattern);
      } else if (segment.indexOf('*') >= 0 && !segment.equals("*")) {
        throw new IllegalArgumentException(
            "'*' must be a whole segment (partial wildcards are not supported): " + pattern);
      } else {
        segments.add(segment);
      }
      start = end + 1;
    }
    return new PathPattern(pattern, segments, rest);
  }

  /** Tells whether a path ({@code /}-separated, starting with {@code /}) matches. */
  boolean matches(String path) {
    int length = path.length();
    int pos = 0;
    for (int i = 0; i < segments.length; i++) {
      if (pos >= length) {
        return false;
      }
      int start = pos + 1;
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = length;
      }
      if (wildcard[i]) {
        if (end == start) {
          return false;
        }
      } else {
        String segment = segments[i];
        if (end - start != segment.length() || !path.startsWith(segment, start)) {
          return false;
        }
      }
      pos = end;
    }
    if (rest) {
      return true;
    }
    return segments.length == 0 ? length <= 1 : pos == length;
  }

  @Override
  public String toString() {
    return text;
  }
}
