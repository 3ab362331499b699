package dev.tollgate.keys;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * One bounded GET of a key set or metadata document: answers other than 200 are failures, a
 * redirect is followed only to the same scheme, host and port (at most {@value #MAX_REDIRECTS}
 * times), and a body larger than the limit is cut off as soon as it is seen to be.
 */
final class HttpGet {
  static final int MAX_REDIRECTS = 3;

  private static final byte[] EMPTY = new byte[0];
  private static final String ACCEPT = "application/jwk-set+json, application/json;q=0.9";

  private final HttpClient client;
  private final int maxBytes;

  HttpGet(HttpClient client, int maxBytes) {
    this.client = client;
    this.maxBytes = maxBytes;
  }

  /** A 200 answer: its body and headers. */
  static final class Answer {
    private final URI uri;
    private final byte[] body;
    private final HttpHeaders headers;

    Answer(URI uri, byte[] body, HttpHeaders headers) {
      this.uri = uri;
      this.body = body;
      this.headers = headers;
    }

    /** The URI that answered, after redirects. */
    URI uri() {
      return uri;
    }

    /** The body; not copied, the caller owns it. */
    byte[] body() {
      return body;
    }

    HttpHeaders headers() {
      return headers;
    }
  }

  /**
   * Reads a URI, following same-origin redirects, all before {@code deadlineNanos} ({@link
   * System#nanoTime()}). Fails with {@link FetchException} or the HTTP client's {@code
   * IOException}s.
   */
  CompletableFuture<Answer> get(URI uri, long deadlineNanos) {
    return get(uri, deadlineNanos, 0);
  }

  private CompletableFuture<Answer> get(URI uri, long deadlineNanos, int hops) {
    long remaining = deadlineNanos - System.nanoTime();
    if (remaining <= 0) {
      return CompletableFuture.failedFuture(
          new FetchException(KeyEvents.Failure.TIMEOUT, "no time left for " + uri));
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofNanos(remaining))
            .header("Accept", ACCEPT)
            .GET()
            .build();
    return client
        .sendAsync(request, this::subscriber)
        .thenCompose(response -> answer(uri, response, deadlineNanos, hops));
  }

  private CompletableFuture<Answer> answer(
      URI uri, HttpResponse<byte[]> response, long deadlineNanos, int hops) {
    int status = response.statusCode();
    if (status == 200) {
      return CompletableFuture.completedFuture(
          new Answer(uri, response.body(), response.headers()));
    }
    if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
      Optional<String> location = response.headers().firstValue("Location");
      if (location.isEmpty()) {
        throw new FetchException(
            KeyEvents.Failure.HTTP_STATUS, "HTTP " + status + " without Location from " + uri);
      }
      URI next;
      try {
        next = uri.resolve(location.get());
      } catch (IllegalArgumentException e) {
        throw new FetchException(KeyEvents.Failure.REDIRECT, "invalid redirect from " + uri);
      }
      if (!UriRules.sameOrigin(uri, next)) {
        throw new FetchException(
            KeyEvents.Failure.REDIRECT,
            "redirect from " + uri + " to another scheme, host or port refused");
      }
      if (hops >= MAX_REDIRECTS) {
        throw new FetchException(
            KeyEvents.Failure.REDIRECT, "more than " + MAX_REDIRECTS + " redirects from " + uri);
      }
      return get(next, deadlineNanos, hops + 1);
    }
    throw new FetchException(KeyEvents.Failure.HTTP_STATUS, "HTTP " + status + " from " + uri);
  }

  private HttpResponse.BodySubscriber<byte[]> subscriber(HttpResponse.ResponseInfo info) {
    if (info.statusCode() != 200) {
      // The body of an error or a redirect is never read: drop the connection instead.
      return new LimitedBody(0, false, false);
    }
    OptionalLong declared = info.headers().firstValueAsLong("Content-Length");
    if (declared.isPresent() && declared.getAsLong() > maxBytes) {
      return new LimitedBody(maxBytes, true, true);
    }
    return new LimitedBody(maxBytes, true, false);
  }

  /**
   * Collects a body up to a limit. Past the limit it cancels the stream and either fails with
   * {@code TOO_LARGE} ({@code failWhenCut}) or completes with nothing.
   */
  static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int limit;
    private final boolean failWhenCut;
    private final boolean cutAtOnce;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.@Nullable Subscription subscription;
    private byte[] buffer = EMPTY;
    private int size;

    LimitedBody(int limit, boolean failWhenCut, boolean cutAtOnce) {
      this.limit = limit;
      this.failWhenCut = failWhenCut;
      this.cutAtOnce = cutAtOnce;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (cutAtOnce) {
        cut(s);
        return;
      }
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      Flow.Subscription s = subscription;
      if (result.isDone() || s == null) {
        return;
      }
      for (ByteBuffer b : items) {
        int n = b.remaining();
        if (n > limit - size) {
          cut(s);
          return;
        }
        if (size + n > buffer.length) {
          int grown = Math.max(size + n, Math.max(8192, 2 * buffer.length));
          buffer = Arrays.copyOf(buffer, Math.min(limit, grown));
        }
        b.get(buffer, size, n);
        size += n;
      }
    }

    private void cut(Flow.Subscription s) {
      s.cancel();
      if (failWhenCut) {
        result.completeExceptionally(
            new FetchException(
                KeyEvents.Failure.TOO_LARGE, "response larger than " + limit + " bytes"));
      } else {
        result.complete(EMPTY);
      }
    }

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      result.complete(size == buffer.length ? buffer : Arrays.copyOf(buffer, size));
    }
  }
}
