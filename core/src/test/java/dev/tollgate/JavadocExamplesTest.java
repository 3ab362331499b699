package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.keys.KeyResolver;
import dev.tollgate.testing.TestIssuer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every code example in core's javadoc (a pre block) also stands, line for line, in a test. */
class JavadocExamplesTest {
  private static final Pattern EXAMPLE =
      Pattern.compile("<pre>\\{@code\\n(.*?)\\n\\s*\\*\\s*}</pre>", Pattern.DOTALL);

  @Test
  void everyJavadocExample_standsInATest() throws IOException {
    List<String> examples = new ArrayList<>();
    for (Path file : javaFiles(Path.of("src/main/java"))) {
      Matcher m = EXAMPLE.matcher(Files.readString(file));
      while (m.find()) {
        String body =
            m.group(1)
                .lines()
                .map(l -> l.replaceFirst("^\\s*\\* ?", ""))
                .collect(Collectors.joining("\n"));
        examples.add(body);
      }
    }
    assertThat(examples).as("javadoc examples").isNotEmpty();
    StringBuilder tests = new StringBuilder();
    for (Path file : javaFiles(Path.of("src/test/java"))) {
      tests.append(normalize(Files.readString(file))).append('\n');
    }
    for (String example : examples) {
      // A closing brace at the end carries nothing to test and may enclose the test's assertions.
      String body = normalize(example).replaceAll("(\\n})+$", "");
      assertThat(tests.toString()).as("javadoc example:%n%s", example).contains(body);
    }
  }

  /** The class javadoc example of {@link JwtValidator}, with a real key and token. */
  @Test
  void jwtValidatorExample_runs() {
    TestIssuer idp =
        TestIssuer.builder()
            .algorithm(Algorithm.RS256)
            .issuer("https://idp.example.com/")
            .audience("catalog-api")
            .build();
    String pemText =
        "-----BEGIN PUBLIC KEY-----\n"
            + java.util.Base64.getMimeEncoder().encodeToString(idp.publicKey().getEncoded())
            + "\n-----END PUBLIC KEY-----\n";
    String token = idp.validToken();
    JwtValidator validator =
        JwtValidator.builder()
            .algorithms(Algorithm.RS256)
            .issuer("https://idp.example.com/")
            .audience("catalog-api")
            .keys(KeyResolver.pem(pemText))
            .build();
    VerifiedJwt jwt = validator.validate(token); // or JwtValidationException
    assertThat(jwt.issuer()).isEqualTo("https://idp.example.com/");
  }

  private static List<Path> javaFiles(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toList());
    }
  }

  private static String normalize(String text) {
    return text.lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .collect(Collectors.joining("\n"));
  }
}
