package dev.tollgate.servlet;

import dev.tollgate.internal.Json;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One refusal the filter sends, rendered once when the filter is built: status, {@code
 * WWW-Authenticate} challenge, optional {@code Retry-After}, and a small JSON body. Writing it
 * formats nothing.
 */
final class Answer {
  private static final long INFO_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** The stable code that names this refusal in log lines, for example {@code EXPIRED}. */
  final String code;

  /** The HTTP status. */
  final int status;

  /** True when the refusal points at trouble on the server's side, not the client's. */
  final boolean serverSide;

  private final @Nullable String challenge;
  private final @Nullable String retryAfter;
  private final byte[] body;
  private final AtomicLong nextInfoNanos = new AtomicLong(System.nanoTime());

  private Answer(
      String code,
      int status,
      @Nullable String challenge,
      @Nullable String retryAfter,
      byte[] body,
      boolean serverSide) {
    this.code = code;
    this.status = status;
    this.challenge = challenge;
    this.retryAfter = retryAfter;
    this.body = body;
    this.serverSide = serverSide;
  }

  /**
   * A refusal with a {@code Bearer} challenge (RFC 6750 §3). Without an error it is the bare
   * challenge of a request that carried no token, with an empty body.
   */
  static Answer challenge(
      String code,
      int status,
      String realm,
      @Nullable String error,
      @Nullable String description,
      @Nullable String scope) {
    StringBuilder header = new StringBuilder("Bearer realm=\"").append(realm).append('"');
    Map<String, String> json = new LinkedHashMap<>();
    if (error != null) {
      header.append(", error=\"").append(error).append('"');
      json.put("error", error);
    }
    if (description != null) {
      header.append(", error_description=\"").append(description).append('"');
      json.put("error_description", description);
    }
    if (scope != null) {
      header.append(", scope=\"").append(scope).append('"');
      json.put("scope", scope);
    }
    return new Answer(code, status, header.toString(), null, body(json), false);
  }

  /** A refusal without a challenge: the problem is not the token. */
  static Answer plain(
      String code,
      int status,
      String error,
      String description,
      @Nullable String retryAfter,
      boolean serverSide) {
    Map<String, String> json = new LinkedHashMap<>();
    json.put("error", error);
    json.put("error_description", description);
    return new Answer(code, status, null, retryAfter, body(json), serverSide);
  }

  private static byte[] body(Map<String, String> json) {
    return json.isEmpty() ? new byte[0] : Json.write(json).getBytes(StandardCharsets.UTF_8);
  }

  /** Returns this answer marked as pointing at trouble on the server's side (logged at info). */
  Answer asServerSide() {
    return new Answer(code, status, challenge, retryAfter, body, true);
  }

  /** Sends this refusal. */
  void write(HttpServletResponse response) throws IOException {
    response.setStatus(status);
    response.setHeader("Cache-Control", "no-store");
    if (challenge != null) {
      response.setHeader("WWW-Authenticate", challenge);
    }
    if (retryAfter != null) {
      response.setHeader("Retry-After", retryAfter);
    }
    response.setContentLength(body.length);
    if (body.length > 0) {
      response.setContentType("application/json");
      response.getOutputStream().write(body);
    }
  }

  /**
   * Tells whether a server-side refusal should be logged at info now: at most once a minute, so an
   * outage cannot flood the log; the rest go to debug.
   */
  boolean infoDue() {
    long now = System.nanoTime();
    long next = nextInfoNanos.get();
    return now - next >= 0 && nextInfoNanos.compareAndSet(next, now + INFO_INTERVAL_NANOS);
  }

  /** The {@code WWW-Authenticate} value, or {@code null}; for tests. */
  @Nullable String challenge() {
    return challenge;
  }

  /** The body as text; for tests. */
  String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return code + " " + status;
  }
}
