package dev.tollgate.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.internal.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * Reads Project Wycheproof test vector files where they lie, in {@code
 * <tollgate.conformance.dir>/wycheproof/testvectors_v1/}, with Tollgate's own JSON reader.
 *
 * <p>When the folder is absent (a fresh clone elsewhere) the calling test is skipped with a message
 * that says so; when the folder is there, a missing or truncated file fails the test.
 */
final class Wycheproof {
  /** Deep enough for every vector file (the deepest nests 9 levels). */
  private static final int MAX_DEPTH = 64;

  private Wycheproof() {}

  /** The root of the shared conformance data. */
  static Path conformanceDirectory() {
    String configured = System.getProperty("tollgate.conformance.dir");
    Path root =
        configured != null && !configured.isBlank() && !configured.startsWith("${")
            ? Path.of(configured)
            : Path.of("..", "..", "shared", "conformance");
    return root.toAbsolutePath().normalize();
  }

  /** The folder of the vector files; skips the calling test when it is absent. */
  static Path vectorDirectory() {
    Path dir = conformanceDirectory().resolve("wycheproof").resolve("testvectors_v1");
    Assumptions.assumeTrue(
        Files.isDirectory(dir),
        "Wycheproof test vectors not found at " + dir + ": Wycheproof conformance tests skipped");
    return dir;
  }

  /** Parses one vector file as a JSON object. */
  static Map<String, @Nullable Object> load(String fileName) throws Exception {
    Path file = vectorDirectory().resolve(fileName);
    assertThat(file).as("Wycheproof vector file").isRegularFile();
    return Json.parseObject(Files.readAllBytes(file), MAX_DEPTH);
  }

  /**
   * Reads every test case of a file, checking {@code numberOfTests} against the number read and
   * that test ids are unique.
   *
   * @param fileName the file in {@code testvectors_v1/}
   * @param prefix the first part of each case's name, e.g. {@code json_web_signature}
   */
  static List<Case> cases(String fileName, String prefix) throws Exception {
    Map<String, @Nullable Object> doc = load(fileName);
    List<Case> cases = new ArrayList<>();
    Set<Integer> ids = new HashSet<>();
    for (Object g : list(doc, "testGroups")) {
      Map<String, @Nullable Object> group = asObject(g, "test group");
      Object comment = group.get("comment");
      String groupName = comment instanceof String ? (String) comment : "";
      for (Object t : list(group, "tests")) {
        Map<String, @Nullable Object> test = asObject(t, "test");
        int tcId = integer(test, "tcId");
        assertThat(ids.add(tcId)).as("tcId %s is unique in %s", tcId, fileName).isTrue();
        List<String> flags = new ArrayList<>();
        for (Object f : list(test, "flags")) {
          flags.add(String.valueOf(f));
        }
        cases.add(
            new Case(
                prefix,
                groupName,
                group,
                test,
                tcId,
                string(test, "result"),
                List.copyOf(flags),
                test.get("comment") instanceof String ? (String) test.get("comment") : ""));
      }
    }
    assertThat(cases)
        .as("numberOfTests of %s", fileName)
        .hasSize(integer(doc, "numberOfTests"))
        .isNotEmpty();
    return cases;
  }

  /** Checks that every test id a decision map names exists in the file. */
  static void assertAllKnown(List<Case> cases, Map<Integer, String> decisions, String mapName) {
    Set<Integer> ids = new HashSet<>();
    for (Case c : cases) {
      ids.add(c.tcId());
    }
    assertThat(ids).as("every tcId in %s exists", mapName).containsAll(decisions.keySet());
  }

  static String string(Map<String, @Nullable Object> m, String name) {
    Object v = m.get(name);
    if (!(v instanceof String)) {
      throw new AssertionError("member \"" + name + "\" is not a string");
    }
    return (String) v;
  }

  static int integer(Map<String, @Nullable Object> m, String name) {
    Object v = m.get(name);
    if (!(v instanceof Long)) {
      throw new AssertionError("member \"" + name + "\" is not an integer");
    }
    return Math.toIntExact((Long) v);
  }

  static List<?> list(Map<String, @Nullable Object> m, String name) {
    Object v = m.get(name);
    if (!(v instanceof List)) {
      throw new AssertionError("member \"" + name + "\" is not an array");
    }
    return (List<?>) v;
  }

  @SuppressWarnings("unchecked") // Json maps objects to Map<String, Object>
  static Map<String, @Nullable Object> asObject(@Nullable Object v, String what) {
    if (!(v instanceof Map)) {
      throw new AssertionError(what + " is not a JSON object");
    }
    return (Map<String, @Nullable Object>) v;
  }

  /** One test case with its group. */
  record Case(
      String prefix,
      String groupComment,
      Map<String, @Nullable Object> group,
      Map<String, @Nullable Object> test,
      int tcId,
      String result,
      List<String> flags,
      String comment) {

    /** The display name: {@code <prefix>/<group comment>/<tcId>}, or {@code <prefix>/<tcId>}. */
    String name() {
      return prefix + "/" + (groupComment.isEmpty() ? "" : groupComment + "/") + tcId;
    }

    boolean valid() {
      return result.equals("valid");
    }

    /** The group's key (or key set): {@code public} if present, else {@code private}. */
    Map<String, @Nullable Object> groupKey() {
      Object key = group.get("public");
      if (key == null) {
        key = group.get("private");
      }
      return asObject(key, "the group's public/private key");
    }
  }
}
