package dev.tollgate.examples;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtValidator;
import dev.tollgate.keys.RemoteJwks;
import dev.tollgate.testing.JwksServer;
import dev.tollgate.testing.TestIssuer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo: a throwaway identity provider and a catalog API behind {@code BearerTokenFilter}, both
 * on this machine, and a walkthrough of real HTTP requests against them, good and deliberately bad.
 * Each line says what was sent (never the token itself) and what came back; the exit code is 0 only
 * when every answer was the expected one.
 *
 * <p>With {@code --serve} it keeps both running until Ctrl-C and prints {@code curl} commands to
 * try by hand.
 */
public final class Demo {
  static final String AUDIENCE = "catalog-api";
  static final String ITEM = "/catalog/42";

  private Demo() {}

  /**
   * Runs the walkthrough, or with {@code --serve} serves until Ctrl-C.
   *
   * @param args nothing, or {@code --serve}
   */
  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    int status;
    try {
      if (args.length == 0) {
        status = run(out) == 0 ? 0 : 1;
      } else if (Arrays.asList(args).equals(List.of("--serve"))) {
        serve(out);
        status = 0;
      } else {
        out.println("usage: java -jar tollgate-demo.jar [--serve]");
        status = 2;
      }
    } catch (Exception e) {
      e.printStackTrace();
      status = 2;
    }
    System.exit(status);
  }

  // ---------------------------------------------------------------------------------------------
  // The running parts

  /** The identity provider, the API in front of it, and the metrics of its validator. */
  static final class Setup implements AutoCloseable {
    final JwksServer idpServer;
    final RemoteJwks keys;
    final CatalogApi api;
    final MicrometerMetrics metrics;
    private volatile TestIssuer idp;

    private Setup(
        JwksServer idpServer,
        TestIssuer idp,
        RemoteJwks keys,
        CatalogApi api,
        MicrometerMetrics metrics) {
      this.idpServer = idpServer;
      this.idp = idp;
      this.keys = keys;
      this.api = api;
      this.metrics = metrics;
    }

    /** Starts the identity provider and the API, each on a free port of 127.0.0.1. */
    static Setup start() throws Exception {
      JwksServer idpServer = JwksServer.start();
      try {
        TestIssuer idp =
            TestIssuer.builder()
                .algorithm(Algorithm.RS256)
                .issuer(idpServer.issuerUri().toString())
                .audience(AUDIENCE)
                .build();
        idpServer.publish(idp); // discovery document and JWKS
        MicrometerMetrics metrics = new MicrometerMetrics(new SimpleMeterRegistry());

        RemoteJwks keys =
            RemoteJwks.fromIssuer(idp.issuer())
                .allowPlainHttpOnLoopback() // the demo's issuer is http://127.0.0.1
                .listener(metrics)
                .build();
        JwtValidator validator =
            JwtValidator.builder()
                .algorithms(Algorithm.RS256)
                .issuer(idp.issuer())
                .audience(AUDIENCE)
                .keys(keys)
                .maxTokenLength(4096)
                .listener(metrics)
                .build();
        metrics.watch(keys);
        return new Setup(idpServer, idp, keys, CatalogApi.start(validator), metrics);
      } catch (Exception | Error e) {
        idpServer.close();
        throw e;
      }
    }

    /** The issuer as it is now: after {@link #rotateKey()}, the one with the new key. */
    TestIssuer idp() {
      return idp;
    }

    /** The identity provider rotates its signing key and publishes the old and the new key. */
    void rotateKey() {
      TestIssuer next = idp.rotate();
      idpServer.publish(next);
      idp = next;
    }

    @Override
    public void close() {
      try {
        api.close();
      } finally {
        idpServer.close();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The walkthrough

  /**
   * Starts everything, runs the walkthrough, prints one line per step, and stops everything.
   *
   * @param out where to print
   * @return how many steps gave an unexpected answer
   * @throws Exception if the servers cannot start or a request cannot be sent
   */
  public static int run(PrintStream out) throws Exception {
    try (Setup setup = Setup.start()) {
      return new Walkthrough(setup, out).run();
    }
  }

  /** How a request carries its token: in the {@code Authorization} header, the query, or not. */
  private record Sent(String header, String query) {
    static final Sent NOTHING = new Sent(null, null);

    static Sent bearer(String token) {
      return new Sent(token, null);
    }

    static Sent inQuery(String token) {
      return new Sent(null, token);
    }
  }

  /** What came back: the status and the {@code WWW-Authenticate} error code and description. */
  private record Answer(int status, String error, String description) {
    private static final Pattern ERROR = Pattern.compile("error=\"([^\"]*)\"");
    private static final Pattern DESCRIPTION = Pattern.compile("error_description=\"([^\"]*)\"");

    static Answer of(HttpResponse<?> response) {
      String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
      return new Answer(
          response.statusCode(), find(ERROR, challenge), find(DESCRIPTION, challenge));
    }

    private static String find(Pattern p, String text) {
      Matcher m = p.matcher(text);
      return m.find() ? m.group(1) : null;
    }

    /** The status and error code, the part that is checked: {@code 401 invalid_token}. */
    String code() {
      return error == null ? Integer.toString(status) : status + " " + error;
    }

    String shown() {
      return description == null ? code() : code() + " (" + description + ")";
    }
  }

  private static final class Walkthrough {
    private final Setup setup;
    private final PrintStream out;
    private final URI api;
    private final HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private int steps;
    private int failures;

    Walkthrough(Setup setup, PrintStream out) {
      this.setup = setup;
      this.out = out;
      this.api = setup.api.uri();
    }

    int run() throws IOException, InterruptedException {
      out.println(
          "Tollgate demo: a catalog API behind BearerTokenFilter, and an identity provider.");
      out.println(
          "  identity provider " + setup.idp().issuer() + " (test issuer, RS256; publishes");
      out.println("                    its discovery document and JWKS)");
      out.println("  catalog API       " + api + " (Jetty 12; its validator found the keys");
      out.println(
          "                    through discovery; GET needs read:catalog, PUT write:catalog)");
      out.println("  Both speak plain HTTP on 127.0.0.1, allowed here by name for the demo;");
      out.println("  a real deployment uses HTTPS for both.");
      out.println("  Tokens are never printed: each line describes the token sent.");
      out.println();

      TestIssuer idp = setup.idp();
      String read = CatalogApi.READ;
      String write = CatalogApi.WRITE;

      section("Access rules");
      expect("GET", "/health", "no token (a public path)", Sent.NOTHING, "200");
      expect("GET", ITEM, "no token", Sent.NOTHING, "401");
      expect(
          "GET", ITEM, "valid token, scope read:catalog", bearer(idp.token().scope(read)), "200");
      expect(
          "GET",
          ITEM,
          "valid token without scopes",
          Sent.bearer(idp.validToken()),
          "403 insufficient_scope");
      expect(
          "PUT",
          ITEM,
          "valid token, scope read:catalog only",
          bearer(idp.token().scope(read)),
          "403 insufficient_scope");
      expect(
          "PUT", ITEM, "valid token, scope write:catalog", bearer(idp.token().scope(write)), "204");
      expect(
          "GET",
          ITEM,
          "valid token in the URL (?access_token=)",
          Sent.inQuery(idp.token().scope(read).sign()),
          "400 invalid_request");

      section("Tokens that must be refused (each has scope read:catalog unless said)");
      String invalid = "401 invalid_token";
      expect("GET", ITEM, "expired token", Sent.bearer(idp.expiredToken()), invalid);
      expect(
          "GET", ITEM, "token not valid yet (nbf)", Sent.bearer(idp.notYetValidToken()), invalid);
      expect("GET", ITEM, "token of another issuer", Sent.bearer(idp.wrongIssuerToken()), invalid);
      expect(
          "GET",
          ITEM,
          "token for another audience",
          Sent.bearer(idp.wrongAudienceToken()),
          invalid);
      expect("GET", ITEM, "alg: none, no signature", Sent.bearer(idp.unsignedToken()), invalid);
      expect(
          "GET",
          ITEM,
          "HS256 keyed with the RSA public key",
          Sent.bearer(idp.hmacConfusionToken()),
          invalid);
      expect(
          "GET",
          ITEM,
          "signature altered by one bit",
          Sent.bearer(idp.alteredSignatureToken()),
          invalid);
      expect(
          "GET",
          ITEM,
          "signed by an unpublished key",
          Sent.bearer(idp.signedByAnotherKeyToken()),
          invalid);
      expect("GET", ITEM, "unknown critical header (crit)", Sent.bearer(idp.critToken()), invalid);
      expect(
          "GET",
          ITEM,
          "5000 characters, over the 4096 limit",
          Sent.bearer(idp.oversizedToken(5000)),
          invalid);
      expect("GET", ITEM, "not a JWT at all", Sent.bearer("hello.world"), invalid);

      section("The issuer rotates its signing key; the API is not restarted");
      int fetches = setup.idpServer.requestCount("/jwks");
      TestIssuer before = idp;
      setup.rotateKey();
      idp = setup.idp();
      expect("GET", ITEM, "token signed by the new key", bearer(idp.token().scope(read)), "200");
      note(
          "the API fetched the key set again on meeting the new key id: "
              + plural(setup.idpServer.requestCount("/jwks") - fetches, "fetch"));
      expect(
          "GET",
          ITEM,
          "token of the old key (still published)",
          bearer(before.token().scope(read)),
          "200");

      section("Attacks on key selection");
      expect(
          "GET",
          ITEM,
          "attacker's key in the jwk header",
          Sent.bearer(idp.embeddedJwkToken()),
          invalid);
      expect(
          "GET", ITEM, "jku header pointing at the attacker", Sent.bearer(idp.jkuToken()), invalid);
      expect("GET", ITEM, "attacker's certificate in x5c", Sent.bearer(idp.x5cToken()), invalid);
      expect(
          "GET",
          ITEM,
          "kid ../../dev/null, HS256, zero key",
          Sent.bearer(
              idp.token()
                  .scope(read)
                  .algorithm(Algorithm.HS256)
                  .keyId("../../dev/null")
                  .signWith(new byte[32])),
          invalid);
      flood(idp, 20);

      out.println();
      out.printf("%d of %d steps as expected%n", steps - failures, steps);
      out.println("metrics (Micrometer): " + setup.metrics.summary());
      out.println("  refusals by reason: " + setup.metrics.refusalsByReason());
      out.printf(
          "the identity provider served discovery %s and the key set %s%n",
          plural(setup.idpServer.requestCount("/.well-known/openid-configuration"), "time"),
          plural(setup.idpServer.requestCount("/jwks"), "time"));
      return failures;
    }

    /**
     * Sends tokens with made-up key ids: all refused, and the key set is fetched at most once for
     * all of them, however many there are (one refresh per cool-down for unknown key ids).
     */
    private void flood(TestIssuer idp, int count) throws IOException, InterruptedException {
      int fetches = setup.idpServer.requestCount("/jwks");
      int refused = 0;
      for (int i = 0; i < count; i++) {
        String token = idp.token().scope(CatalogApi.READ).keyId("made-up-" + i).sign();
        Answer a = send("GET", ITEM, Sent.bearer(token));
        refused += a.code().equals("401 invalid_token") ? 1 : 0;
      }
      int more = setup.idpServer.requestCount("/jwks") - fetches;
      boolean ok = refused == count && more <= 1;
      line(
          ok,
          "GET",
          ITEM,
          count + " tokens with made-up key ids",
          refused + " × 401 invalid_token; key set fetched " + plural(more, "more time"),
          "every one refused, at most one fetch");
    }

    private static Sent bearer(dev.tollgate.testing.TokenBuilder token) {
      return Sent.bearer(token.sign());
    }

    private void section(String title) {
      out.println("-- " + title);
    }

    private void note(String text) {
      out.println("     " + text);
    }

    private void expect(String method, String path, String what, Sent sent, String expected)
        throws IOException, InterruptedException {
      Answer answer = send(method, path, sent);
      line(answer.code().equals(expected), method, path, what, answer.shown(), expected);
    }

    private void line(
        boolean ok, String method, String path, String what, String shown, String expected) {
      steps++;
      failures += ok ? 0 : 1;
      out.printf(
          "%-4s %-3s %-11s %-39s -> %s%s%n",
          ok ? "ok" : "FAIL", method, path, what, shown, ok ? "" : "   EXPECTED " + expected);
    }

    private Answer send(String method, String path, Sent sent)
        throws IOException, InterruptedException {
      String query = sent.query() == null ? "" : "?access_token=" + sent.query();
      HttpRequest.Builder request =
          HttpRequest.newBuilder(api.resolve(path + query)).timeout(Duration.ofSeconds(10));
      if (sent.header() != null) {
        request.header("Authorization", "Bearer " + sent.header());
      }
      if (method.equals("PUT")) {
        request.PUT(HttpRequest.BodyPublishers.ofString("green teapot"));
      } else {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      }
      return Answer.of(client.send(request.build(), HttpResponse.BodyHandlers.discarding()));
    }
  }

  private static String plural(int n, String word) {
    return n + " " + (n == 1 ? word : word.endsWith("h") ? word + "es" : word + "s");
  }

  // ---------------------------------------------------------------------------------------------
  // --serve

  /**
   * Starts everything, prints {@code curl} commands with fresh tokens, and serves until the JVM
   * stops (Ctrl-C).
   *
   * @param out where to print
   * @throws Exception if the servers cannot start
   */
  static void serve(PrintStream out) throws Exception {
    Setup setup = Setup.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  setup.close();
                }));
    printCurlCommands(setup, out);
    setup.api.join();
  }

  /**
   * Prints the addresses and {@code curl} commands with tokens valid for an hour.
   *
   * <p>These are the only tokens the demo prints, on purpose: they are throwaway test tokens,
   * minted by the demo's own test issuer with a key generated at start-up that nothing else trusts,
   * for the user to paste. A real service never prints, logs or echoes a token.
   */
  static void printCurlCommands(Setup setup, PrintStream out) {
    TestIssuer idp = setup.idp();
    URI api = setup.api.uri();
    Duration hour = Duration.ofHours(1);
    String reader = idp.token().subject("alice").scope(CatalogApi.READ).expiresIn(hour).sign();
    String writer =
        idp.token().subject("bob").scope(CatalogApi.READ, CatalogApi.WRITE).expiresIn(hour).sign();
    String expired = idp.expiredToken();
    String item = api.resolve(ITEM).toString();

    out.println("Tollgate demo, serving until Ctrl-C.");
    out.println("  identity provider " + idp.issuer());
    out.println("    discovery       " + idp.issuer() + ".well-known/openid-configuration");
    out.println("    keys            " + setup.idpServer.jwksUri());
    out.println("  catalog API       " + api + " (GET /catalog/{id}: read:catalog,");
    out.println("                    PUT /catalog/{id}: write:catalog, GET /health: public)");
    out.println("Plain HTTP on 127.0.0.1 for the demo only; a real deployment uses HTTPS.");
    out.println();
    out.println("The tokens below are throwaway test tokens, valid for one hour, signed by the");
    out.println("demo's own test issuer: paste them. Real tokens are passwords: never print them.");
    out.println();
    out.println("# public: 200");
    out.println("curl -i " + api.resolve("/health"));
    out.println("# no token: 401 with a bare Bearer challenge");
    out.println("curl -i " + item);
    out.println("# alice may read: 200");
    out.println("curl -i -H 'Authorization: Bearer " + reader + "' " + item);
    out.println("# alice may not write: 403 insufficient_scope");
    out.println(
        "curl -i -X PUT --data 'green teapot' -H 'Authorization: Bearer " + reader + "' " + item);
    out.println("# bob may write: 204");
    out.println(
        "curl -i -X PUT --data 'green teapot' -H 'Authorization: Bearer " + writer + "' " + item);
    out.println("# an expired token: 401 invalid_token");
    out.println("curl -i -H 'Authorization: Bearer " + expired + "' " + item);
    out.println("# a token in the URL query: 400 invalid_request");
    out.println("curl -i '" + item + "?access_token=" + reader + "'");
  }
}
