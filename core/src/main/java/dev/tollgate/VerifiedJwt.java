package dev.tollgate;

import dev.tollgate.internal.JsonMembers;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A token that passed every check of a {@link JwtValidator}: its signature, algorithm, issuer,
 * audience, lifetime and the configured claim rules. Only a validator creates one.
 *
 * <p>It holds the claims, not the token: a copy of the claims set's JSON, read again only for the
 * claims asked for (the validator checked all of it). Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class VerifiedJwt {
  private final Algorithm algorithm;
  private final @Nullable String keyId;
  private final @Nullable String type;
  private final String issuer;

  /** The claims set's members, over this instance's own copy of the JSON. */
  private final JsonMembers members;

  private final long expiresAtMillis;
  private volatile @Nullable Set<String> scopes;

  /** All claims, built on first request. */
  private volatile @Nullable Map<String, @Nullable Object> claims;

  VerifiedJwt(
      Algorithm algorithm,
      @Nullable String keyId,
      @Nullable String type,
      String issuer,
      JsonMembers members,
      long expiresAtMillis) {
    this.algorithm = algorithm;
    this.keyId = keyId;
    this.type = type;
    this.issuer = issuer;
    this.members = members;
    this.expiresAtMillis = expiresAtMillis;
  }

  /** Whether {@link #claims()} built its map yet (for tests: a cache hit must not build it). */
  boolean claimsMapBuilt() {
    return claims != null;
  }

  /** The value of a claim by name, or null when it is absent or {@code null}. */
  @Nullable Object value(String name) {
    Map<String, @Nullable Object> all = claims;
    if (all != null) {
      return all.get(name);
    }
    return value(members.find(name));
  }

  /** The value of member {@code i}, or null when {@code i} is -1 (absent). */
  private @Nullable Object value(int i) {
    return i < 0 ? null : members.value(i);
  }

  /** A string claim, checked to be a string (or absent) during validation. */
  private Optional<String> stringClaim(int wellKnownName) {
    int i = members.member(wellKnownName);
    if (i < 0 || members.kind(i) == JsonMembers.NULL) {
      return Optional.empty();
    }
    return Optional.of(members.string(i));
  }

  /**
   * Returns the issuer ({@code iss}); it is one of the validator's issuers.
   *
   * @return the issuer
   * @since 0.1.0
   */
  public String issuer() {
    return issuer;
  }

  /**
   * Returns the subject ({@code sub}).
   *
   * @return the subject, if the token has one
   * @since 0.1.0
   */
  public Optional<String> subject() {
    return stringClaim(JsonMembers.SUB);
  }

  /**
   * Returns the audiences ({@code aud}); at least one is a configured audience.
   *
   * @return the audiences, unmodifiable
   * @since 0.1.0
   */
  public List<String> audience() {
    Object aud = value(members.member(JsonMembers.AUD));
    if (aud instanceof String) {
      return List.of((String) aud);
    }
    @SuppressWarnings("unchecked") // checked during validation: a list of strings
    List<String> list = (List<String>) Objects.requireNonNull(aud);
    return list;
  }

  /**
   * Returns when the token expires ({@code exp}).
   *
   * @return the expiry, to the millisecond
   * @since 0.1.0
   */
  public Instant expiresAt() {
    return Instant.ofEpochMilli(expiresAtMillis);
  }

  /**
   * Returns when the token was issued ({@code iat}).
   *
   * @return the issue time, if the token has one
   * @since 0.1.0
   */
  public Optional<Instant> issuedAt() {
    return instantClaim(JsonMembers.IAT);
  }

  /**
   * Returns when the token becomes valid ({@code nbf}).
   *
   * @return the start of validity, if the token has one
   * @since 0.1.0
   */
  public Optional<Instant> notBefore() {
    return instantClaim(JsonMembers.NBF);
  }

  /**
   * Returns the token's unique id ({@code jti}).
   *
   * @return the id, if the token has one
   * @since 0.1.0
   */
  public Optional<String> jwtId() {
    return stringClaim(JsonMembers.JTI);
  }

  /**
   * Returns the granted scopes: the space-separated {@code scope} claim (RFC 8693, RFC 9068), or
   * else the {@code scp} claim as an array or a space-separated string.
   *
   * @return the scopes, unmodifiable, possibly empty
   * @since 0.1.0
   */
  public Set<String> scopes() {
    Set<String> s = scopes;
    if (s == null) {
      s = computeScopes();
      scopes = s;
    }
    return s;
  }

  private Set<String> computeScopes() {
    int scope = members.member(JsonMembers.SCOPE);
    Object value = value(scope >= 0 ? scope : members.member(JsonMembers.SCP));
    Set<String> out = new LinkedHashSet<>();
    if (value instanceof String) {
      String text = (String) value;
      int start = 0;
      while (start <= text.length()) {
        int end = text.indexOf(' ', start);
        if (end < 0) {
          end = text.length();
        }
        if (end > start) {
          out.add(text.substring(start, end));
        }
        start = end + 1;
      }
    } else if (value instanceof List) {
      for (Object part : (List<?>) value) {
        out.add((String) Objects.requireNonNull(part));
      }
    }
    return Collections.unmodifiableSet(out);
  }

  /**
   * Returns the algorithm the token was signed with.
   *
   * @return the algorithm
   * @since 0.1.0
   */
  public Algorithm algorithm() {
    return algorithm;
  }

  /**
   * Returns the key id ({@code kid}) of the token's header.
   *
   * @return the key id, if the header has one
   * @since 0.1.0
   */
  public Optional<String> keyId() {
    return Optional.ofNullable(keyId);
  }

  /**
   * Returns the token type ({@code typ}) of the token's header, as written.
   *
   * @return the type, if the header has one
   * @since 0.1.0
   */
  public Optional<String> type() {
    return Optional.ofNullable(type);
  }

  /**
   * Returns a claim as a given type.
   *
   * <p>Supported types: {@code String}, {@code Boolean}, {@code Long}, {@code Integer} (when the
   * value fits), {@code Double} (any number), {@code Instant} (a NumericDate: seconds since the
   * epoch), {@code List} and {@code Map} (unmodifiable JSON values), and {@code Object}.
   *
   * @param <T> the wanted type
   * @param name the claim's name
   * @param type the wanted type's class
   * @return the value, or empty when the claim is absent or {@code null}
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the claim has another JSON type, or {@code type} is not
   *     supported
   * @since 0.1.0
   */
  public <T> Optional<T> claim(String name, Class<T> type) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Object value = value(name);
    if (value == null) {
      return Optional.empty();
    }
    Object converted = convert(value, type);
    if (converted == null) {
      throw new IllegalArgumentException(
          "claim \"" + name + "\" is a " + jsonType(value) + ", not a " + type.getSimpleName());
    }
    return Optional.of(type.cast(converted));
  }

  private static @Nullable Object convert(Object value, Class<?> type) {
    if (type == Object.class) {
      return value;
    }
    if (type == String.class || type == Boolean.class || type == Long.class) {
      return type.isInstance(value) ? value : null;
    }
    if (type == List.class || type == Map.class) {
      return type.isInstance(value) ? value : null;
    }
    if (type == Integer.class) {
      if (value instanceof Long) {
        long l = (Long) value;
        return l == (int) l ? Integer.valueOf((int) l) : null;
      }
      return null;
    }
    if (type == Double.class) {
      return value instanceof Number ? Double.valueOf(((Number) value).doubleValue()) : null;
    }
    if (type == Instant.class) {
      if (value instanceof Long) {
        try {
          return Instant.ofEpochSecond((Long) value);
        } catch (java.time.DateTimeException e) {
          return null;
        }
      }
      if (value instanceof Double) {
        double d = (Double) value;
        return Instant.ofEpochMilli((long) Math.floor(d * 1000));
      }
      return null;
    }
    throw new IllegalArgumentException("unsupported claim type " + type.getName());
  }

  private static String jsonType(Object value) {
    if (value instanceof String) {
      return "string";
    }
    if (value instanceof Number) {
      return "number";
    }
    if (value instanceof Boolean) {
      return "boolean";
    }
    if (value instanceof List) {
      return "array";
    }
    return "object";
  }

  private Optional<Instant> instantClaim(int wellKnownName) {
    Object v = value(members.member(wellKnownName));
    return v == null
        ? Optional.empty()
        : Optional.of((Instant) Objects.requireNonNull(convert(v, Instant.class)));
  }

  /**
   * Returns all claims as read from the token: strings, {@code Long} or {@code Double} numbers,
   * booleans, {@code null}, and unmodifiable lists and maps of these.
   *
   * @return the claims, unmodifiable
   * @since 0.1.0
   */
  public Map<String, @Nullable Object> claims() {
    Map<String, @Nullable Object> all = claims;
    if (all == null) {
      all = members.toMap();
      claims = all;
    }
    return all;
  }

  /**
   * Describes the token by its algorithm and number of claims, without claim values.
   *
   * @return a description safe to log
   */
  @Override
  public String toString() {
    return "VerifiedJwt[alg=" + algorithm.jwaName() + ", claims=" + members.size() + "]";
  }
}
