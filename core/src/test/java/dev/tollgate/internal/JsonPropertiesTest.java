package dev.tollgate.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * Properties of {@link Json}: any bytes end in a value or a {@link JsonException}, nothing else.
 */
class JsonPropertiesTest {

  private static final int MAX_DEPTH = 16;

  /** Every refusal message, with the numbers after "offset " and "than " replaced by N. */
  private static final Set<String> MESSAGES =
      Set.of(
          "unexpected data after the value at offset N",
          "unexpected end of input at offset N",
          "top-level value is not an object at offset N",
          "unexpected character at offset N",
          "invalid literal at offset N",
          "nesting deeper than N at offset N",
          "expected a member name at offset N",
          "duplicate member name at offset N",
          "expected ':' at offset N",
          "expected ',' or '}' at offset N",
          "expected ',' or ']' at offset N",
          "unterminated string at offset N",
          "unescaped control character in string at offset N",
          "invalid escape in string at offset N",
          "invalid \\u escape in string at offset N",
          "unpaired surrogate in string at offset N",
          "invalid UTF-8 at offset N",
          "invalid number at offset N",
          "leading zero in number at offset N",
          "number out of range at offset N");

  /**
   * Parses with both entry points; returns normally or throws only JsonException, whose message
   * must be one of the fixed templates (so it cannot carry input text).
   */
  private static void parseOrRefuse(byte[] bytes) {
    JsonIndexAgreement.check(bytes, MAX_DEPTH);
    boolean accepted;
    @Nullable Object value = null;
    try {
      value = Json.parse(bytes, 0, bytes.length, MAX_DEPTH);
      accepted = true;
    } catch (JsonException refusal) {
      assertTemplate(refusal);
      accepted = false;
    }
    boolean isObject = accepted && value instanceof Map;
    try {
      var object = Json.parseObject(bytes, MAX_DEPTH);
      assertThat(isObject).as("parseObject accepted what parse did not read as an object").isTrue();
      assertThat(object).isEqualTo(value);
    } catch (JsonException refusal) {
      assertTemplate(refusal);
      assertThat(isObject).as("parseObject refused an object that parse accepted").isFalse();
    }
  }

  private static void assertTemplate(JsonException refusal) {
    String message = String.valueOf(refusal.getMessage());
    assertThat(message.replaceAll("(?<=offset |than )\\d+", "N")).isIn(MESSAGES);
  }

  // --- (a) arbitrary bytes
  // ------------------------------------------------------------------------

  @Property(tries = 1000)
  void anyBytes_valueOrJsonException(@ForAll @Size(max = 64) byte[] bytes) {
    parseOrRefuse(bytes);
  }

  @Property(tries = 1000)
  void jsonAlphabetBytes_valueOrJsonException(@ForAll("jsonishBytes") byte[] bytes) {
    parseOrRefuse(bytes);
  }

  @Provide
  Arbitrary<byte[]> jsonishBytes() {
    byte[] alphabet =
        "{}[]{}[]\"\"\"::,,-+.0123456789eE \t\n\rtruefalsenull\\u/bfnrtDd8Cc0aA".getBytes(UTF_8);
    List<Byte> symbols = new ArrayList<>();
    for (byte b : alphabet) {
      symbols.add(b);
    }
    for (int b :
        new int[] {
          0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xA9, 0xE2, 0xED, 0xA0, 0xF0, 0x9F, 0xF4, 0x90,
          0xFF, 0xEF, 0xBB
        }) {
      symbols.add((byte) b);
    }
    return Arbitraries.of(symbols)
        .list()
        .ofMaxSize(48)
        .map(
            list -> {
              byte[] out = new byte[list.size()];
              for (int i = 0; i < out.length; i++) {
                out[i] = list.get(i);
              }
              return out;
            });
  }

  // --- (b) write then parse is the identity
  // -------------------------------------------------------

  @Property(tries = 500)
  void writeThenParse_givesEqualValue(@ForAll("jsonValues") Object tree) throws JsonException {
    @Nullable Object value = materialize(tree);
    byte[] json = Json.write(value).getBytes(UTF_8);
    assertThat(Json.parse(json, 0, json.length, MAX_DEPTH)).isEqualTo(value);
  }

  @Property(tries = 200)
  void writeThenParseObject_givesEqualMap(@ForAll("jsonObjects") Map<String, Object> tree)
      throws JsonException {
    Object map = Objects.requireNonNull(materialize(tree));
    byte[] json = Json.write(map).getBytes(UTF_8);
    var parsed = Json.parseObject(json, MAX_DEPTH);
    assertThat(parsed).isEqualTo(map);
    JsonIndexAgreement.check(json, MAX_DEPTH);
    assertThat(parsed.hashCode()).isEqualTo(map.hashCode());
    assertThat(new ArrayList<>(parsed.keySet()))
        .isEqualTo(new ArrayList<>(((Map<?, ?>) map).keySet()));
  }

  /**
   * Stands for JSON null in generated trees (jqwik's type variables are non-null); {@link
   * #materialize} turns it into {@code null}.
   */
  enum JsonNull {
    INSTANCE
  }

  /** Copies a generated tree, replacing {@link JsonNull} with null and keeping member order. */
  private static @Nullable Object materialize(Object tree) {
    if (tree == JsonNull.INSTANCE) {
      return null;
    }
    if (tree instanceof Map<?, ?> map) {
      Map<String, @Nullable Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put((String) k, materialize(Objects.requireNonNull(v))));
      return copy;
    }
    if (tree instanceof List<?> list) {
      List<@Nullable Object> copy = new ArrayList<>();
      list.forEach(e -> copy.add(materialize(Objects.requireNonNull(e))));
      return copy;
    }
    return tree;
  }

  @Provide
  Arbitrary<Object> jsonValues() {
    return value(3);
  }

  @Provide
  Arbitrary<Map<String, Object>> jsonObjects() {
    // Uniform sizes, so that objects beyond the linear search limit (24 members) are common.
    return Arbitraries.maps(strings(), value(1))
        .ofMaxSize(40)
        .withSizeDistribution(RandomDistribution.uniform());
  }

  private static Arbitrary<Object> value(int depth) {
    Arbitrary<Object> leaf =
        Arbitraries.frequencyOf(
            List.of(
                Tuple.of(3, strings().map(x -> (Object) x)),
                Tuple.of(2, Arbitraries.longs().map(x -> (Object) x)),
                Tuple.of(2, doubles().map(x -> (Object) x)),
                Tuple.of(1, Arbitraries.of(true, false).map(x -> (Object) x)),
                Tuple.of(1, Arbitraries.just((Object) JsonNull.INSTANCE))));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<Object> lists = value(depth - 1).list().ofMaxSize(4).map(list -> (Object) list);
    Arbitrary<Object> maps =
        Arbitraries.maps(strings(), value(depth - 1)).ofMaxSize(4).map(map -> (Object) map);
    return Arbitraries.frequencyOf(
        List.of(Tuple.of(4, leaf), Tuple.of(1, lists), Tuple.of(1, maps)));
  }

  /** Strings of ASCII (control characters and escapes included) or of any Unicode scalar values. */
  private static Arbitrary<String> strings() {
    Arbitrary<String> ascii =
        Arbitraries.strings()
            .ascii()
            .withChars("\"\\/\b\f\n\r\t\u0000\u001f\u007f")
            .ofMaxLength(12);
    Arbitrary<String> unicode =
        Arbitraries.integers()
            .between(0, Character.MAX_CODE_POINT)
            .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
            .list()
            .ofMaxSize(8)
            .map(
                codePoints -> {
                  StringBuilder s = new StringBuilder();
                  codePoints.forEach(s::appendCodePoint);
                  return s.toString();
                });
    Arbitrary<String> supplementary =
        Arbitraries.integers()
            .between(Character.MIN_SUPPLEMENTARY_CODE_POINT, Character.MAX_CODE_POINT)
            .map(cp -> "x" + new String(Character.toChars(cp)) + "\u00e9\u20ac");
    return Arbitraries.oneOf(List.of(ascii, unicode, supplementary));
  }

  /** Finite doubles: any bit pattern, plus short decimals and edge values. */
  private static Arbitrary<Double> doubles() {
    return Arbitraries.oneOf(
        List.of(
            Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite),
            Arbitraries.doubles().between(-1e6, 1e6).ofScale(3),
            Arbitraries.of(
                0.0,
                -0.0,
                1.0,
                -1.0,
                Double.MIN_VALUE,
                -Double.MIN_NORMAL,
                Double.MAX_VALUE,
                1e21,
                1e-7,
                9.007199254740992E15)));
  }

  // --- (c) mutations of valid JSON
  // ----------------------------------------------------------------

  enum Mutation {
    REPLACE,
    INSERT,
    DELETE
  }

  @Property(tries = 500)
  void mutatedJson_valueOrJsonException(
      @ForAll("jsonValues") Object tree,
      @ForAll Mutation mutation,
      @ForAll @IntRange(min = 0, max = 1 << 20) int position,
      @ForAll byte replacement) {
    byte[] json = Json.write(Arrays.asList("SECRETMARKER", materialize(tree))).getBytes(UTF_8);
    byte[] mutated = mutate(json, mutation, position, replacement);
    parseOrRefuse(mutated);
  }

  @Property(tries = 500)
  void mutatedClaims_valueOrJsonException(
      @ForAll Mutation mutation,
      @ForAll @IntRange(min = 0, max = 1 << 20) int position,
      @ForAll("jsonishByte") byte replacement) {
    byte[] claims =
        ("{\"iss\":\"https://idp.example.com/\",\"sub\":\"SECRETMARKER\",\"aud\":[\"api\"],"
                + "\"exp\":1735689600,\"nbf\":-1.5e3,\"ok\":true,\"no\":null,\"x\":\"\\u00e9\\n\","
                + "\"y\":\"\u00e9\u20ac\uD83D\uDE00\",\"z\":{\"a\":[[],{}]}}")
            .getBytes(UTF_8);
    parseOrRefuse(mutate(claims, mutation, position, replacement));
  }

  @Provide
  Arbitrary<Byte> jsonishByte() {
    return jsonishBytes().filter(b -> b.length > 0).map(b -> b[0]);
  }

  private static byte[] mutate(byte[] json, Mutation mutation, int position, byte replacement) {
    switch (mutation) {
      case REPLACE -> {
        byte[] out = json.clone();
        out[position % out.length] = replacement;
        return out;
      }
      case INSERT -> {
        int at = position % (json.length + 1);
        byte[] out = new byte[json.length + 1];
        System.arraycopy(json, 0, out, 0, at);
        out[at] = replacement;
        System.arraycopy(json, at, out, at + 1, json.length - at);
        return out;
      }
      case DELETE -> {
        int at = position % json.length;
        byte[] out = new byte[json.length - 1];
        System.arraycopy(json, 0, out, 0, at);
        System.arraycopy(json, at + 1, out, at, json.length - at - 1);
        return out;
      }
    }
    throw new AssertionError(mutation);
  }
}
