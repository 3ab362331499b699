package dev.tollgate.keys;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link HttpGet} against a JDK HTTP server on loopback that answers each path as a test says:
 * which redirects it follows, and how it bounds what it reads.
 */
class HttpGetTest {
  private static final int LIMIT = 1024;
  private static final long FIVE_SECONDS = TimeUnit.SECONDS.toNanos(5);

  /** What a path answers; {@code chunked} sends no Content-Length. */
  private static final class Reply {
    final int status;
    final String location;
    final byte[] body;
    final boolean chunked;

    Reply(int status, String location, byte[] body, boolean chunked) {
      this.status = status;
      this.location = location;
      this.body = body;
      this.chunked = chunked;
    }
  }

  private final Map<String, Reply> replies = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final HttpServer server;
  private final HttpClient client =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  HttpGetTest() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      Reply reply = replies.get(path);
      if (reply == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      if (reply.location != null) {
        exchange.getResponseHeaders().set("Location", reply.location);
      }
      byte[] body = reply.body;
      exchange.sendResponseHeaders(
          reply.status, body.length == 0 ? -1 : reply.chunked ? 0 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        } catch (IOException e) {
          // The client stopped reading.
        }
      }
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private void answer(String path, int status, String body) {
    replies.put(path, new Reply(status, null, body.getBytes(UTF_8), false));
  }

  private void redirect(String path, int status, String location) {
    replies.put(path, new Reply(status, location, new byte[0], false));
  }

  private int requestsTo(String path) {
    AtomicInteger n = requests.get(path);
    return n == null ? 0 : n.get();
  }

  private HttpGet.Answer get(String path, int limit) throws Exception {
    return new HttpGet(client, limit).get(uri(path), System.nanoTime() + FIVE_SECONDS).get();
  }

  /** The failure a GET ends in. */
  private KeyEvents.Failure failure(String path, int limit) {
    Throwable thrown = catchThrowable(() -> get(path, limit));
    assertThat(thrown).as(path).isInstanceOf(ExecutionException.class);
    Throwable t = thrown;
    while (t != null && !(t instanceof FetchException)) {
      t = t.getCause();
    }
    assertThat(t).as("cause of %s", thrown).isInstanceOf(FetchException.class);
    return ((FetchException) t).failure();
  }

  private static String bytes(int n) {
    char[] body = new char[n];
    Arrays.fill(body, ' ');
    body[0] = '{';
    body[n - 1] = '}';
    return new String(body);
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void redirectStatus_followedOnTheSameHost(int status) throws Exception {
    redirect("/a", status, "/b");
    answer("/b", 200, "{}");
    HttpGet.Answer answer = get("/a", LIMIT);
    assertThat(answer.uri()).isEqualTo(uri("/b"));
    assertThat(new String(answer.body(), UTF_8)).isEqualTo("{}");
    assertThat(requestsTo("/a")).isEqualTo(1);
    assertThat(requestsTo("/b")).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {201, 204, 300, 304, 305, 306, 400, 500})
  void otherStatus_withLocation_failsWithoutFollowing(int status) {
    redirect("/a", status, "/b");
    answer("/b", 200, "{}");
    assertThat(failure("/a", LIMIT)).isEqualTo(KeyEvents.Failure.HTTP_STATUS);
    assertThat(requestsTo("/b")).isZero();
  }

  @Test
  void redirectWithoutLocation_failsWithHttpStatus() {
    redirect("/a", 302, null);
    assertThat(failure("/a", LIMIT)).isEqualTo(KeyEvents.Failure.HTTP_STATUS);
  }

  @Test
  void redirects_threeFollowed_aFourthRefused() throws Exception {
    redirect("/r0", 302, "/r1");
    redirect("/r1", 302, "/r2");
    redirect("/r2", 302, "/r3");
    answer("/r3", 200, "{}");
    answer("/r4", 200, "{}");
    assertThat(get("/r0", LIMIT).uri()).isEqualTo(uri("/r3"));

    redirect("/r3", 302, "/r4");
    assertThat(failure("/r0", LIMIT)).isEqualTo(KeyEvents.Failure.REDIRECT);
    assertThat(requestsTo("/r3")).isEqualTo(2);
    assertThat(requestsTo("/r4")).isZero();
  }

  @Test
  void body_ofExactlyTheLimit_read_oneByteMore_refused() throws Exception {
    String exact = bytes(LIMIT);
    String over = bytes(LIMIT + 1);
    replies.put("/declared", new Reply(200, null, exact.getBytes(UTF_8), false));
    replies.put("/streamed", new Reply(200, null, exact.getBytes(UTF_8), true));
    replies.put("/declared-over", new Reply(200, null, over.getBytes(UTF_8), false));
    replies.put("/streamed-over", new Reply(200, null, over.getBytes(UTF_8), true));

    assertThat(get("/declared", LIMIT).body()).hasSize(LIMIT);
    assertThat(get("/streamed", LIMIT).body()).hasSize(LIMIT);
    assertThat(failure("/declared-over", LIMIT)).isEqualTo(KeyEvents.Failure.TOO_LARGE);
    assertThat(failure("/streamed-over", LIMIT)).isEqualTo(KeyEvents.Failure.TOO_LARGE);
  }

  @Test
  void body_largerThanTheBuffersFirstSize_readWhole() throws Exception {
    String big = bytes(100_000);
    replies.put("/big", new Reply(200, null, big.getBytes(UTF_8), true));
    replies.put("/big-declared", new Reply(200, null, big.getBytes(UTF_8), false));
    assertThat(new String(get("/big", 200_000).body(), UTF_8)).isEqualTo(big);
    assertThat(new String(get("/big-declared", 200_000).body(), UTF_8)).isEqualTo(big);
  }

  @Test
  void body_overTheLimit_connectionDroppedInsteadOfReadToTheEnd() throws Exception {
    // 8 MiB, streamed or declared: once the limit is passed the client hangs up, so the server
    // cannot write it all.
    for (boolean declared : new boolean[] {true, false}) {
      java.util.concurrent.CompletableFuture<Boolean> wroteAll =
          new java.util.concurrent.CompletableFuture<>();
      String path = declared ? "/huge-declared" : "/huge-streamed";
      server.createContext(
          path,
          exchange -> {
            try (exchange) {
              byte[] chunk = new byte[64 * 1024];
              int chunks = 128;
              exchange.sendResponseHeaders(200, declared ? (long) chunk.length * chunks : 0);
              try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < chunks; i++) {
                  out.write(chunk);
                }
                wroteAll.complete(true);
              } catch (IOException e) {
                wroteAll.complete(false);
              }
            }
          });
      assertThat(failure(path, LIMIT)).as(path).isEqualTo(KeyEvents.Failure.TOO_LARGE);
      assertThat(wroteAll.get(10, TimeUnit.SECONDS)).as(path).isFalse();
    }
  }

  @Test
  void errorStatus_bodyNeverRead_whateverItsSize() {
    replies.put("/error", new Reply(500, null, bytes(10 * LIMIT).getBytes(UTF_8), false));
    replies.put("/error-streamed", new Reply(500, null, bytes(10 * LIMIT).getBytes(UTF_8), true));
    assertThat(failure("/error", LIMIT)).isEqualTo(KeyEvents.Failure.HTTP_STATUS);
    assertThat(failure("/error-streamed", LIMIT)).isEqualTo(KeyEvents.Failure.HTTP_STATUS);
  }

  @Test
  void deadlinePassed_failsWithTimeoutBeforeAnyRequest() {
    answer("/a", 200, "{}");
    Throwable thrown =
        catchThrowable(
            () -> new HttpGet(client, LIMIT).get(uri("/a"), System.nanoTime() - 1).get());
    assertThat(thrown)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            FetchException.class,
            e -> assertThat(e.failure()).isEqualTo(KeyEvents.Failure.TIMEOUT));
    assertThat(requestsTo("/a")).isZero();
  }
}
