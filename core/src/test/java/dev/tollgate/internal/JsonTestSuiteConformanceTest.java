package dev.tollgate.internal;

import static dev.tollgate.internal.JsonTestSuiteConformanceTest.Decision.ACCEPT;
import static dev.tollgate.internal.JsonTestSuiteConformanceTest.Decision.REFUSE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every parsing case of JSONTestSuite ({@code nst/JSONTestSuite}) where it lies, in {@code
 * <tollgate.conformance.dir>/json-test-suite/test_parsing/}: {@code y_} files must be accepted,
 * {@code n_} files refused with {@link JsonException}, and each {@code i_} file gets the decision
 * recorded in {@link #IMPLEMENTATION_DEFINED}. Skipped, saying so, when the folder is absent.
 */
class JsonTestSuiteConformanceTest {

  /** The most generous bound the reader allows, so that only grammar decides for y_ and n_. */
  private static final int MAX_DEPTH = 1000;

  /** A bound a real caller would use. */
  private static final int CALLER_DEPTH = 64;

  enum Decision {
    ACCEPT,
    REFUSE
  }

  /**
   * The decision for every implementation-defined ({@code i_}) file, with {@code maxDepth} 1000.
   *
   * <p>Numbers: a value that overflows a double (infinite) is refused; one that underflows is
   * accepted as 0.0; an integer literal too large for a long is accepted as a Double. Strings must
   * be valid Unicode: invalid UTF-8 and unpaired surrogate escapes are refused. Input must be UTF-8
   * without a byte order mark. Nesting: 500 levels are accepted only because this test asks for
   * 1000; every realistic bound (16-64) refuses it.
   */
  static final Map<String, Decision> IMPLEMENTATION_DEFINED =
      Map.ofEntries(
          // numbers
          Map.entry("i_number_double_huge_neg_exp.json", ACCEPT), // 123.456e-789 -> 0.0
          Map.entry("i_number_huge_exp.json", REFUSE), // 0.4e00669999999... -> infinite
          Map.entry("i_number_neg_int_huge_exp.json", REFUSE), // -1e+9999 -> infinite
          Map.entry("i_number_pos_double_huge_exp.json", REFUSE), // 1.5e+9999 -> infinite
          Map.entry("i_number_real_neg_overflow.json", REFUSE), // -123123e100000 -> infinite
          Map.entry("i_number_real_pos_overflow.json", REFUSE), // 123123e100000 -> infinite
          Map.entry("i_number_real_underflow.json", ACCEPT), // 123e-10000000 -> 0.0
          Map.entry("i_number_too_big_neg_int.json", ACCEPT), // -1.2312312312312312E29 (Double)
          Map.entry("i_number_too_big_pos_int.json", ACCEPT), // 1.0E20 (Double)
          Map.entry("i_number_very_big_negative_int.json", ACCEPT), // -2.37E47 (Double)
          // unpaired surrogates from \\u escapes
          Map.entry("i_object_key_lone_2nd_surrogate.json", REFUSE),
          Map.entry("i_string_1st_surrogate_but_2nd_missing.json", REFUSE),
          Map.entry("i_string_1st_valid_surrogate_2nd_invalid.json", REFUSE),
          Map.entry("i_string_incomplete_surrogate_and_escape_valid.json", REFUSE),
          Map.entry("i_string_incomplete_surrogate_pair.json", REFUSE),
          Map.entry("i_string_incomplete_surrogates_escape_valid.json", REFUSE),
          Map.entry("i_string_invalid_lonely_surrogate.json", REFUSE),
          Map.entry("i_string_invalid_surrogate.json", REFUSE),
          Map.entry("i_string_inverted_surrogates_U+1D11E.json", REFUSE),
          Map.entry("i_string_lone_second_surrogate.json", REFUSE),
          // invalid UTF-8
          Map.entry("i_string_UTF-8_invalid_sequence.json", REFUSE),
          Map.entry("i_string_UTF8_surrogate_U+D800.json", REFUSE),
          Map.entry("i_string_invalid_utf-8.json", REFUSE),
          Map.entry("i_string_iso_latin_1.json", REFUSE),
          Map.entry("i_string_lone_utf8_continuation_byte.json", REFUSE),
          Map.entry("i_string_not_in_unicode_range.json", REFUSE),
          Map.entry("i_string_overlong_sequence_2_bytes.json", REFUSE),
          Map.entry("i_string_overlong_sequence_6_bytes.json", REFUSE),
          Map.entry("i_string_overlong_sequence_6_bytes_null.json", REFUSE),
          Map.entry("i_string_truncated-utf-8.json", REFUSE),
          // encodings other than UTF-8, byte order marks
          Map.entry("i_string_UTF-16LE_with_BOM.json", REFUSE),
          Map.entry("i_string_utf16BE_no_BOM.json", REFUSE),
          Map.entry("i_string_utf16LE_no_BOM.json", REFUSE),
          Map.entry("i_structure_UTF-8_BOM_empty_object.json", REFUSE),
          // nesting
          Map.entry("i_structure_500_nested_arrays.json", ACCEPT));

  /**
   * {@code y_} files this reader refuses on purpose, with the reason. RFC 8259 only says member
   * names SHOULD be unique; Tollgate refuses duplicates (DESIGN rule 4) because parsers disagree on
   * which one wins.
   */
  static final Map<String, String> ACCEPTABLE_BUT_REFUSED =
      Map.of(
          "y_object_duplicated_key.json", "duplicate member name",
          "y_object_duplicated_key_and_value.json", "duplicate member name");

  static Path suiteDirectory() {
    String configured = System.getProperty("tollgate.conformance.dir");
    Path root =
        configured != null ? Path.of(configured) : Path.of("..", "..", "shared", "conformance");
    return root.resolve("json-test-suite").resolve("test_parsing").toAbsolutePath().normalize();
  }

  @Test
  void decisions_coverEveryImplementationDefinedFile() {
    assertThat(IMPLEMENTATION_DEFINED).hasSize(35);
    assertThat(IMPLEMENTATION_DEFINED.keySet()).allMatch(name -> name.startsWith("i_"));
  }

  @TestFactory
  Stream<DynamicTest> jsonTestSuite() throws IOException {
    Path dir = suiteDirectory();
    if (!Files.isDirectory(dir)) {
      // One skipped test that carries the reason, so that the report shows it.
      String reason = "JSONTestSuite not found at " + dir + ": conformance tests skipped";
      return Stream.of(
          DynamicTest.dynamicTest("JSONTestSuite", () -> Assumptions.assumeTrue(false, reason)));
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files =
          listing
              .filter(f -> f.getFileName().toString().endsWith(".json"))
              .sorted()
              .collect(Collectors.toList());
    }
    assertThat(files).hasSize(318);
    assertThat(files.stream().filter(f -> name(f).startsWith("y_"))).hasSize(95);
    assertThat(files.stream().filter(f -> name(f).startsWith("n_"))).hasSize(188);
    Set<String> implementationDefined =
        files.stream()
            .map(JsonTestSuiteConformanceTest::name)
            .filter(n -> n.startsWith("i_"))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(implementationDefined).isEqualTo(new TreeSet<>(IMPLEMENTATION_DEFINED.keySet()));
    assertThat(files)
        .extracting(JsonTestSuiteConformanceTest::name)
        .containsAll(ACCEPTABLE_BUT_REFUSED.keySet());
    return files.stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    name(file),
                    () -> Assertions.assertTimeout(Duration.ofSeconds(10), () -> check(file))));
  }

  private static String name(Path file) {
    return file.getFileName().toString();
  }

  private static void check(Path file) throws IOException, JsonException {
    String name = name(file);
    byte[] bytes = Files.readAllBytes(file);
    Decision expected;
    if (name.startsWith("y_")) {
      expected = ACCEPTABLE_BUT_REFUSED.containsKey(name) ? REFUSE : ACCEPT;
    } else if (name.startsWith("n_")) {
      expected = REFUSE;
    } else if (name.startsWith("i_")) {
      expected = IMPLEMENTATION_DEFINED.get(name);
    } else {
      throw new AssertionError("unexpected file " + name);
    }
    assertThat(expected).isNotNull();
    JsonIndexAgreement.check(bytes, MAX_DEPTH);

    Throwable thrown;
    @Nullable Object value = null;
    try {
      value = Json.parse(bytes, 0, bytes.length, MAX_DEPTH);
      thrown = null;
    } catch (JsonException refusal) {
      thrown = refusal;
    }
    // Anything else (a RuntimeException, StackOverflowError, ...) propagates and fails the test.

    if (expected == REFUSE) {
      if (thrown == null) {
        throw new AssertionError(name + ": expected a refusal, got a value");
      }
      assertThat(thrown.getMessage()).matches(".* at offset \\d+");
      String reason = ACCEPTABLE_BUT_REFUSED.get(name);
      if (reason != null) {
        assertThat(thrown.getMessage()).startsWith(reason);
      }
      assertThat(catchThrowable(() -> Json.parseObject(bytes, MAX_DEPTH)))
          .as("parseObject of %s", name)
          .isInstanceOf(JsonException.class);
      return;
    }
    if (thrown != null) {
      throw new AssertionError(name + ": expected acceptance, got " + thrown.getMessage());
    }
    if (value instanceof Map) {
      assertThat(Json.parseObject(bytes, MAX_DEPTH)).as("parseObject of %s", name).isEqualTo(value);
    } else {
      assertThat(catchThrowable(() -> Json.parseObject(bytes, MAX_DEPTH)))
          .as("parseObject of %s (top-level value is not an object)", name)
          .isInstanceOf(JsonException.class);
    }
    // The writer reproduces every accepted value.
    byte[] rewritten = Json.write(value).getBytes(UTF_8);
    assertThat(Json.parse(rewritten, 0, rewritten.length, MAX_DEPTH)).isEqualTo(value);
  }

  @Test
  void fiveHundredNestedArrays_refusedAtRealisticDepth() throws IOException {
    Path file = suiteDirectory().resolve("i_structure_500_nested_arrays.json");
    Assumptions.assumeTrue(
        Files.isRegularFile(file), "JSONTestSuite not found at " + file + ": test skipped");
    byte[] bytes = Files.readAllBytes(file);
    assertThat(catchThrowable(() -> Json.parse(bytes, 0, bytes.length, CALLER_DEPTH)))
        .isInstanceOf(JsonException.class)
        .hasMessage("nesting deeper than 64 at offset 64");
  }
}
