package dev.tollgate.fuzz;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tollgate.internal.Json;
import dev.tollgate.internal.JsonException;
import dev.tollgate.internal.JsonIndexAgreement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the strict JSON reader that every header, claims set and key document goes through. A
 * finding is any exception but {@code JsonException}, a hang (10 s), and a broken promise: the
 * result must not depend on where the text lies in its array, a deeper bound must never change a
 * result, objects must hold no repeated name and answer {@code get} for each of their members, and
 * what is read must write back to text that reads as the same value.
 */
class JsonFuzzTest {
  private static final int[] DEPTHS = {8, 32, 1000};

  @FuzzTest(maxDuration = "5m")
  @Timeout(10)
  @DictionaryEntries({
    "true",
    "false",
    "null",
    "\\u",
    "\\ud800",
    "\\udc00",
    "\\ud83d\\ude00",
    "1e308",
    "1e309",
    "-0",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "\"alg\"",
    "\"exp\"",
    "\"keys\""
  })
  void parse(byte[] input) {
    // The index of an object's members accepts and refuses exactly what parseObject does.
    JsonIndexAgreement.check(input, 32);
    @Nullable Object previous = Outcome.NONE;
    for (int depth : DEPTHS) {
      Object outcome = outcome(input, 0, input.length, depth);
      if (previous != Outcome.NONE
          && previous != Outcome.REFUSED
          && !Objects.equals(previous, outcome)) {
        throw new AssertionError("a deeper bound changed an accepted result");
      }
      previous = outcome;
    }
    // The same text inside a larger array, between bytes that would change it if read.
    byte[] framed = new byte[input.length + 4];
    framed[0] = '[';
    framed[1] = '"';
    System.arraycopy(input, 0, framed, 2, input.length);
    framed[input.length + 2] = '1';
    framed[input.length + 3] = '}';
    if (!Objects.equals(
        outcome(framed, 2, input.length, 32), outcome(input, 0, input.length, 32))) {
      throw new AssertionError("the result depends on the slice's position");
    }
    Object value = outcome(input, 0, input.length, 1000);
    if (value == Outcome.REFUSED) {
      return;
    }
    checkObjects(value);
    byte[] written = Json.write(value).getBytes(UTF_8);
    Object again = outcome(written, 0, written.length, 1000);
    if (!Objects.equals(value, again)) {
      throw new AssertionError("value does not survive writing and reading: " + Json.write(value));
    }
    boolean isObject = value instanceof Map;
    try {
      Map<String, @Nullable Object> object = Json.parseObject(input, 1000);
      if (!isObject || !object.equals(value)) {
        throw new AssertionError("parseObject and parse disagree");
      }
    } catch (JsonException e) {
      if (isObject) {
        throw new AssertionError("parseObject refused an object parse read", e);
      }
    }
  }

  /** Stands for a refusal, so that outcomes compare with {@code equals}. */
  private enum Outcome {
    NONE,
    REFUSED
  }

  private static @Nullable Object outcome(byte[] bytes, int offset, int length, int depth) {
    try {
      return Json.parse(bytes, offset, length, depth);
    } catch (JsonException e) {
      String message = String.valueOf(e.getMessage());
      // Messages name the problem and an offset; they never quote input.
      if (!message.matches("[A-Za-z0-9 ',:{}\\[\\]\\\\-]+ at offset [0-9]+")) {
        throw new AssertionError("refusal message has unexpected text: " + message, e);
      }
      return Outcome.REFUSED;
    }
  }

  private static void checkObjects(@Nullable Object value) {
    if (value instanceof Map<?, ?> map) {
      Set<Object> names = new HashSet<>();
      int count = 0;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        count++;
        if (!names.add(e.getKey())) {
          throw new AssertionError("object holds a repeated name");
        }
        if (!map.containsKey(e.getKey()) || !Objects.equals(map.get(e.getKey()), e.getValue())) {
          throw new AssertionError("object does not find its own member");
        }
        checkObjects(e.getValue());
      }
      if (count != map.size()) {
        throw new AssertionError("object size disagrees with its members");
      }
    } else if (value instanceof List<?> list) {
      for (Object v : list) {
        checkObjects(v);
      }
    }
  }
}
