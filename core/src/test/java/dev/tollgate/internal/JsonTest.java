package dev.tollgate.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

  /** A type the writer does not know, whose toString shows its content. */
  record Secret(String value) {}

  private static @Nullable Object parse(String json) throws JsonException {
    byte[] bytes = json.getBytes(UTF_8);
    return Json.parse(bytes, 0, bytes.length, 64);
  }

  private static @Nullable Object parseBytes(byte[] bytes) throws JsonException {
    return Json.parse(bytes, 0, bytes.length, 64);
  }

  private static JsonException refusal(String json) {
    return refusalOfBytes(json.getBytes(UTF_8));
  }

  private static JsonException refusalOfBytes(byte[] bytes) {
    Throwable thrown = catchThrowable(() -> parseBytes(bytes));
    assertThat(thrown).isInstanceOf(JsonException.class);
    return (JsonException) thrown;
  }

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  private static String nested(String open, String close, int depth) {
    return open.repeat(depth) + close.repeat(depth);
  }

  // --- value mapping
  // ------------------------------------------------------------------------------

  @Test
  void parse_scalars_mapToJavaTypes() throws JsonException {
    assertThat(parse("true")).isEqualTo(true);
    assertThat(parse("false")).isEqualTo(false);
    assertThat(parse("null")).isNull();
    assertThat(parse("\"abc\"")).isEqualTo("abc");
    assertThat(parse("\"\"")).isEqualTo("");
    assertThat(parse(" \t\r\n 42 \t\r\n ")).isEqualTo(42L);
  }

  @Test
  void parse_integers_becomeLong() throws JsonException {
    assertThat(parse("0")).isEqualTo(0L);
    assertThat(parse("-0")).isEqualTo(0L);
    assertThat(parse("1700000000")).isEqualTo(1_700_000_000L);
    assertThat(parse("-17")).isEqualTo(-17L);
    assertThat(parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
    assertThat(parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void parse_integersBeyondLong_becomeDouble() throws JsonException {
    assertThat(parse("9223372036854775808")).isEqualTo(0x1p63);
    assertThat(parse("-9223372036854775809")).isEqualTo(-0x1p63);
    assertThat(parse("100000000000000000000000000000")).isEqualTo(1e29);
  }

  @Test
  void parse_fractionsAndExponents_becomeDouble() throws JsonException {
    assertThat(parse("1.5")).isEqualTo(1.5);
    assertThat(parse("-0.0")).isEqualTo(-0.0);
    assertThat(parse("1e3")).isEqualTo(1000.0);
    assertThat(parse("1E+3")).isEqualTo(1000.0);
    assertThat(parse("25e-1")).isEqualTo(2.5);
    assertThat(parse("1.0")).isInstanceOf(Double.class);
    assertThat(parse("1e-400")).isEqualTo(0.0);
  }

  @Test
  void parse_object_keepsMemberOrderAndIsUnmodifiable() throws JsonException {
    Object value = parse("{\"b\":1,\"a\":[true,null,\"x\"],\"c\":{}}");
    assertThat(value).isInstanceOf(Map.class);
    Map<?, ?> map = (Map<?, ?>) Objects.requireNonNull(value);
    assertThat(new ArrayList<Object>(map.keySet())).containsExactly("b", "a", "c");
    assertThat(map.get("b")).isEqualTo(1L);
    assertThat(map.get("a")).isEqualTo(Arrays.asList(true, null, "x"));
    assertThat(map.get("c")).isEqualTo(Map.of());
    assertThat(map.containsKey("a")).isTrue();
    assertThat(map.containsKey("z")).isFalse();
    assertThat(map.get("z")).isNull();
    assertThat(map.get(1)).isNull();
    assertThatThrownBy(() -> map.remove("a")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(map::clear).isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    Map<String, @Nullable Object> typed = (Map<String, @Nullable Object>) map;
    assertThatThrownBy(() -> typed.put("d", 1L)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> typed.entrySet().iterator().next().setValue(2L))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void parse_array_isUnmodifiableList() throws JsonException {
    Object value = parse("[1, \"two\", null]");
    assertThat(value).isEqualTo(Arrays.asList(1L, "two", null));
    @SuppressWarnings("unchecked")
    List<@Nullable Object> list = (List<@Nullable Object>) Objects.requireNonNull(value);
    assertThatThrownBy(() -> list.add(1L)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> list.set(0, 1L)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> list.get(3)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void parse_objectWithNullValue_containsKey() throws JsonException {
    var map = Json.parseObject("{\"a\":null}".getBytes(UTF_8), 4);
    assertThat(map.containsKey("a")).isTrue();
    assertThat(map.get("a")).isNull();
    assertThat(map).hasSize(1);
  }

  @Test
  void parse_largeObject_usesIndexCorrectly() throws JsonException {
    StringBuilder json = new StringBuilder("{");
    Map<String, Object> expected = new LinkedHashMap<>();
    for (int i = 0; i < 300; i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append("\"k").append(i).append("\":").append(i);
      expected.put("k" + i, (long) i);
    }
    json.append('}');
    var map = Json.parseObject(json.toString().getBytes(UTF_8), 4);
    assertThat(map).isEqualTo(expected);
    assertThat(expected).isEqualTo(map);
    assertThat(map.hashCode()).isEqualTo(expected.hashCode());
    assertThat(new ArrayList<>(map.keySet())).isEqualTo(new ArrayList<>(expected.keySet()));
    for (int i = 0; i < 300; i++) {
      assertThat(map.get("k" + i)).isEqualTo((long) i);
    }
    assertThat(map.get("k300")).isNull();
    assertThat(map.containsKey("k")).isFalse();
    Map<String, Object> visited = new LinkedHashMap<>();
    map.forEach((k, v) -> visited.put(k, v == null ? "null" : v));
    assertThat(visited).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 7, 8, 9, 10, 16, 17, 23, 24, 25, 26, 33, 48, 49, 100})
  void parseObject_anySize_equalsAndHashCodeAgreeWithHashMap(int size) throws JsonException {
    Map<String, Object> expected = new HashMap<>();
    for (int i = 0; i < size; i++) {
      expected.put("name" + i, i % 2 == 0 ? "v" + i : List.of((long) i));
    }
    var map = Json.parseObject(Json.write(expected).getBytes(UTF_8), 4);
    assertThat(map).isEqualTo(expected).hasSize(size);
    assertThat(map.hashCode()).isEqualTo(expected.hashCode());
    assertThat(map.entrySet()).isEqualTo(expected.entrySet());
  }

  @Test
  void parse_strings_decodeEscapesAndUtf8() throws JsonException {
    assertThat(parse("\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\""))
        .isEqualTo("a\"b\\c/d\be\ff\ng\rh\ti");
    assertThat(parse("\"\\u0041\\u00e9\\u20AC\"")).isEqualTo("Aé€");
    assertThat(parse("\"\\uD834\\uDD1E\"")).isEqualTo("\uD834\uDD1E");
    assertThat(parse("\"\\u0000\"")).isEqualTo("\u0000");
    assertThat(parse("\"é€\uD834\uDD1E\u007f\"")).isEqualTo("é€\uD834\uDD1E\u007f");
    assertThat(parse("\"abc é\"")).isEqualTo("abc é");
    assertThat(parseBytes(bytes('"', 0xF4, 0x8F, 0xBF, 0xBF, '"')))
        .isEqualTo(new String(Character.toChars(0x10FFFF)));
  }

  @Test
  void parse_slice_readsOnlyTheSlice() throws JsonException {
    byte[] bytes = "xx{\"a\":1}yy".getBytes(UTF_8);
    assertThat(Json.parseObject(bytes, 2, 7, 2)).isEqualTo(Map.of("a", 1L));
    assertThat(Json.parse(bytes, 2, 7, 2)).isEqualTo(Map.of("a", 1L));
    assertThatThrownBy(() -> Json.parse(bytes, 1, 7, 2)).isInstanceOf(JsonException.class);
    assertThat(catchThrowable(() -> Json.parse(bytes, 2, 8, 2)))
        .isInstanceOf(JsonException.class)
        .hasMessage("unexpected data after the value at offset 7");
  }

  @Test
  void parse_badSliceOrDepthArguments_throwProgrammingErrors() {
    byte[] bytes = "{}".getBytes(UTF_8);
    assertThatThrownBy(() -> Json.parse(bytes, 1, 2, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> Json.parse(bytes, -1, 1, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> Json.parseObject(bytes, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 1 and 1000");
    assertThatThrownBy(() -> Json.parseObject(bytes, 1001))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // --- strictness
  // ---------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "{",
        "}",
        "[",
        "[1,]",
        "[,1]",
        "{\"a\":1,}",
        "{,}",
        "{\"a\" 1}",
        "{\"a\":}",
        "{a:1}",
        "{'a':1}",
        "['a']",
        "{\"a\":1 \"b\":2}",
        "[1 2]",
        "[1}",
        "{\"a\":1]",
        "// c\n{}",
        "{} // c",
        "/* c */ {}",
        "{}/**/",
        "{}#",
        "01",
        "-01",
        "00",
        "+1",
        "1.",
        ".5",
        "1.e3",
        "1e",
        "1e+",
        "-",
        "- 1",
        "0x10",
        "NaN",
        "Infinity",
        "-Infinity",
        "tru",
        "nul",
        "truex",
        "True",
        "NULL",
        "\"abc",
        "\"\\x\"",
        "\"\\u12\"",
        "\"\\u12G4\"",
        "\"\\U0041\"",
        "\"\\'\"",
        "{} {}",
        "1 2",
        "\u00a0{}",
        "{}\u000b",
        "{}\f",
        "\"a\" x"
      })
  void parse_invalidGrammar_refused(String json) {
    refusal(json);
  }

  @Test
  void parse_byteOrderMark_refused() {
    refusalOfBytes(bytes(0xEF, 0xBB, 0xBF, '{', '}'));
  }

  @Test
  void parse_trailingNulByte_refused() {
    refusalOfBytes(bytes('{', '}', 0));
  }

  @Test
  void parse_unescapedControlCharacters_refused() {
    for (int c = 0; c < 0x20; c++) {
      assertThat(refusalOfBytes(bytes('"', 'a', c, '"')).getMessage())
          .isEqualTo("unescaped control character in string at offset 2");
    }
  }

  @Test
  void parse_invalidUtf8_refused() {
    int[][] cases = {
      {0x80}, // stray continuation
      {0xBF},
      {0xC0, 0xAF}, // overlong '/'
      {0xC1, 0xBF}, // overlong
      {0xE0, 0x80, 0xAF}, // overlong 3-byte
      {0xE0, 0x9F, 0xBF}, // overlong 3-byte
      {0xF0, 0x80, 0x80, 0xAF}, // overlong 4-byte
      {0xF0, 0x8F, 0xBF, 0xBF}, // overlong 4-byte
      {0xED, 0xA0, 0x80}, // encoded surrogate U+D800
      {0xED, 0xBF, 0xBF}, // encoded surrogate U+DFFF
      {0xF4, 0x90, 0x80, 0x80}, // U+110000
      {0xF5, 0x80, 0x80, 0x80},
      {0xF8, 0x88, 0x80, 0x80, 0x80}, // 5-byte form
      {0xFC, 0x84, 0x80, 0x80, 0x80, 0x80}, // 6-byte form
      {0xFE},
      {0xFF},
      {0xC3}, // truncated
      {0xE2, 0x82}, // truncated
      {0xF0, 0x9F, 0x98}, // truncated
      {0xC3, 0x41}, // bad continuation
      {0xE2, 0x28, 0xA1},
    };
    for (int[] sequence : cases) {
      int[] json = new int[sequence.length + 3];
      json[0] = '"';
      json[1] = 'a';
      System.arraycopy(sequence, 0, json, 2, sequence.length);
      json[json.length - 1] = '"';
      assertThat(refusalOfBytes(bytes(json)).getMessage())
          .as(Arrays.toString(sequence))
          .isEqualTo("invalid UTF-8 at offset 2");
    }
  }

  @Test
  void parse_truncatedUtf8AtEndOfInput_refused() {
    refusalOfBytes(bytes('"', 0xE2, 0x82));
    refusalOfBytes(bytes('"', 0xF0));
  }

  @Test
  void parse_nonAsciiOutsideStrings_refused() {
    refusalOfBytes(bytes('[', 0xC3, 0xA9, ']'));
    refusalOfBytes(bytes('{', '}', 0xC2, 0xA0));
  }

  @Test
  void parse_utf16_refused() {
    refusalOfBytes(bytes(0xFF, 0xFE, '{', 0, '}', 0));
    refusalOfBytes(bytes(0, '{', 0, '}'));
    refusalOfBytes(bytes('{', 0, '}', 0));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"\\uD800\"",
        "\"\\uDBFF\"",
        "\"\\uDC00\"",
        "\"\\uDFFF\"",
        "\"\\uD800x\"",
        "\"\\uD800\\n\"",
        "\"\\uD800\\u0041\"",
        "\"\\uD800\\uD800\"",
        "\"\\uDD1E\\uD834\"",
        "\"\\uD800\\",
        "\"\\uD800\\u",
        "\"\\uD800\\uDC0\"",
        "{\"\\uDFAA\":0}"
      })
  void parse_unpairedSurrogateEscapes_refused(String json) {
    refusal(json);
  }

  @Test
  void parse_duplicateMemberNames_refused() {
    assertThat(refusal("{\"a\":1,\"a\":1}").getMessage())
        .isEqualTo("duplicate member name at offset 7");
    refusal("{\"a\":1,\"b\":2,\"a\":3}");
    refusal("{\"a\":{\"x\":1,\"x\":2}}");
    // Names are compared decoded: these are all the same name.
    refusal("{\"a\":1,\"\\u0061\":2}");
    refusal("{\"é\":1,\"\\u00e9\":2}");
    refusal("{\"\\/\":1,\"/\":2}");
  }

  @Test
  void parse_duplicateMemberNamesInLargeObject_refused() {
    for (int position : new int[] {0, 7, 8, 9, 22, 23, 24, 25, 26, 50, 99}) {
      StringBuilder json = new StringBuilder("{");
      for (int i = 0; i < 100; i++) {
        json.append("\"k").append(i).append("\":").append(i).append(',');
      }
      json.append("\"k").append(position).append("\":0}");
      refusal(json.toString());
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 4, 5, 6})
  void parse_distinctNamesWithEqualHashes_acceptedAndFound(int pairs) throws JsonException {
    // "Aa" and "BB" have the same String.hashCode, so all 2^pairs names below collide.
    List<String> names = new ArrayList<>(List.of(""));
    for (int i = 0; i < pairs; i++) {
      List<String> longer = new ArrayList<>();
      for (String name : names) {
        longer.add(name + "Aa");
        longer.add(name + "BB");
      }
      names = longer;
    }
    Map<String, Object> expected = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      expected.put(names.get(i), (long) i);
    }
    assertThat(expected.keySet().stream().map(String::hashCode).distinct()).hasSize(1);
    var map = Json.parseObject(Json.write(expected).getBytes(UTF_8), 2);
    assertThat(map).isEqualTo(expected);
    for (int i = 0; i < names.size(); i++) {
      assertThat(map.get(names.get(i))).isEqualTo((long) i);
    }
    assertThat(map.containsKey("AaAaAaAaAaAaAa")).isFalse();
    String duplicated =
        Json.write(expected).replaceFirst("}$", ",\"" + names.get(names.size() / 2) + "\":0}");
    refusal(duplicated);
  }

  @Test
  void parse_manyNamesWithEqualHashes_staysFast() {
    // 65536 distinct names with one String.hashCode (2.4 MB): a naive hash index takes seconds
    // (quadratic: minutes); the reader stays near linear (tens of ms). The bound is generous
    // on purpose: this guards against a complexity regression, not a speed target.
    StringBuilder json = new StringBuilder("{");
    int names = 1 << 16;
    for (int i = 0; i < names; i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append('"');
      for (int bit = 15; bit >= 0; bit--) {
        json.append((i >>> bit & 1) == 0 ? "Aa" : "BB");
      }
      json.append("\":0");
    }
    json.append('}');
    byte[] bytes = json.toString().getBytes(UTF_8);
    var map =
        Assertions.assertTimeoutPreemptively(
            Duration.ofSeconds(30), () -> Json.parseObject(bytes, 1));
    assertThat(map).hasSize(names);
    assertThat(map.get("Aa".repeat(16))).isEqualTo(0L);
  }

  @Test
  void parse_wellKnownNames_sharedAndExact() throws JsonException {
    for (String name :
        new String[] {"iss", "sub", "aud", "exp", "client_id", "email_verified", "x5t#S256", "k"}) {
      var map = Json.parseObject(("{\"" + name + "\":1}").getBytes(UTF_8), 1);
      assertThat(map.keySet().iterator().next()).isSameAs(name);
      assertThat(map.get(name)).isEqualTo(1L);
    }
    for (String name :
        new String[] {
          "is",
          "iss2",
          "Iss",
          "client_ie",
          "client_idx",
          "email_verifiee",
          "email_verif",
          "x5t#S25",
          "kk",
          "issuer_name_longer_than_24_bytes"
        }) {
      var map = Json.parseObject(("{\"" + name + "\":1}").getBytes(UTF_8), 1);
      assertThat(map.keySet()).containsExactly(name);
      assertThat(map.get(name)).isEqualTo(1L);
    }
  }

  @Test
  void parse_sameNameInDifferentObjects_accepted() throws JsonException {
    assertThat(parse("{\"a\":{\"a\":{\"a\":1}},\"b\":[{\"a\":1},{\"a\":2}]}"))
        .isInstanceOf(Map.class);
  }

  @Test
  void parse_namesDifferingOnlyByCaseOrNormalisation_accepted() throws JsonException {
    assertThat(parse("{\"a\":1,\"A\":2}")).isInstanceOf(Map.class);
    // U+00E9 and e + U+0301 are different code point sequences.
    assertThat(parse("{\"\u00e9\":1,\"e\u0301\":2}")).isInstanceOf(Map.class);
  }

  @Test
  void parse_numberOutOfDoubleRange_refused() {
    refusal("1e400");
    refusal("-1e400");
    refusal("[1.5e+9999]");
    refusal("1" + "0".repeat(400));
    assertThat(refusal("[1,-1e999]").getMessage()).isEqualTo("number out of range at offset 3");
  }

  @Test
  void parseObject_nonObjectTopLevel_refused() {
    for (String json : new String[] {"[]", "1", "\"a\"", "true", "null", " [{}]"}) {
      Throwable thrown = catchThrowable(() -> Json.parseObject(json.getBytes(UTF_8), 4));
      assertThat(thrown).as(json).isInstanceOf(JsonException.class);
    }
  }

  @Test
  void parseObject_object_accepted() throws JsonException {
    assertThat(Json.parseObject(" {\"sub\":\"x\"} ".getBytes(UTF_8), 1))
        .isEqualTo(Map.of("sub", "x"));
    assertThat(Json.parseObject("{}".getBytes(UTF_8), 1)).isEmpty();
  }

  // --- each check at its edge, wherever the token stands
  // ------------------------------------------

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[tru",
        "[nul",
        "[fals",
        "tXue",
        "[nuLl]",
        "[fa1se]",
        "{a\":1}",
        "{\"a\"",
        "{\"a\"x1}",
        "{\"abc",
        "[1",
        "[\"a\\",
        "\"\\",
        "\"\\uD800\\nDC00\"",
        "\"\\uD800XuDC00\"",
        "\"\\uD800\\",
        "\"\\u00/0\"",
        "\"\\u00:0\"",
        "\"\\u00@0\"",
        "\"\\u00G0\"",
        "\"\\u00`0\"",
        "\"\\u00g0\"",
        "[-a]",
        "[-:]",
        "{\"a\":1"
      })
  void parse_brokenTokenInsideAContainerOrAtTheEnd_refused(String json) {
    refusal(json);
  }

  @Test
  void parseObject_nonObjectOrTrailingData_refused() {
    for (String json : new String[] {"x}", "[}", "1}", "\"}", "{}x", "{} {}", "{}}"}) {
      Throwable thrown = catchThrowable(() -> Json.parseObject(json.getBytes(UTF_8), 4));
      assertThat(thrown).as(json).isInstanceOf(JsonException.class);
    }
  }

  @Test
  void parse_whitespaceAroundEveryToken_accepted() throws JsonException {
    String json = " \t{ \"a\" :\n[ 1 ,\r2 ] , \"b\"\t: { } ,\"c\": [ ] }\n";
    Map<String, @Nullable Object> expected = new LinkedHashMap<>();
    expected.put("a", List.of(1L, 2L));
    expected.put("b", Map.of());
    expected.put("c", List.of());
    assertThat(parse(json)).isEqualTo(expected);
    assertThat(Json.parseObject(json.getBytes(UTF_8), 2)).isEqualTo(expected);
  }

  @Test
  void parse_sliceEndingInsideAToken_refusedWithoutReadingOn() throws JsonException {
    // Each slice ends where a token is cut short; the bytes after it would complete the token.
    String[][] cases = {
      {"[true]", "[tru"},
      {"1.5", "1."},
      {"1e5", "1e"},
      {"\"\\n\"", "\"\\"},
      {"{\"ab\":1}", "{\"ab"},
      {"[\"ab\"]", "[\"ab"}
    };
    for (String[] c : cases) {
      byte[] bytes = c[0].getBytes(UTF_8);
      int length = c[1].length();
      assertThat(catchThrowable(() -> Json.parse(bytes, 0, length, 4)))
          .as(c[1])
          .isInstanceOf(JsonException.class);
    }
    // A zero that ends the slice is a whole number, whatever digit follows outside it.
    assertThat(Json.parse("0123".getBytes(UTF_8), 0, 1, 1)).isEqualTo(0L);
    assertThat(parse("0")).isEqualTo(0L);
  }

  @Test
  void parse_hexDigitsOfEitherCase_decoded() throws JsonException {
    assertThat(parse("\"\\uabcd\\uABCD\\uFfAa\\u0909\\u00af\\u00AF\""))
        .isEqualTo("\uabcd\uABCD\uFFAA\u0909\u00af\u00af");
  }

  @Test
  void parse_utf8AtTheEdgesOfEachLength_accepted() throws JsonException {
    int[][] cases = {
      {0xC2, 0x80}, // U+0080, the smallest two-byte form
      {0xDF, 0xBF}, // U+07FF
      {0xE0, 0xA0, 0x80}, // U+0800
      {0xEF, 0xBF, 0xBD}, // U+FFFD
      {0xF0, 0x90, 0x80, 0x80}, // U+10000
      {0xF4, 0x8F, 0xBF, 0xBF} // U+10FFFF
    };
    int[] codePoints = {0x80, 0x7FF, 0x800, 0xFFFD, 0x10000, 0x10FFFF};
    for (int i = 0; i < cases.length; i++) {
      int[] json = new int[cases[i].length + 2];
      json[0] = '"';
      System.arraycopy(cases[i], 0, json, 1, cases[i].length);
      json[json.length - 1] = '"';
      assertThat(parseBytes(bytes(json))).isEqualTo(new String(Character.toChars(codePoints[i])));
    }
  }

  @Test
  void parse_continuationByteAsLeadByte_refused() {
    int[][] cases = {
      {0x9F, 0xBF}, {0x80, 0xA0, 0x80}, {0xC1, 0xBF, 0xBF}, {0x80, 0x90, 0x80, 0x80}
    };
    for (int[] sequence : cases) {
      int[] json = new int[sequence.length + 2];
      json[0] = '"';
      System.arraycopy(sequence, 0, json, 1, sequence.length);
      json[json.length - 1] = '"';
      assertThat(refusalOfBytes(bytes(json)).getMessage())
          .as(Arrays.toString(sequence))
          .isEqualTo("invalid UTF-8 at offset 1");
    }
  }

  @Test
  void parse_nineteenDigitIntegersWithinLong_stayLong() throws JsonException {
    assertThat(parse("1000000000000000000")).isEqualTo(1_000_000_000_000_000_000L);
    assertThat(parse("-1000000000000000000")).isEqualTo(-1_000_000_000_000_000_000L);
    assertThat(parse("9223372036854775806")).isEqualTo(Long.MAX_VALUE - 1);
  }

  @Test
  void parse_refusal_namesTheOffsetOfTheOffendingByte() {
    assertThat(refusal("[1 x]").getMessage()).isEqualTo("expected ',' or ']' at offset 3");
    assertThat(refusal("{\"a\":1 x}").getMessage()).isEqualTo("expected ',' or '}' at offset 7");
    assertThat(refusal("[\"ab").getMessage()).isEqualTo("unterminated string at offset 1");
    assertThat(refusal("\"\\u0041").getMessage()).isEqualTo("unterminated string at offset 0");
    assertThat(refusal("00").getMessage()).isEqualTo("leading zero in number at offset 0");
    assertThat(refusal("09").getMessage()).isEqualTo("leading zero in number at offset 0");
    assertThat(refusal("[-01]").getMessage()).isEqualTo("leading zero in number at offset 1");
  }

  @Test
  void parse_everyShortName_keptExactly() throws JsonException {
    // Well-known names are shared, not allocated; no other name may come back as one of them.
    StringBuilder json = new StringBuilder("{");
    List<String> names = new ArrayList<>();
    for (char a = 'a'; a <= 'z'; a++) {
      names.add(String.valueOf(a));
      for (char b = 'a'; b <= 'z'; b++) {
        names.add("" + a + b);
        for (char c = 'a'; c <= 'z'; c++) {
          names.add("" + a + b + c);
        }
      }
    }
    for (String name : names) {
      json.append(json.length() == 1 ? "" : ",").append('"').append(name).append("\":0");
    }
    Map<String, @Nullable Object> parsed =
        Json.parseObject(json.append('}').toString().getBytes(UTF_8), 1);
    assertThat(new ArrayList<>(parsed.keySet())).isEqualTo(names);
  }

  @Test
  void parse_namesThatShareAWellKnownNamesFirstEightBytes_keptExactly() throws JsonException {
    for (String name :
        new String[] {
          "auth_tim",
          "auth_times",
          "email_ve",
          "email_verifiedX",
          "x5t#S25",
          "x5t#S2567",
          "zoneinf",
          "zoneinfoX",
          "preferred_usernam",
          "updated_",
          "entitlement"
        }) {
      Map<String, @Nullable Object> parsed =
          Json.parseObject(("{\"" + name + "\":0}").getBytes(UTF_8), 1);
      assertThat(parsed.keySet()).containsExactly(name);
    }
  }

  @Test
  void parseObject_absentNames_notFound() throws JsonException {
    // A small object answers lookups through a 64-bit filter; many absent names pass it falsely.
    Map<String, @Nullable Object> map = Json.parseObject("{\"a\":1,\"b\":2}".getBytes(UTF_8), 1);
    for (int i = 0; i < 2000; i++) {
      assertThat(map.get("absent" + i)).isNull();
      assertThat(map.containsKey("absent" + i)).isFalse();
    }
    Map<?, ?> untyped = map;
    assertThat(untyped.get(7)).isNull();
    assertThat(map).containsEntry("b", 2L);
  }

  @Test
  void parseObject_map_isNotEmptyAndItsIteratorEnds() throws JsonException {
    Map<String, @Nullable Object> map = Json.parseObject("{\"a\":1}".getBytes(UTF_8), 1);
    assertThat(map.isEmpty()).isFalse();
    java.util.Iterator<Map.Entry<String, @Nullable Object>> it = map.entrySet().iterator();
    it.next();
    assertThat(it.hasNext()).isFalse();
    assertThatThrownBy(it::next).isInstanceOf(java.util.NoSuchElementException.class);
  }

  // --- depth
  // --------------------------------------------------------------------------------------

  @Test
  void parse_depthExactlyAtBound_accepted() throws JsonException {
    for (int maxDepth : new int[] {1, 2, 16, 64, 1000}) {
      byte[] arrays = nested("[", "]", maxDepth).getBytes(UTF_8);
      assertThat(Json.parse(arrays, 0, arrays.length, maxDepth)).isInstanceOf(List.class);
      byte[] objects =
          ("{\"a\":".repeat(maxDepth - 1) + "{}" + "}".repeat(maxDepth - 1)).getBytes(UTF_8);
      assertThat(Json.parseObject(objects, maxDepth)).isInstanceOf(Map.class);
    }
  }

  @Test
  void parse_depthOneBeyondBound_refused() {
    for (int maxDepth : new int[] {1, 2, 16, 64, 999}) {
      byte[] arrays = nested("[", "]", maxDepth + 1).getBytes(UTF_8);
      assertThatThrownBy(() -> Json.parse(arrays, 0, arrays.length, maxDepth))
          .isInstanceOf(JsonException.class)
          .hasMessage("nesting deeper than " + maxDepth + " at offset " + maxDepth);
      byte[] objects = ("{\"a\":".repeat(maxDepth) + "{}" + "}".repeat(maxDepth)).getBytes(UTF_8);
      assertThatThrownBy(() -> Json.parseObject(objects, maxDepth))
          .isInstanceOf(JsonException.class)
          .hasMessageStartingWith("nesting deeper than " + maxDepth);
    }
  }

  @Test
  void parse_mixedNesting_countsObjectsAndArrays() throws JsonException {
    byte[] three = "{\"a\":[{}]}".getBytes(UTF_8);
    assertThat(Json.parseObject(three, 3)).isNotNull();
    assertThatThrownBy(() -> Json.parseObject(three, 2)).isInstanceOf(JsonException.class);
    byte[] scalar = "1".getBytes(UTF_8);
    assertThat(Json.parse(scalar, 0, 1, 1)).isEqualTo(1L);
  }

  @Test
  void parse_hundredThousandOpeningBrackets_refusedWithoutStackOverflow() {
    for (String open : new String[] {"[", "{\"a\":", "[{\"\":"}) {
      byte[] deep = open.repeat(100_000).getBytes(UTF_8);
      Throwable thrown = catchThrowable(() -> Json.parse(deep, 0, deep.length, 1000));
      assertThat(thrown).isInstanceOf(JsonException.class);
      assertThat(thrown).hasMessageStartingWith("nesting deeper than 1000");
    }
  }

  @Test
  void parse_deepButBalanced_refusedAtAnyDepthBound() {
    byte[] deep = nested("[", "]", 5000).getBytes(UTF_8);
    for (int maxDepth : new int[] {1, 64, 1000}) {
      assertThatThrownBy(() -> Json.parse(deep, 0, deep.length, maxDepth))
          .isInstanceOf(JsonException.class);
    }
  }

  // --- messages never leak input
  // ------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"a\":\"SECRETMARKER\",}",
        "{\"SECRETMARKER\":1,\"SECRETMARKER\":2}",
        "{\"a\":SECRETMARKER}",
        "SECRETMARKER",
        "{\"a\":\"SECRETMARKER\"} SECRETMARKER",
        "[\"SECRETMARKER\\q\"]",
        "[\"SECRETMARKER\\uD800\"]",
        "{\"SECRETMARKER\" \"x\"}",
        "{\"a\":1e99999,\"SECRETMARKER\":1}",
        "[\"SECRETMARKER"
      })
  void parse_refusalMessages_neverContainInput(String json) {
    JsonException refusal = refusal(json);
    assertThat(refusal.getMessage()).doesNotContain("SECRET").matches(".* at offset \\d+");
    assertThat(refusal.toString()).doesNotContain("SECRET");
  }

  @Test
  void parse_refusal_hasNoStackTraceAndNoCause() {
    JsonException refusal = refusal("{\"a\":}");
    assertThat(refusal.getStackTrace()).isEmpty();
    assertThat(refusal.getCause()).isNull();
    refusal.addSuppressed(new RuntimeException());
    assertThat(refusal.getSuppressed()).isEmpty();
  }

  @Test
  void parse_invalidUtf8InSecret_messageHasOnlyOffset() {
    byte[] bytes = "{\"a\":\"SECRETMARKER\u00e9\"}".getBytes(UTF_8);
    bytes[bytes.length - 3] = (byte) 0xFF;
    assertThat(refusalOfBytes(bytes).getMessage()).isEqualTo("invalid UTF-8 at offset 18");
  }

  // --- writer
  // -------------------------------------------------------------------------------------

  @Test
  void write_values_compactJson() {
    Map<String, @Nullable Object> map = new LinkedHashMap<>();
    map.put("s", "x");
    map.put("i", 1);
    map.put("l", -2L);
    map.put("sh", (short) 3);
    map.put("b", (byte) 4);
    map.put("bi", new BigInteger("123456789012345678901234567890"));
    map.put("d", 1.5);
    map.put("f", 0.25f);
    map.put("bd", new BigDecimal("1.10"));
    map.put("t", true);
    map.put("n", null);
    map.put("a", List.of(1, "2"));
    map.put("set", new LinkedHashSet<>(List.of("x", "y")));
    map.put("e", Map.of());
    assertThat(Json.write(map))
        .isEqualTo(
            "{\"s\":\"x\",\"i\":1,\"l\":-2,\"sh\":3,\"b\":4,"
                + "\"bi\":123456789012345678901234567890,\"d\":1.5,\"f\":0.25,\"bd\":1.10,"
                + "\"t\":true,\"n\":null,\"a\":[1,\"2\"],\"set\":[\"x\",\"y\"],\"e\":{}}");
    assertThat(Json.write(null)).isEqualTo("null");
    assertThat(Json.write(List.of())).isEqualTo("[]");
  }

  @Test
  void write_strings_escaped() {
    assertThat(Json.write("a\"b\\c/d\b\f\n\r\t\u0000\u001f\u007f"))
        .isEqualTo("\"a\\\"b\\\\c/d\\b\\f\\n\\r\\t\\u0000\\u001f\u007f\"");
    assertThat(Json.write("é€\uD834\uDD1E")).isEqualTo("\"é€\uD834\uDD1E\"");
    assertThat(Json.write("\uD800x\uDC00")).isEqualTo("\"\\ud800x\\udc00\"");
  }

  @Test
  void write_loneSurrogate_escapedAndRefusedByReader() {
    String json = Json.write(List.of("\uDFAA"));
    assertThat(json).isEqualTo("[\"\\udfaa\"]");
    refusal(json);
    assertThat(Json.write("x\uD800")).isEqualTo("\"x\\ud800\"");
    assertThat(Json.write(" \u001f")).isEqualTo("\" \\u001f\"");
  }

  @Test
  void write_unsupported_refusedNamingTypeNotValue() {
    assertThatThrownBy(() -> Json.write(new Secret("SECRETMARKER")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Secret.class.getName())
        .hasMessageNotContaining("SECRETMARKER");
    assertThatThrownBy(() -> Json.write(List.of(new Object())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object");
    assertThatThrownBy(() -> Json.write(Map.of(1, "SECRETMARKER")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Integer")
        .hasMessageNotContaining("SECRETMARKER");
    assertThatThrownBy(() -> Json.write(Collections.singletonMap(null, 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Json.write(new String[] {"a"}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void write_nonFiniteNumbers_refused() {
    for (Object number :
        new Object[] {
          Double.NaN,
          Double.POSITIVE_INFINITY,
          Double.NEGATIVE_INFINITY,
          Float.NaN,
          Float.NEGATIVE_INFINITY
        }) {
      assertThatThrownBy(() -> Json.write(number)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void write_thenParse_roundTrips() throws JsonException {
    Map<String, @Nullable Object> inner = new LinkedHashMap<>();
    inner.put("null", null);
    inner.put("list", Arrays.asList(1L, -0.0, 1e-300, Double.MAX_VALUE, Long.MIN_VALUE, null));
    Map<String, @Nullable Object> value = new LinkedHashMap<>();
    value.put("iss", "https://idp.example.com/");
    value.put("aud", List.of("a", "b"));
    value.put("exp", 1_700_000_000L);
    value.put("scope", "read write");
    value.put("text", "é€\uD834\uDD1E \"q\" \\ \n\u0001");
    value.put("", "");
    value.put("nested", inner);
    value.put("ok", false);
    byte[] json = Json.write(value).getBytes(UTF_8);
    assertThat(Json.parseObject(json, 4)).isEqualTo(value);
    assertThat(new ArrayList<>(Json.parseObject(json, 4).keySet()))
        .isEqualTo(new ArrayList<>(value.keySet()));
  }

  @Test
  void write_numbersOfEveryType_parseBackAsLongOrDouble() throws JsonException {
    assertThat(parse(Json.write(7))).isEqualTo(7L);
    assertThat(parse(Json.write((short) -7))).isEqualTo(-7L);
    assertThat(parse(Json.write(new BigInteger("12")))).isEqualTo(12L);
    assertThat(parse(Json.write(2.0))).isEqualTo(2.0);
    assertThat(parse(Json.write(1e21))).isEqualTo(1e21);
    assertThat(parse(Json.write(0.5f))).isEqualTo(0.5);
    assertThat(parse(Json.write(new BigDecimal("1E+3")))).isEqualTo(1000.0);
    assertThat(parse(Json.write(new BigDecimal("-0.000001")))).isEqualTo(-1e-6);
  }

  @Test
  void parse_isoLatin1FastPath_onlyForAscii() throws JsonException {
    // A string of ASCII followed by non-ASCII must not be decoded as ISO-8859-1.
    assertThat(parse("\"abcé\"")).isEqualTo("abcé");
    assertThat(parse("\"abc\\u00e9\"")).isEqualTo("abcé");
    assertThat(parse("\"abc\\n\"")).isEqualTo("abc\n");
  }

  @Test
  void parse_typicalClaims_readsAllMembers() throws JsonException {
    String claims =
        "{\"iss\":\"https://idp.example.com/\",\"sub\":\"248289761001\",\"aud\":[\"catalog-api\","
            + "\"orders-api\"],\"exp\":1735689600,\"nbf\":1735686000,\"iat\":1735686000,"
            + "\"jti\":\"d2f1c6a0-1f1b-4f9e-9a3b-6b1c2f0e7a11\",\"scope\":\"catalog:read "
            + "orders:write\",\"client_id\":\"s6BhdRkqt3\",\"tenant\":\"acme\",\"email_verified\":true,"
            + "\"amr\":[\"pwd\",\"mfa\"],\"acr\":\"urn:mace:incommon:iap:silver\",\"auth_time\":1735685990,"
            + "\"roles\":[\"admin\",\"user\"],\"ver\":2}";
    var map = Json.parseObject(claims.getBytes(UTF_8), 16);
    assertThat(map).hasSize(16);
    assertThat(map.get("exp")).isEqualTo(1_735_689_600L);
    assertThat(map.get("aud")).isEqualTo(List.of("catalog-api", "orders-api"));
    assertThat(map.get("email_verified")).isEqualTo(true);
    Set<String> keys = map.keySet();
    assertThat(keys).startsWith("iss", "sub", "aud");
  }
}
