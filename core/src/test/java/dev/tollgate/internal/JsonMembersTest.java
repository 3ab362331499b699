package dev.tollgate.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonMembersTest {
  private static final int DEPTH = 8;

  private static JsonMembers index(String json) throws JsonException {
    JsonMembers members = new JsonMembers();
    byte[] bytes = json.getBytes(UTF_8);
    Json.index(bytes, 0, bytes.length, DEPTH, members);
    return members;
  }

  private static String refusal(String json) {
    JsonException e = catchThrowableOfType(JsonException.class, () -> index(json));
    assertThat(e).as("refusal of %s", json).isNotNull();
    return e.getMessage();
  }

  @Test
  void index_wellKnownNames_foundWithoutSearch() throws JsonException {
    JsonMembers m =
        index(
            "{\"x\":1,\"iss\":\"a\",\"sub\":\"b\",\"aud\":[\"c\"],\"exp\":2,\"nbf\":3,\"iat\":4,"
                + "\"jti\":\"j\",\"scope\":\"s\",\"scp\":[],\"alg\":\"HS256\",\"kid\":\"k\","
                + "\"typ\":\"JWT\",\"crit\":[],\"b64\":true}");
    int[] names = {
      JsonMembers.ISS, JsonMembers.SUB, JsonMembers.AUD, JsonMembers.EXP, JsonMembers.NBF,
      JsonMembers.IAT, JsonMembers.JTI, JsonMembers.SCOPE, JsonMembers.SCP, JsonMembers.ALG,
      JsonMembers.KID, JsonMembers.TYP, JsonMembers.CRIT, JsonMembers.B64
    };
    for (int k = 0; k < names.length; k++) {
      assertThat(m.member(names[k])).as("well-known name %d", k).isEqualTo(k + 1);
    }
    assertThat(m.find("x")).isZero();
    assertThat(m.find("y")).isEqualTo(-1);
  }

  @Test
  void index_noWellKnownNames_noneFound() throws JsonException {
    JsonMembers m = index("{\"issuer\":1,\"is\":2,\"ISS\":3,\"iss \":4,\"b6\":5,\"scopes\":6}");
    for (int k = JsonMembers.ISS; k <= JsonMembers.B64; k++) {
      assertThat(m.member(k)).isEqualTo(-1);
    }
    assertThat(m.find("issuer")).isZero();
    assertThat(m.find("scopes")).isEqualTo(5);
  }

  @Test
  void index_escapedWellKnownName_isThatName() throws JsonException {
    JsonMembers m = index("{\"\\u0069ss\":\"x\",\"k\\u00e9y\":1}");
    assertThat(m.member(JsonMembers.ISS)).isZero();
    assertThat(m.find("iss")).isZero();
    assertThat(m.find("k\u00e9y")).isEqualTo(1);
    assertThat(m.name(1)).isEqualTo("k\u00e9y");
  }

  @Test
  void index_sameNameWrittenTwoWays_refusedAsDuplicate() {
    assertThat(refusal("{\"iss\":1,\"\\u0069ss\":2}")).startsWith("duplicate member name");
    assertThat(refusal("{\"\\u0069ss\":1,\"iss\":2}")).startsWith("duplicate member name");
    assertThat(refusal("{\"a\\/b\":1,\"a/b\":2}")).startsWith("duplicate member name");
    assertThat(refusal("{\"a/b\":1,\"a\\/b\":2}")).startsWith("duplicate member name");
    assertThat(refusal("{\"caf\u00e9\":1,\"caf\\u00e9\":2}")).startsWith("duplicate member name");
    assertThat(refusal("{\"abc\":1,\"x\":0,\"abc\":2}")).startsWith("duplicate member name");
  }

  @Test
  void index_namesOfOneShapeButDifferent_accepted() throws JsonException {
    // Same length, first and last character: the quick hash agrees, the bytes do not.
    JsonMembers m = index("{\"abc\":1,\"axc\":2,\"a\\u0079c\":3,\"a\\u007ac\":4}");
    assertThat(m.size()).isEqualTo(4);
    assertThat(m.find("ayc")).isEqualTo(2);
    assertThat(m.find("azc")).isEqualTo(3);
  }

  @Test
  void index_nestedObjects_duplicateNamesRefusedAsTheParserRefusesThem() {
    String[] refused = {
      "{\"a\":{\"x\":1,\"x\":2}}",
      "{\"a\":{\"x\":1,\"y\":{},\"x\":2}}",
      "{\"a\":[1,{\"x\":1,\"\\u0078\":2}]}",
      "{\"a\":{\"a/b\":1,\"a\\/b\":2}}",
      "{\"a\":{\"caf\u00e9\":1,\"caf\\u00e9\":2}}",
      "{\"a\":{\"b\":{\"c\":{\"d\":1,\"d\":1}}}}",
    };
    for (String json : refused) {
      String message = refusal(json);
      assertThat(message).as(json).startsWith("duplicate member name");
      JsonException parsed =
          catchThrowableOfType(
              JsonException.class, () -> Json.parseObject(json.getBytes(UTF_8), DEPTH));
      assertThat(parsed.getMessage()).as(json).isEqualTo(message);
    }
  }

  @Test
  void index_distinctNamesWithEqualHashes_accepted() throws JsonException {
    // "Aa" and "BB" share their String.hashCode: the hash only picks what to compare.
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
    assertThat(index("{\"Aa\":1,\"BB\":2}").size()).isEqualTo(2);
    assertThat(index("{\"o\":{\"Aa\":1,\"BB\":2}}").size()).isEqualTo(1);
    assertThat(index("{\"o\":{\"Aa\":1,\"\\u0042B\":2}}").size()).isEqualTo(1);
    assertThat(index("{\"o\":{\"\\u0041a\":1,\"BB\":2}}").size()).isEqualTo(1);
    assertThat(refusal("{\"o\":{\"Aa\":1,\"BB\":2,\"A\\u0061\":3}}"))
        .startsWith("duplicate member name");
  }

  @Test
  void index_escapedNameThenItsPlainTwin_duplicate() {
    assertThat(refusal("{\"o\":{\"a\\/b\":1,\"a/b\":2}}")).startsWith("duplicate member name");
    assertThat(refusal("{\"a\\/b\":1,\"a/b\":2}")).startsWith("duplicate member name");
  }

  @Test
  void index_memberMissing_refusedAsTheParserRefusesIt() {
    String[] refused = {"{\"a\":1,}", "{\"o\":{\"a\":1,}}", "{\"o\":{\"a\"}}", "{\"o\":{1:2}}"};
    for (String json : refused) {
      JsonException parsed =
          catchThrowableOfType(
              JsonException.class, () -> Json.parseObject(json.getBytes(UTF_8), DEPTH));
      assertThat(refusal(json)).as(json).isEqualTo(parsed.getMessage());
    }
  }

  @Test
  void index_sliceEndingWhereANameOrValueWouldStart_endOfInput() {
    // The bytes after the slice would continue the text; the reader must not look at them.
    byte[] text = "{\"o\":{\"a\":1,\"b\":2},\"c\":3}".getBytes(UTF_8);
    for (int length : new int[] {5, 12, 16, 19}) {
      JsonException e =
          catchThrowableOfType(
              JsonException.class, () -> Json.index(text, 0, length, DEPTH, new JsonMembers()));
      assertThat(e).as("length %d", length).isNotNull();
      assertThat(e.getMessage()).as("length %d", length).startsWith("unexpected end of input");
    }
  }

  @Test
  void index_nestedObjects_sameNameInAnotherObjectAccepted() throws JsonException {
    // Each object has names of its own: siblings, parents and children may share them.
    JsonMembers m =
        index(
            "{\"x\":{\"x\":{\"x\":1},\"y\":2},\"a\":[{\"x\":1},{\"x\":1}],"
                + "\"b\":{\"y\":{\"z\":0},\"z\":{\"y\":0}}}");
    assertThat(m.size()).isEqualTo(3);
    assertThat(m.value(m.find("b")))
        .isEqualTo(Json.parseObject("{\"y\":{\"z\":0},\"z\":{\"y\":0}}".getBytes(UTF_8), DEPTH));
  }

  @Test
  void index_nestedObjectWithManyMembers_duplicateFoundBeyondTheLinearRange() throws JsonException {
    assertThat(index(fortyMembersThen("{\"o\":{", "\"end\"", "}}")).size()).isEqualTo(1);
    assertDuplicatesFoundAmongFortyMembers("{\"o\":{", "}}");
  }

  /** An object of members m0 to m39, then a last one named {@code last}, inside open/close. */
  private static String fortyMembersThen(String open, String last, String close) {
    StringBuilder json = new StringBuilder(open);
    for (int i = 0; i < 40; i++) {
      json.append("\"m").append(i).append("\":").append(i).append(',');
    }
    return json.append(last).append(":0").append(close).toString();
  }

  private static void assertDuplicatesFoundAmongFortyMembers(String open, String close) {
    for (String twin : new String[] {"\"m3\"", "\"m\\u0033\"", "\"m39\""}) {
      assertThat(refusal(fortyMembersThen(open, twin, close)))
          .as(twin)
          .startsWith("duplicate member name");
    }
  }

  @Test
  void index_namesAlikeButForInnerCharacters_distinctUntilOneRepeats() throws JsonException {
    // Same length, first and last character: told apart by the characters between.
    StringBuilder json = new StringBuilder("{");
    for (int i = 10; i < 30; i++) {
      json.append("\"ext_").append(i / 10).append(i % 10).append("x\":").append(i).append(',');
    }
    JsonMembers m = index(json + "\"end\":0}");
    assertThat(m.size()).isEqualTo(21);
    assertThat(m.find("ext_21x")).isEqualTo(11);
    assertThat(refusal(json + "\"ext_21x\":0}")).startsWith("duplicate member name");
    assertThat(refusal(json + "\"ext_2\\u0031x\":0}")).startsWith("duplicate member name");
  }

  @Test
  void index_manyMembers_duplicateFoundBeyondTheLinearRange() {
    assertDuplicatesFoundAmongFortyMembers("{", "}");
  }

  @Test
  void index_manyMembers_allReadable() throws JsonException {
    StringBuilder json = new StringBuilder("{");
    for (int i = 0; i < 40; i++) {
      json.append(i == 0 ? "" : ",").append("\"m").append(i).append("\":").append(i);
    }
    JsonMembers m = index(json + "}");
    assertThat(m.size()).isEqualTo(40);
    assertThat(m.integer(m.find("m39"))).isEqualTo(39);
  }

  @Test
  void stringEquals_comparesDecodedText() throws JsonException {
    JsonMembers m =
        index("{\"a\":\"https://idp/\",\"b\":\"https:\\/\\/idp\\/\",\"c\":\"\u00e9t\u00e9\"}");
    byte[] idp = "https://idp/".getBytes(UTF_8);
    assertThat(m.kind(0)).isEqualTo(JsonMembers.STRING);
    assertThat(m.kind(1)).isEqualTo(JsonMembers.STRING_ESCAPED);
    assertThat(m.kind(2)).isEqualTo(JsonMembers.STRING);
    assertThat(m.stringEquals(0, idp, "https://idp/")).isTrue();
    assertThat(m.stringEquals(1, idp, "https://idp/")).isTrue();
    assertThat(m.stringEquals(0, "https://idp".getBytes(UTF_8), "https://idp")).isFalse();
    assertThat(m.stringEquals(1, "https://idp".getBytes(UTF_8), "https://idp")).isFalse();
    assertThat(m.stringEquals(2, "\u00e9t\u00e9".getBytes(UTF_8), "\u00e9t\u00e9")).isTrue();
    assertThat(m.string(2)).isEqualTo("\u00e9t\u00e9");
  }

  @Test
  void integer_extremes() throws JsonException {
    JsonMembers m =
        index(
            "{\"max\":9223372036854775807,\"min\":-9223372036854775808,\"zero\":-0,\"big\":9223372036854775808}");
    assertThat(m.integer(0)).isEqualTo(Long.MAX_VALUE);
    assertThat(m.integer(1)).isEqualTo(Long.MIN_VALUE);
    assertThat(m.integer(2)).isZero();
    assertThat(m.kind(3)).isEqualTo(JsonMembers.NUMBER);
    assertThat(m.number(3)).isEqualTo(Math.pow(2, 63));
  }

  @Test
  void index_again_forgetsTheFormerMembers() throws JsonException {
    JsonMembers m = new JsonMembers();
    byte[] first = "{\"iss\":\"a\",\"x\":1}".getBytes(UTF_8);
    Json.index(first, 0, first.length, DEPTH, m);
    byte[] second = "{\"y\":2}".getBytes(UTF_8);
    Json.index(second, 0, second.length, DEPTH, m);
    assertThat(m.size()).isEqualTo(1);
    assertThat(m.member(JsonMembers.ISS)).isEqualTo(-1);
    assertThat(m.find("x")).isEqualTo(-1);
    assertThat(m.toMap()).isEqualTo(Map.of("y", 2L));
  }

  @Test
  void index_afterEscapedNames_forgetsThem() throws JsonException {
    JsonMembers m = new JsonMembers();
    byte[] first = "{\"\\u0078\":1,\"\\u0079\":2}".getBytes(UTF_8);
    Json.index(first, 0, first.length, DEPTH, m);
    byte[] second = "{\"y\":2,\"x\":3}".getBytes(UTF_8);
    Json.index(second, 0, second.length, DEPTH, m);
    assertThat(m.find("x")).isEqualTo(1);
    assertThat(m.name(0)).isEqualTo("y");
  }

  @Test
  void index_manyEscapedNames_allKept() throws JsonException {
    StringBuilder json = new StringBuilder("{");
    for (int i = 0; i < 30; i++) {
      json.append(i == 0 ? "" : ",").append("\"n\\u0061me").append(i).append("\":").append(i);
    }
    JsonMembers m = index(json + ",\"plain\":true}");
    for (JsonMembers view : List.of(m, m.copy())) {
      for (int i = 0; i < 30; i++) {
        assertThat(view.find("name" + i)).isEqualTo(i);
        assertThat(view.name(i)).isEqualTo("name" + i);
      }
      assertThat(view.find("plain")).isEqualTo(30);
    }
    assertThat(refusal(json + ",\"name29\":0}")).startsWith("duplicate member name");
  }

  @Test
  void copy_ofTextNotAtTheStart_keepsNamesAndValues() throws JsonException {
    byte[] bytes = "xx \t{\"k\\u0069d\":\"a\",\"tenant\":\"t\",\"n\":[1]}".getBytes(UTF_8);
    JsonMembers m = new JsonMembers();
    Json.index(bytes, 2, bytes.length - 2, DEPTH, m);
    JsonMembers copy = m.copy();
    Arrays.fill(bytes, (byte) 'x');
    assertThat(copy.name(0)).isEqualTo("kid");
    assertThat(copy.member(JsonMembers.KID)).isZero();
    assertThat(copy.find("tenant")).isEqualTo(1);
    assertThat(copy.name(1)).isEqualTo("tenant");
    assertThat(copy.string(1)).isEqualTo("t");
    assertThat(copy.value(2)).isEqualTo(List.of(1L));
  }

  @Test
  void copy_keepsItsOwnText() throws JsonException {
    byte[] bytes = "  {\"sub\":\"alice\",\"n\":[1,{\"a\":true}]}  ".getBytes(UTF_8);
    JsonMembers m = new JsonMembers();
    Json.index(bytes, 0, bytes.length, DEPTH, m);
    JsonMembers copy = m.copy();
    Arrays.fill(bytes, (byte) ' ');
    assertThat(copy.string(copy.member(JsonMembers.SUB))).isEqualTo("alice");
    assertThat(copy.value(1)).isEqualTo(List.of(1L, Map.of("a", true)));
    assertThat(copy.toMap()).isEqualTo(Map.of("sub", "alice", "n", List.of(1L, Map.of("a", true))));
  }

  @Test
  void index_slice_offsetsCountFromTheSlice() throws JsonException {
    byte[] bytes = "xx{\"a\":\"b\"}yy".getBytes(UTF_8);
    JsonMembers m = new JsonMembers();
    Json.index(bytes, 2, bytes.length - 4, DEPTH, m);
    assertThat(m.string(0)).isEqualTo("b");
    assertThat(m.copy().toMap()).isEqualTo(Map.of("a", "b"));
    JsonException e =
        catchThrowableOfType(JsonException.class, () -> Json.index(bytes, 2, 3, DEPTH, m));
    assertThat(e.getMessage()).isEqualTo("unterminated string at offset 1");
  }

  @Test
  void clear_forgetsTheText() throws JsonException {
    JsonMembers m = index("{\"iss\":\"a\",\"x\":1}");
    m.clear();
    assertThat(m.size()).isZero();
    assertThat(m.member(JsonMembers.ISS)).isEqualTo(-1);
    assertThat(m.find("x")).isEqualTo(-1);
    assertThat(m.toMap()).isEmpty();
  }

  @Test
  void index_emptyObject() throws JsonException {
    JsonMembers m = index(" {} ");
    assertThat(m.size()).isZero();
    assertThat(m.toMap()).isEmpty();
    assertThat(m.copy().toMap()).isEmpty();
  }

  @Test
  void index_depthCountsTheObject() throws JsonException {
    assertThat(refusal("{\"a\":[[[[[[[[1]]]]]]]]}")).startsWith("nesting deeper than 8");
    assertThat(refusal("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{}}}}}}}}}"))
        .startsWith("nesting deeper than 8");
    JsonMembers m = index("{\"a\":[[[[[[[1]]]]]]]}");
    assertThat(m.kind(0)).isEqualTo(JsonMembers.ARRAY);
    assertThat(m.value(0)).isNotNull();
    // At the depth limit, the whole map is built too (with the same bound, the object counted).
    assertThat(m.toMap()).containsKey("a");
    assertThat(m.copy().toMap()).isEqualTo(m.toMap());
    JsonMembers flat = new JsonMembers();
    byte[] one = "{\"a\":1}".getBytes(UTF_8);
    Json.index(one, 0, one.length, 1, flat);
    assertThat(flat.value(0)).isEqualTo(1L);
    byte[] nested = "{\"a\":[]}".getBytes(UTF_8);
    assertThat(
            catchThrowableOfType(
                JsonException.class, () -> Json.index(nested, 0, nested.length, 1, flat)))
        .hasMessageStartingWith("nesting deeper than 1");
  }
}
