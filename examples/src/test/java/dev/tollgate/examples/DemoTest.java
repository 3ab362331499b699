package dev.tollgate.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DemoTest {
  /** The start of a compact JWS: a base64url JSON header, its dot, and more base64url. */
  private static final Pattern TOKEN = Pattern.compile("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

  @Test
  void run_everyStepGivesTheExpectedAnswer() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int failures = Demo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String output = bytes.toString(StandardCharsets.UTF_8);

    assertThat(failures).as(output).isZero();
    assertThat(output)
        .contains("25 of 25 steps as expected")
        .doesNotContain("FAIL")
        .containsPattern("ok +GET /health +no token \\(a public path\\) +-> 200\n")
        .containsPattern("ok +GET /catalog/42 +no token +-> 401\n")
        .containsPattern("ok +GET /catalog/42 +valid token, scope read:catalog +-> 200\n")
        .containsPattern(
            "ok +PUT /catalog/42 +valid token, scope read:catalog only +-> 403 insufficient_scope")
        .containsPattern("ok +PUT /catalog/42 +valid token, scope write:catalog +-> 204\n")
        .containsPattern(
            "ok +GET /catalog/42 +valid token in the URL \\(\\?access_token=\\) +-> 400 invalid_request")
        .containsPattern(
            "ok +GET /catalog/42 +expired token +-> 401 invalid_token \\(the token has expired\\)")
        .containsPattern("ok +GET /catalog/42 +token for another audience +-> 401 invalid_token")
        .containsPattern("ok +GET /catalog/42 +alg: none, no signature +-> 401 invalid_token")
        .containsPattern(
            "ok +GET /catalog/42 +HS256 keyed with the RSA public key +-> 401"
                + " invalid_token \\(the token's algorithm is not allowed\\)")
        .containsPattern("ok +GET /catalog/42 +token signed by the new key +-> 200\n")
        .contains("the API fetched the key set again on meeting the new key id: 1 fetch\n")
        .containsPattern("ok +GET /catalog/42 +attacker's key in the jwk header +-> 401")
        .containsPattern("ok +GET /catalog/42 +20 tokens with made-up key ids +-> 20 × 401")
        .contains("metrics (Micrometer): 6 accepted, 35 refused; key set fetched 2 times, 0 failed")
        .contains("KEY_NOT_FOUND 23")
        .contains("a real deployment uses HTTPS");
    // Every line describes the token it sent; none prints one.
    assertThat(output).doesNotContainPattern(TOKEN);
    // The README shows some of these lines: they must be the demo's own.
    for (String line : readmeDemoLines()) {
      assertThat(output).as("README line").contains(line + "\n");
    }
  }

  /** The lines of the README's sample of the demo's output ("The two commands"). */
  private static List<String> readmeDemoLines() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    String section = readme.substring(readme.indexOf("## The two commands"));
    String sample = section.substring(section.indexOf("```\n") + 4);
    sample = sample.substring(0, sample.indexOf("```"));
    List<String> lines = sample.lines().collect(Collectors.toList());
    assertThat(lines).as("the README's sample of the demo").hasSizeGreaterThan(5);
    return lines;
  }

  @Test
  void printCurlCommands_printsTokensThatTheApiAccepts() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Demo.Setup setup = Demo.Setup.start()) {
      Demo.printCurlCommands(setup, new PrintStream(bytes, true, StandardCharsets.UTF_8));
      String output = bytes.toString(StandardCharsets.UTF_8);

      assertThat(output).contains("curl -i " + setup.api.uri().resolve("/health"));
      Matcher read =
          Pattern.compile(
                  "# alice may read: 200\ncurl -i -H 'Authorization: Bearer ([^']+)' (\\S+)")
              .matcher(output);
      assertThat(read.find()).as(output).isTrue();
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create(read.group(2)))
                  .header("Authorization", "Bearer " + read.group(1))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("42: teapot (read by alice)\n");
    }
  }
}
