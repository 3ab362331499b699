package dev.tollgate.internal;

import dev.tollgate.JwtKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a JSON Web Key Set published by an identity provider, leniently: unusable keys are skipped
 * one by one instead of refusing the whole set, as {@link KeyParsing#jwks(String)} does for a set
 * the user typed in.
 *
 * <p>Skipped, each with a warning that names the key id and the reason (never key material): a
 * member that is not an object, {@code use} other than {@code sig}, {@code key_ops} without {@code
 * verify}, an unsupported {@code kty} or {@code alg}, weak or broken key material, a symmetric
 * ({@code oct}) key (a secret published at a URL is no secret), a key that publishes private
 * members (it is compromised), and a key whose {@code kid} an earlier key already has.
 *
 * <p>Refused as a whole ({@link IllegalArgumentException}): invalid or too deep JSON, no {@code
 * keys} array, more than {@link KeyParsing#MAX_KEYS} members, and ({@link NoUsableKeyException}) a
 * set with no usable key.
 */
public final class JwksDocument {
  /** JWK members that describe a public key or restrict its use; the rest is not kept. */
  private static final List<String> KEPT_MEMBERS =
      List.of("kty", "kid", "use", "key_ops", "alg", "crv", "n", "e", "x", "y");

  /** JWK members that only a private or symmetric key has (RFC 7518 §6). */
  private static final List<String> PRIVATE_MEMBERS =
      List.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

  private static final int MAX_LOGGED_LENGTH = 160;

  private final List<JwtKey> keys;
  private final List<String> warnings;
  private final String json;

  private JwksDocument(List<JwtKey> keys, List<String> warnings, String json) {
    this.keys = List.copyOf(keys);
    this.warnings = List.copyOf(warnings);
    this.json = json;
  }

  /**
   * Parses a key set from UTF-8 bytes.
   *
   * @param utf8 the response body or saved text
   * @return the usable keys, the warnings about skipped ones, and the usable keys as JSON
   * @throws NoUsableKeyException if the bytes are a JWKS but every key in it was skipped; the
   *     message lists why, by key id
   * @throws IllegalArgumentException if the bytes are not a JWKS; the message says why and holds no
   *     input text
   */
  public static JwksDocument parse(byte[] utf8) {
    Map<String, @Nullable Object> doc;
    try {
      doc = Json.parseObject(utf8, KeyParsing.MAX_DEPTH);
    } catch (JsonException e) {
      throw new IllegalArgumentException("not a JSON object: " + e.getMessage());
    }
    Object members = doc.get("keys");
    if (!(members instanceof List)) {
      throw new IllegalArgumentException("no \"keys\" array");
    }
    List<?> list = (List<?>) members;
    if (list.isEmpty()) {
      throw new IllegalArgumentException("the \"keys\" array is empty");
    }
    if (list.size() > KeyParsing.MAX_KEYS) {
      throw new IllegalArgumentException("more than " + KeyParsing.MAX_KEYS + " keys");
    }
    List<JwtKey> keys = new ArrayList<>(list.size());
    List<Object> kept = new ArrayList<>(list.size());
    List<String> warnings = new ArrayList<>();
    Set<String> kids = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      Object entry = list.get(i);
      if (!(entry instanceof Map)) {
        warnings.add("skipped keys[" + i + "]: not a JSON object");
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, @Nullable Object> jwk = (Map<String, @Nullable Object>) entry;
      String label = label(jwk, i);
      String problem = problem(jwk);
      if (problem != null) {
        warnings.add("skipped " + label + ": " + problem);
        continue;
      }
      JwtKey key;
      try {
        key = KeyParsing.jwk(jwk);
      } catch (IllegalArgumentException e) {
        warnings.add("skipped " + label + ": " + safe(String.valueOf(e.getMessage())));
        continue;
      }
      Optional<String> kid = key.keyId();
      if (kid.isPresent() && !kids.add(kid.get())) {
        warnings.add("skipped " + label + ": an earlier key has the same kid");
        continue;
      }
      keys.add(key);
      kept.add(publicMembers(jwk));
    }
    if (keys.isEmpty()) {
      throw new NoUsableKeyException(
          "no usable key among " + list.size() + " (" + String.join("; ", warnings) + ")");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("keys", kept);
    return new JwksDocument(keys, warnings, Json.write(out));
  }

  private static @Nullable String problem(Map<String, @Nullable Object> jwk) {
    if ("oct".equals(jwk.get("kty"))) {
      return "a symmetric (oct) key does not belong in a published key set";
    }
    for (String member : PRIVATE_MEMBERS) {
      if (jwk.containsKey(member)) {
        return "it publishes the private member \"" + member + "\"";
      }
    }
    return null;
  }

  private static Map<String, Object> publicMembers(Map<String, @Nullable Object> jwk) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String name : KEPT_MEMBERS) {
      Object v = jwk.get(name);
      if (v != null) {
        out.put(name, v);
      }
    }
    return out;
  }

  private static String label(Map<String, @Nullable Object> jwk, int index) {
    Object kid = jwk.get("kid");
    if (kid instanceof String) {
      return "key \"" + safe((String) kid) + "\"";
    }
    return "keys[" + index + "]";
  }

  /**
   * Makes text from a key set safe for a log line: control characters become {@code ?} and long
   * text is cut.
   */
  public static String safe(String text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LOGGED_LENGTH + 3));
    for (int i = 0; i < text.length(); i++) {
      if (out.length() >= MAX_LOGGED_LENGTH) {
        out.append("...");
        break;
      }
      char c = text.charAt(i);
      out.append(c < 0x20 || c == 0x7f || Character.isSurrogate(c) ? '?' : c);
    }
    return out.toString();
  }

  /** Thrown for a key set whose every key was skipped. */
  public static final class NoUsableKeyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    NoUsableKeyException(String message) {
      super(message);
    }
  }

  /** Returns the usable keys, in document order. */
  public List<JwtKey> keys() {
    return keys;
  }

  /** Returns one line per skipped key: its kid (or position) and why it was skipped. */
  public List<String> warnings() {
    return warnings;
  }

  /**
   * Returns the usable keys as a JWKS, with only their public members ({@code kty}, {@code kid},
   * {@code use}, {@code key_ops}, {@code alg}, {@code crv}, {@code n}, {@code e}, {@code x}, {@code
   * y}): safe to persist, and read back by {@link #parse(byte[])}.
   */
  public String json() {
    return json;
  }
}
