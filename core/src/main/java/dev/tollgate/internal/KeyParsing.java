package dev.tollgate.internal;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtKey;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;
import org.jspecify.annotations.Nullable;

/**
 * Turns JWK, JWKS and PEM text into checked {@link JwtKey}s. jose4j builds the JDK keys from JWK
 * members; everything else (strict JSON, the JWK's {@code alg}, {@code use} and {@code key_ops},
 * strength) is checked here and in {@link JwtKey}.
 *
 * <p>Error messages name the key id and what is wrong, never key material.
 */
public final class KeyParsing {
  /** The deepest JSON a key document may have. */
  static final int MAX_DEPTH = 8;

  /** The most keys one JWKS may hold. */
  public static final int MAX_KEYS = 1024;

  private static final Pattern PEM_BLOCK =
      Pattern.compile(
          "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----", Pattern.MULTILINE);

  private KeyParsing() {}

  /** Parses one JWK. */
  public static JwtKey jwk(String json) {
    Map<String, @Nullable Object> members = parse(json, "JWK");
    return jwk(members);
  }

  /** Parses a JWKS strictly: every key must be valid, kids unique, no mix of secrets and keys. */
  public static List<JwtKey> jwks(String json) {
    Map<String, @Nullable Object> doc = parse(json, "JWKS");
    List<Map<String, @Nullable Object>> entries = jwksEntries(doc);
    List<JwtKey> keys = new ArrayList<>(entries.size());
    for (Map<String, @Nullable Object> entry : entries) {
      keys.add(jwk(entry));
    }
    checkSet(keys);
    return keys;
  }

  /**
   * Returns the member objects of a JWKS document.
   *
   * @throws IllegalArgumentException if it has no {@code keys} array of objects, or too many
   */
  public static List<Map<String, @Nullable Object>> jwksEntries(Map<String, @Nullable Object> doc) {
    Object keys = doc.get("keys");
    if (!(keys instanceof List)) {
      throw new IllegalArgumentException("JWKS has no \"keys\" array");
    }
    List<?> list = (List<?>) keys;
    if (list.isEmpty()) {
      throw new IllegalArgumentException("JWKS has no keys");
    }
    if (list.size() > MAX_KEYS) {
      throw new IllegalArgumentException("JWKS has more than " + MAX_KEYS + " keys");
    }
    List<Map<String, @Nullable Object>> out = new ArrayList<>(list.size());
    for (Object entry : list) {
      if (!(entry instanceof Map)) {
        throw new IllegalArgumentException("JWKS \"keys\" holds a member that is not an object");
      }
      @SuppressWarnings("unchecked")
      Map<String, @Nullable Object> m = (Map<String, @Nullable Object>) entry;
      out.add(m);
    }
    return out;
  }

  /**
   * Checks a set of keys as a whole: unique key ids, and no mix of secrets and public keys (a mixed
   * set invites algorithm confusion).
   */
  public static void checkSet(List<JwtKey> keys) {
    Set<String> kids = new HashSet<>();
    boolean secrets = false;
    boolean publicKeys = false;
    for (JwtKey k : keys) {
      Optional<String> kid = k.keyId();
      if (kid.isPresent() && !kids.add(kid.get())) {
        throw new IllegalArgumentException(
            "JWKS has two keys with the key id \"" + kid.get() + "\"");
      }
      boolean secret = k.algorithms().contains(Algorithm.HS256);
      secrets |= secret;
      publicKeys |= !secret;
    }
    if (secrets && publicKeys) {
      throw new IllegalArgumentException("JWKS mixes HMAC secrets with public keys");
    }
  }

  /** Parses JSON text as an object, refusing duplicates and deep nesting. */
  public static Map<String, @Nullable Object> parse(String json, String what) {
    try {
      return Json.parseObject(json.getBytes(StandardCharsets.UTF_8), MAX_DEPTH);
    } catch (JsonException e) {
      throw new IllegalArgumentException(what + " is not a valid JSON object: " + e.getMessage());
    }
  }

  /** Builds a key from one JWK's members. */
  public static JwtKey jwk(Map<String, @Nullable Object> jwk) {
    String kid = optionalString(jwk, "kid", null);
    String label = kid == null ? "JWK" : "JWK \"" + kid + "\"";
    String kty = optionalString(jwk, "kty", label);
    if (kty == null) {
      throw new IllegalArgumentException(label + " has no \"kty\"");
    }
    String use = optionalString(jwk, "use", label);
    if (use != null && !use.equals("sig")) {
      throw new IllegalArgumentException(label + " has \"use\" other than \"sig\"");
    }
    Object ops = jwk.get("key_ops");
    if (ops != null) {
      if (!(ops instanceof List) || !((List<?>) ops).contains("verify")) {
        throw new IllegalArgumentException(label + " has \"key_ops\" without \"verify\"");
      }
    }
    Algorithm alg = null;
    String algName = optionalString(jwk, "alg", label);
    if (algName != null) {
      alg = Algorithm.fromJwaName(algName).orElse(null);
      if (alg == null) {
        throw new IllegalArgumentException(
            label + " has \"alg\" that is not a supported JWS algorithm");
      }
    }
    JwtKey key;
    try {
      if (kty.equals("oct")) {
        String k = optionalString(jwk, "k", label);
        byte[] secret = k == null ? null : Base64Url.decode(k);
        if (secret == null) {
          throw new IllegalArgumentException(label + " has no valid \"k\"");
        }
        key = kid == null ? JwtKey.secret(secret) : JwtKey.secret(secret, kid);
      } else {
        PublicKey publicKey = publicKey(jwk, kty, label);
        key = kid == null ? JwtKey.of(publicKey) : JwtKey.of(publicKey, kid);
      }
    } catch (IllegalArgumentException e) {
      String msg = e.getMessage();
      throw new IllegalArgumentException(
          msg != null && msg.startsWith(label) ? msg : label + ": " + msg);
    }
    return alg == null ? key : key.restrictedTo(alg);
  }

  private static PublicKey publicKey(Map<String, @Nullable Object> jwk, String kty, String label) {
    String[] members =
        switch (kty) {
          case "RSA" -> new String[] {"kty", "n", "e"};
          case "EC" -> new String[] {"kty", "crv", "x", "y"};
          case "OKP" -> new String[] {"kty", "crv", "x"};
          default -> throw new IllegalArgumentException(label + " has unsupported \"kty\"");
        };
    // Only the public members go to jose4j: private parts and certificates are never needed to
    // verify, and every member jose4j reads is one more parser to trust.
    Map<String, Object> publicMembers = new LinkedHashMap<>();
    for (String name : members) {
      Object v = jwk.get(name);
      if (!(v instanceof String)) {
        throw new IllegalArgumentException(label + " lacks the string member \"" + name + "\"");
      }
      publicMembers.put(name, v);
    }
    try {
      JsonWebKey parsed = JsonWebKey.Factory.newJwk(publicMembers);
      if (!(parsed instanceof PublicJsonWebKey)) {
        throw new IllegalArgumentException(label + " is not a public key");
      }
      PublicKey key = ((PublicJsonWebKey) parsed).getPublicKey();
      if (key == null) {
        throw new IllegalArgumentException(label + " has no usable public key");
      }
      return key;
    } catch (JoseException | RuntimeException e) {
      if (e instanceof IllegalArgumentException
          && e.getMessage() != null
          && e.getMessage().startsWith(label)) {
        throw (IllegalArgumentException) e;
      }
      // jose4j's messages may quote members; say only what kind of key failed.
      throw new IllegalArgumentException(label + " has invalid " + kty + " key material");
    }
  }

  private static @Nullable String optionalString(
      Map<String, @Nullable Object> jwk, String name, @Nullable String label) {
    Object v = jwk.get(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String)) {
      throw new IllegalArgumentException(
          (label == null ? "JWK" : label) + " has a non-string \"" + name + "\"");
    }
    return (String) v;
  }

  /** Parses PEM text with PUBLIC KEY and CERTIFICATE blocks. */
  public static List<JwtKey> pem(String pem) {
    Matcher m = PEM_BLOCK.matcher(pem);
    List<JwtKey> keys = new ArrayList<>();
    while (m.find()) {
      String type = m.group(1);
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(m.group(2));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("PEM block " + type + " is not valid base64");
      }
      if (type.contains("PRIVATE")) {
        throw new IllegalArgumentException(
            "PEM text holds a private key; give the public key or certificate instead");
      }
      if (type.equals("PUBLIC KEY")) {
        keys.add(JwtKey.of(spki(der)));
      } else if (type.equals("CERTIFICATE")) {
        try {
          X509Certificate cert =
              (X509Certificate)
                  CertificateFactory.getInstance("X.509")
                      .generateCertificate(new ByteArrayInputStream(der));
          keys.add(JwtKey.of(cert.getPublicKey()));
        } catch (GeneralSecurityException | ClassCastException e) {
          throw new IllegalArgumentException("PEM CERTIFICATE block is not an X.509 certificate");
        }
      } else {
        throw new IllegalArgumentException(
            "PEM block " + type + " is not supported; use PUBLIC KEY or CERTIFICATE");
      }
    }
    if (keys.isEmpty()) {
      if (pem.contains("PRIVATE KEY")) {
        throw new IllegalArgumentException(
            "PEM text holds a private key; give the public key or certificate instead");
      }
      throw new IllegalArgumentException("PEM text holds no PUBLIC KEY or CERTIFICATE block");
    }
    return keys;
  }

  private static PublicKey spki(byte[] der) {
    for (String algorithm : new String[] {"RSA", "EC", "EdDSA"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException | RuntimeException e) {
        // try the next kind
      }
    }
    throw new IllegalArgumentException("PEM PUBLIC KEY is not an RSA, EC or EdDSA key");
  }
}
