package dev.tollgate.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The top-level members of a JSON object that {@link Json#index} validated in full: where each name
 * and value lies in the text, and each value's kind. Nothing is built until asked for, so a caller
 * that reads a few members of a claims set pays for those, not for the rest.
 *
 * <p>A validator keeps one per thread and indexes into it again and again ({@link Json#index}
 * resets it); {@link #copy()} makes an independent, immutable snapshot with its own copy of the
 * text. A snapshot is safe to share between threads; the per-thread instance is not.
 */
public final class JsonMembers {
  /** A string without escapes: its bytes are exactly its UTF-8 encoding. */
  public static final int STRING = 1;

  /** A string with at least one escape. */
  public static final int STRING_ESCAPED = 2;

  /** A number with neither fraction nor exponent that fits a {@code long}. */
  public static final int INTEGER = 3;

  /** Any other (finite) number. */
  public static final int NUMBER = 4;

  /** {@code true}. */
  public static final int TRUE = 5;

  /** {@code false}. */
  public static final int FALSE = 6;

  /** {@code null}. */
  public static final int NULL = 7;

  /** An object. */
  public static final int OBJECT = 8;

  /** An array. */
  public static final int ARRAY = 9;

  /**
   * Names found without a linear search ({@link #member(int)}): registered claims and the JOSE
   * header parameters the validator reads. The constants below index this list.
   */
  private static final List<String> WELL_KNOWN =
      List.of(
          "iss", "sub", "aud", "exp", "nbf", "iat", "jti", "scope", "scp", "alg", "kid", "typ",
          "crit", "b64");

  /** Index of {@code iss} for {@link #member(int)}. */
  public static final int ISS = 0;

  /** Index of {@code sub}. */
  public static final int SUB = 1;

  /** Index of {@code aud}. */
  public static final int AUD = 2;

  /** Index of {@code exp}. */
  public static final int EXP = 3;

  /** Index of {@code nbf}. */
  public static final int NBF = 4;

  /** Index of {@code iat}. */
  public static final int IAT = 5;

  /** Index of {@code jti}. */
  public static final int JTI = 6;

  /** Index of {@code scope}. */
  public static final int SCOPE = 7;

  /** Index of {@code scp}. */
  public static final int SCP = 8;

  /** Index of {@code alg}. */
  public static final int ALG = 9;

  /** Index of {@code kid}. */
  public static final int KID = 10;

  /** Index of {@code typ}. */
  public static final int TYP = 11;

  /** Index of {@code crit}. */
  public static final int CRIT = 12;

  /** Index of {@code b64}. */
  public static final int B64 = 13;

  /** Keys of the well-known names (bytes packed into a long), for {@link #wellKnown}. */
  private static final long[] WELL_KNOWN_KEYS = new long[WELL_KNOWN.size()];

  /** Multiplier that spreads the well-known keys over 32 slots without collision. */
  private static final long WELL_KNOWN_MULTIPLIER;

  /** Well-known index + 1 by slot; 0 for none. */
  private static final byte[] WELL_KNOWN_SLOTS = new byte[32];

  static {
    for (int i = 0; i < WELL_KNOWN_KEYS.length; i++) {
      byte[] name = WELL_KNOWN.get(i).getBytes(ISO_8859_1);
      WELL_KNOWN_KEYS[i] = packed(name, 0, name.length);
    }
    // Odd multipliers from a SplitMix64 sequence: about one in thirty spreads 14 keys over 32
    // slots, so this ends after a few dozen tries.
    long seed = 0;
    long multiplier;
    do {
      seed += 0x9E3779B97F4A7C15L;
      long z = (seed ^ (seed >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      multiplier = (z ^ (z >>> 31)) | 1;
    } while (!spreads(multiplier));
    WELL_KNOWN_MULTIPLIER = multiplier;
    for (int i = 0; i < WELL_KNOWN_KEYS.length; i++) {
      WELL_KNOWN_SLOTS[slot(WELL_KNOWN_KEYS[i], multiplier)] = (byte) (i + 1);
    }
  }

  private static boolean spreads(long multiplier) {
    int used = 0;
    for (long key : WELL_KNOWN_KEYS) {
      int bit = 1 << slot(key, multiplier);
      if ((used & bit) != 0) {
        return false;
      }
      used |= bit;
    }
    return true;
  }

  private static int slot(long key, long multiplier) {
    return (int) ((key * multiplier) >>> 59);
  }

  /** The bytes of a name of at most 5 bytes, with its length, in one long; -1 for longer ones. */
  private static long packed(byte[] b, int start, int length) {
    if (length > 5) {
      return -1;
    }
    long key = length;
    for (int i = 0; i < length; i++) {
      key = (key << 8) | (b[start + i] & 0xFF);
    }
    return key;
  }

  /** Returns the well-known index of a plain ASCII name, or -1. */
  private static int wellKnown(byte[] b, int start, int length) {
    long key = packed(b, start, length);
    if (key < 0) {
      return -1;
    }
    int i = WELL_KNOWN_SLOTS[slot(key, WELL_KNOWN_MULTIPLIER)] - 1;
    return i >= 0 && WELL_KNOWN_KEYS[i] == key ? i : -1;
  }

  // Per member, WIDTH ints: where the name's characters (inside the quotes) and the value lie.
  private static final int NAME_START = 0;
  private static final int NAME_END = 1;
  private static final int VALUE_START = 2;
  private static final int VALUE_END = 3;
  private static final int KIND = 4;
  private static final int WIDTH = 5;

  private byte[] text;

  /** Where the object lies in {@link #text}: from its '{' to after its '}'. */
  private int objectStart;

  private int objectEnd;

  private int count;
  private int[] members;

  /** Decoded names, for names that are not plain ASCII (escapes or other characters); or null. */
  private @Nullable String @Nullable [] decodedNames;

  /** Member number + 1 of each well-known name, or 0. */
  private final int[] wellKnown;

  /** How deep a member's value may still nest (the object's own level taken). */
  private int valueDepth;

  /** Creates an empty set of members, to index into. */
  public JsonMembers() {
    this.text = NO_TEXT;
    this.members = new int[WIDTH * 16];
    this.wellKnown = new int[WELL_KNOWN.size()];
  }

  private JsonMembers(JsonMembers from) {
    int base = from.objectStart;
    this.text = Arrays.copyOfRange(from.text, base, from.objectEnd);
    this.objectStart = 0;
    this.objectEnd = text.length;
    this.count = from.count;
    int[] copied = Arrays.copyOf(from.members, WIDTH * from.count);
    if (base != 0) {
      for (int at = 0; at < copied.length; at += WIDTH) {
        copied[at + NAME_START] -= base;
        copied[at + NAME_END] -= base;
        copied[at + VALUE_START] -= base;
        copied[at + VALUE_END] -= base;
      }
    }
    this.members = copied;
    @Nullable String @Nullable [] names = from.decodedNames;
    this.decodedNames = names == null ? null : names.clone();
    this.wellKnown = from.wellKnown.clone();
    this.valueDepth = from.valueDepth;
  }

  /**
   * Returns an immutable copy holding its own copy of the object's text.
   *
   * @return the copy
   */
  public JsonMembers copy() {
    return new JsonMembers(this);
  }

  /**
   * Forgets the indexed text (so that a large buffer it points into can be collected); {@link
   * Json#index} fills it again.
   */
  public void clear() {
    text = NO_TEXT;
    count = 0;
    objectStart = 0;
    objectEnd = 0;
    decodedNames = null;
    Arrays.fill(wellKnown, 0);
  }

  private static final byte[] NO_TEXT = {};

  // --- filled by Json.index -------------------------------------------------------------------

  void reset(byte[] text, int objectStart, int valueDepth) {
    this.text = text;
    this.objectStart = objectStart;
    this.objectEnd = objectStart;
    this.valueDepth = valueDepth;
    this.count = 0;
    this.decodedNames = null;
    Arrays.fill(wellKnown, 0);
  }

  /**
   * Scratch for {@link Json#index}, at least {@code length} long: the numbers of members whose
   * names are not well-known, and after them their {@link #nameHash}es.
   */
  private int @Nullable [] others;

  int[] others(int length) {
    int[] o = others;
    if (o == null) {
      o = new int[length];
      others = o;
    }
    return o;
  }

  /** {@link #add} found a well-known name that was not a member yet. */
  static final int ADDED_WELL_KNOWN = 0;

  /** {@link #add} added a name that is not well-known: the caller looks for duplicates. */
  static final int ADDED_OTHER = 1;

  /** {@link #add} found a well-known name that is already a member. */
  static final int DUPLICATE = -1;

  /**
   * Adds a member whose name is {@code text[nameStart, nameEnd)} (inside the quotes); {@code
   * decoded} is the name when it is not plain ASCII, else null. Well-known names are checked for
   * duplicates here; for other names the caller compares them with the other names that are not
   * well-known (a well-known name never equals one that is not).
   *
   * @return {@link #ADDED_WELL_KNOWN}, {@link #ADDED_OTHER} or {@link #DUPLICATE}
   */
  int add(int nameStart, int nameEnd, @Nullable String decoded) {
    int n = count;
    if (WIDTH * (n + 1) > members.length) {
      members = Arrays.copyOf(members, 2 * members.length);
    }
    int at = WIDTH * n;
    members[at + NAME_START] = nameStart;
    members[at + NAME_END] = nameEnd;
    int known;
    if (decoded == null) {
      known = wellKnown(text, nameStart, nameEnd - nameStart);
    } else {
      @Nullable String @Nullable [] names = decodedNames;
      if (names == null || names.length <= n) {
        names = names == null ? new String[Math.max(8, n + 1)] : Arrays.copyOf(names, 2 * n + 1);
        decodedNames = names;
      }
      names[n] = decoded;
      known = WELL_KNOWN.indexOf(decoded);
    }
    count = n + 1;
    if (known < 0) {
      return ADDED_OTHER;
    }
    if (wellKnown[known] != 0) {
      return DUPLICATE;
    }
    wellKnown[known] = n + 1;
    return ADDED_WELL_KNOWN;
  }

  void end(int objectEnd) {
    this.objectEnd = objectEnd;
  }

  void value(int start, int end, int kind) {
    int at = WIDTH * (count - 1);
    members[at + VALUE_START] = start;
    members[at + VALUE_END] = end;
    members[at + KIND] = kind;
  }

  /** Member {@code i}'s name when it is not plain ASCII, else null. */
  private @Nullable String decodedName(int i) {
    @Nullable String @Nullable [] names = decodedNames;
    return names == null || names.length <= i ? null : names[i];
  }

  /** Whether members {@code i} and {@code j} have the same name. */
  boolean sameName(int i, int j) {
    if (decodedName(i) == null && decodedName(j) == null) {
      int ai = WIDTH * i;
      int bj = WIDTH * j;
      return Arrays.equals(
          text,
          members[ai + NAME_START],
          members[ai + NAME_END],
          text,
          members[bj + NAME_START],
          members[bj + NAME_END]);
    }
    return name(i).equals(name(j));
  }

  /**
   * A hash of member {@code i}'s name that equal names share, however they were written: the name's
   * {@link String#hashCode()} (a name kept undecoded is plain ASCII, one byte a character). Every
   * character counts: names of one length that differ only inside, as {@code ext_11} and {@code
   * ext_21} or namespaced claims, must not look alike.
   */
  int nameHash(int i) {
    String decoded = decodedName(i);
    if (decoded != null) {
      return decoded.hashCode();
    }
    int at = WIDTH * i;
    int h = 0;
    for (int p = members[at + NAME_START], end = members[at + NAME_END]; p < end; p++) {
      h = 31 * h + text[p];
    }
    return h;
  }

  // --- reading --------------------------------------------------------------------------------

  /**
   * Returns how many members there are.
   *
   * @return the number of members
   */
  public int size() {
    return count;
  }

  /**
   * Returns the member with a well-known name ({@link #ISS}, {@link #ALG}, ...).
   *
   * @param wellKnownName one of this class's name constants
   * @return the member's number, or -1 when there is no such member
   */
  public int member(int wellKnownName) {
    return wellKnown[wellKnownName] - 1;
  }

  /**
   * Finds a member by name.
   *
   * @param name the name
   * @return the member's number, or -1 when there is no such member
   */
  public int find(String name) {
    int known = WELL_KNOWN.indexOf(name);
    if (known >= 0) {
      return member(known);
    }
    int length = name.length();
    for (int i = 0; i < count; i++) {
      String decoded = decodedName(i);
      if (decoded != null) {
        if (decoded.equals(name)) {
          return i;
        }
        continue;
      }
      int start = members[WIDTH * i + NAME_START];
      if (members[WIDTH * i + NAME_END] - start == length && sameChars(start, name)) {
        return i;
      }
    }
    return -1;
  }

  private boolean sameChars(int start, String name) {
    for (int k = 0; k < name.length(); k++) {
      if (text[start + k] != name.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns a member's name.
   *
   * @param i the member's number
   * @return its name
   */
  public String name(int i) {
    String decoded = decodedName(i);
    if (decoded != null) {
      return decoded;
    }
    int start = members[WIDTH * i + NAME_START];
    return new String(text, start, members[WIDTH * i + NAME_END] - start, ISO_8859_1);
  }

  /**
   * Returns the kind of a member's value ({@link #STRING}, {@link #INTEGER}, ...).
   *
   * @param i the member's number
   * @return its kind
   */
  public int kind(int i) {
    return members[WIDTH * i + KIND];
  }

  /**
   * Whether a member's value is a string.
   *
   * @param i the member's number
   * @return true for {@link #STRING} and {@link #STRING_ESCAPED}
   */
  public boolean isString(int i) {
    int kind = kind(i);
    return kind == STRING || kind == STRING_ESCAPED;
  }

  /**
   * Returns a string value.
   *
   * @param i the member's number; its value must be a string
   * @return the string
   */
  public String string(int i) {
    int at = WIDTH * i;
    int start = members[at + VALUE_START];
    int end = members[at + VALUE_END];
    if (members[at + KIND] == STRING) {
      return new String(text, start + 1, end - start - 2, UTF_8);
    }
    return (String) Objects.requireNonNull(value(i));
  }

  /**
   * Whether a string value equals a string given as its UTF-8 bytes, without decoding it when it
   * has no escapes.
   *
   * @param i the member's number; its value must be a string
   * @param utf8 the other string's UTF-8 encoding
   * @param other the other string
   * @return whether they are equal
   */
  public boolean stringEquals(int i, byte[] utf8, String other) {
    int at = WIDTH * i;
    if (members[at + KIND] == STRING) {
      int start = members[at + VALUE_START] + 1;
      int end = members[at + VALUE_END] - 1;
      return Arrays.equals(text, start, end, utf8, 0, utf8.length);
    }
    return string(i).equals(other);
  }

  /**
   * Returns an integer value.
   *
   * @param i the member's number; its value must be an {@link #INTEGER}
   * @return the value
   */
  public long integer(int i) {
    int at = WIDTH * i;
    int p = members[at + VALUE_START];
    int end = members[at + VALUE_END];
    boolean negative = text[p] == '-';
    if (negative) {
      p++;
    }
    // Accumulated as a negative number, so that Long.MIN_VALUE fits.
    long value = 0;
    for (; p < end; p++) {
      value = value * 10 - (text[p] - '0');
    }
    return negative ? value : -value;
  }

  /**
   * Returns a number value as a double.
   *
   * @param i the member's number; its value must be an {@link #INTEGER} or a {@link #NUMBER}
   * @return the value (for an integer, the nearest double)
   */
  public double number(int i) {
    if (kind(i) == INTEGER) {
      return integer(i);
    }
    int start = members[WIDTH * i + VALUE_START];
    int end = members[WIDTH * i + VALUE_END];
    return Double.parseDouble(new String(text, start, end - start, ISO_8859_1));
  }

  /**
   * Builds a member's value as {@link Json#parse} would.
   *
   * @param i the member's number
   * @return the value
   */
  public @Nullable Object value(int i) {
    int start = members[WIDTH * i + VALUE_START];
    int end = members[WIDTH * i + VALUE_END];
    try {
      return Json.parse(text, start, end - start, Math.max(1, valueDepth));
    } catch (JsonException e) {
      // The whole text was validated with the same limits.
      throw new IllegalStateException("an indexed value no longer parses", e);
    }
  }

  /**
   * Builds the whole object, as {@link Json#parseObject} would.
   *
   * @return the members in order, an unmodifiable map
   */
  public Map<String, @Nullable Object> toMap() {
    if (objectEnd == objectStart) {
      return Map.of(); // cleared
    }
    try {
      return Json.parseObject(text, objectStart, objectEnd - objectStart, valueDepth + 1);
    } catch (JsonException e) {
      throw new IllegalStateException("an indexed object no longer parses", e);
    }
  }
}
