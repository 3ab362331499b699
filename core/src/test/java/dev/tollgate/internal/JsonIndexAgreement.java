package dev.tollgate.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Checks that {@link Json#index} agrees with {@link Json#parseObject}: the same texts accepted, the
 * same refusal messages, and the indexed members equal to the parsed ones.
 */
public final class JsonIndexAgreement {
  private JsonIndexAgreement() {}

  public static void check(byte[] bytes, int maxDepth) {
    Map<String, @Nullable Object> parsed = null;
    String parseRefusal = null;
    try {
      parsed = Json.parseObject(bytes, maxDepth);
    } catch (JsonException e) {
      parseRefusal = e.getMessage();
    }
    JsonMembers members = new JsonMembers();
    String indexRefusal = null;
    try {
      Json.index(bytes, 0, bytes.length, maxDepth, members);
    } catch (JsonException e) {
      indexRefusal = e.getMessage();
    }
    assertThat(indexRefusal).as("index refusal vs parseObject's").isEqualTo(parseRefusal);
    if (parsed != null) {
      assertMembers(members, parsed);
      assertMembers(members.copy(), parsed);
    }
  }

  /** The members, read one by one and as a whole, equal {@code expected}. */
  static void assertMembers(JsonMembers members, Map<String, @Nullable Object> expected) {
    assertThat(members.size()).isEqualTo(expected.size());
    Map<String, @Nullable Object> read = new LinkedHashMap<>();
    for (int i = 0; i < members.size(); i++) {
      String name = members.name(i);
      assertThat(members.find(name)).as("find(%s)", name).isEqualTo(i);
      Object value = members.value(i);
      assertThat(kindOf(value, members.kind(i))).as("kind of %s", name).isTrue();
      if (members.isString(i)) {
        assertThat(members.string(i)).isEqualTo(value);
      }
      if (value instanceof Number n) {
        assertThat(members.number(i)).isEqualTo(n.doubleValue());
      }
      if (value instanceof Long l) {
        assertThat(members.integer(i)).isEqualTo(l);
      }
      read.put(name, value);
    }
    assertThat(read).containsExactlyEntriesOf(expected);
    assertThat(members.toMap()).isEqualTo(expected);
  }

  private static boolean kindOf(@Nullable Object value, int kind) {
    return switch (kind) {
      case JsonMembers.STRING, JsonMembers.STRING_ESCAPED -> value instanceof String;
      case JsonMembers.INTEGER -> value instanceof Long;
      case JsonMembers.NUMBER -> value instanceof Double;
      case JsonMembers.TRUE -> Boolean.TRUE.equals(value);
      case JsonMembers.FALSE -> Boolean.FALSE.equals(value);
      case JsonMembers.NULL -> value == null;
      case JsonMembers.OBJECT -> value instanceof Map;
      case JsonMembers.ARRAY -> value instanceof java.util.List;
      default -> false;
    };
  }
}
