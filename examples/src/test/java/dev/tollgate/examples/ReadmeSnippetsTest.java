package dev.tollgate.examples;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * Every Java snippet in README.md is an excerpt of a file that the build compiles (and, for the
 * examples, runs in a test): whitespace-insensitive, line by line.
 */
class ReadmeSnippetsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void everyJavaSnippet_standsInACompiledSourceFile() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    List<String> snippets = new ArrayList<>();
    while (m.find()) {
      snippets.add(m.group(1));
    }
    assertThat(snippets).as("java snippets in README.md").isNotEmpty();
    String sources = normalizedSources();
    for (String snippet : snippets) {
      // A closing brace at the end carries nothing and may enclose the test's own assertions.
      String body = normalize(snippet).replaceAll("(\\n})+$", "");
      assertThat(sources).as("README snippet:%n%s", snippet).contains(body);
    }
  }

  private static String normalizedSources() throws IOException {
    StringBuilder all = new StringBuilder();
    for (String module : new String[] {"examples", "core"}) {
      try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src"))) {
        for (Path p :
            files.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toList())) {
          all.append(normalize(Files.readString(p))).append('\n');
        }
      }
    }
    return all.toString();
  }

  /** Trims each line and drops blank lines, so indentation does not matter. */
  private static String normalize(String text) {
    return text.lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .collect(Collectors.joining("\n"));
  }
}
