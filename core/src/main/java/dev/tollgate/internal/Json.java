package dev.tollgate.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * A strict, bounded JSON (RFC 8259) reader and a small compact writer.
 *
 * <p>The reader works directly on UTF-8 bytes and accepts exactly the RFC 8259 grammar and nothing
 * else: no comments, trailing commas, single quotes, leading zeros, {@code +} signs, {@code NaN},
 * byte order mark or trailing data. It also refuses what RFC 8259 leaves open, so that no two
 * parsers can read one text differently: invalid UTF-8 (overlong forms, encoded surrogates, code
 * points above U+10FFFF, truncated sequences), unpaired surrogates from <code>&#92;u</code>
 * escapes, duplicate member names, numbers too large for a {@code double}, and nesting deeper than
 * the caller's bound (checked before descending, so no input can exhaust the stack).
 *
 * <p>Values map to Java as follows: object to an unmodifiable {@code Map<String, Object>} that
 * keeps member order; array to an unmodifiable {@code List}; string to {@link String}; {@code true}
 * and {@code false} to {@link Boolean}; {@code null} to {@code null}; a number to {@link Long} when
 * it is an integer literal (no fraction, no exponent) that fits, otherwise to a finite {@link
 * Double}.
 *
 * <p>Security: every refusal is a {@link JsonException} whose message names the problem and its
 * byte offset but never contains input text; no other exception escapes for any input bytes.
 */
public final class Json {
  /** The largest nesting bound a caller may ask for; far above any sensible JOSE document. */
  static final int MAX_DEPTH_LIMIT = 1000;

  /**
   * Objects with at most this many members are searched linearly behind a 64-bit Bloom filter of
   * their names; larger ones get a {@link HashMap} index, whose tree bins keep lookups logarithmic
   * even when an attacker sends many names with equal {@code String.hashCode}.
   */
  private static final int LINEAR_MAX = 24;

  /** The stack of a reader that has not needed one yet (an index builds no values). */
  private static final @Nullable Object[] NO_OBJECTS = {};

  private static final int[] NO_INTS = {};

  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** The digits of Long.MAX_VALUE and of -Long.MIN_VALUE. */
  private static final byte[] LONG_LIMIT_POSITIVE = "9223372036854775807".getBytes(ISO_8859_1);

  private static final byte[] LONG_LIMIT_NEGATIVE = "9223372036854775808".getBytes(ISO_8859_1);

  /** Bytes that end the fast path through a string: quote, backslash, controls, non-ASCII. */
  private static final boolean[] STRING_SPECIAL = new boolean[256];

  static {
    for (int c = 0; c < 256; c++) {
      STRING_SPECIAL[c] = c < 0x20 || c >= 0x80 || c == '"' || c == '\\';
    }
  }

  /** Eight input bytes at a time, the first in the lowest byte of the long. */
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long ONES = 0x0101_0101_0101_0101L;
  private static final long HIGHS = 0x8080_8080_8080_8080L;

  private Json() {}

  /**
   * Returns the index of the first byte in {@code b[from, end)} that ends the fast path through a
   * string (see {@link #STRING_SPECIAL}), or {@code end}. Eight bytes at a time: for each kind of
   * special byte the word test below has no false negatives, and any false positive sits above a
   * true one, so the lowest flagged byte is exactly the first special byte.
   */
  static int plainUntil(byte[] b, int from, int end) {
    int i = from;
    for (; i <= end - 8; i += 8) {
      long w = (long) LONGS.get(b, i);
      long quote = w ^ (ONES * '"');
      long backslash = w ^ (ONES * '\\');
      long special =
          ((quote - ONES) & ~quote)
              | ((backslash - ONES) & ~backslash)
              | ((w - ONES * 0x20) & ~w)
              | w;
      special &= HIGHS;
      if (special != 0) {
        return i + (Long.numberOfTrailingZeros(special) >>> 3);
      }
    }
    while (i < end && !STRING_SPECIAL[b[i] & 0xFF]) {
      i++;
    }
    return i;
  }

  /**
   * Parses a whole JSON text that must be an object.
   *
   * @param utf8 the JSON text in UTF-8
   * @param maxDepth the deepest nesting of objects and arrays allowed, the top-level object being
   *     depth 1; between 1 and 1000
   * @return the object, an unmodifiable map in member order
   * @throws JsonException if the bytes are not a valid JSON text, its top-level value is not an
   *     object, or it nests deeper than {@code maxDepth}
   * @throws IllegalArgumentException if {@code maxDepth} is not between 1 and 1000
   */
  public static Map<String, @Nullable Object> parseObject(byte[] utf8, int maxDepth)
      throws JsonException {
    return parseObject(utf8, 0, utf8.length, maxDepth);
  }

  /**
   * Parses a JSON text that must be an object from a slice of an array.
   *
   * <p>Offsets in refusal messages count from {@code offset}.
   *
   * @param utf8 the array holding the JSON text in UTF-8
   * @param offset where the text starts in {@code utf8}
   * @param length the length of the text in bytes
   * @param maxDepth the deepest nesting of objects and arrays allowed, the top-level object being
   *     depth 1; between 1 and 1000
   * @return the object, an unmodifiable map in member order
   * @throws JsonException if the bytes are not a valid JSON text, its top-level value is not an
   *     object, or it nests deeper than {@code maxDepth}
   * @throws IllegalArgumentException if {@code maxDepth} is not between 1 and 1000
   * @throws IndexOutOfBoundsException if the slice is not inside {@code utf8}
   */
  public static Map<String, @Nullable Object> parseObject(
      byte[] utf8, int offset, int length, int maxDepth) throws JsonException {
    Reader reader = new Reader(utf8, offset, length, maxDepth);
    return reader.readTopObject();
  }

  /**
   * Validates a JSON text that must be an object exactly as {@link #parseObject(byte[], int, int,
   * int)} does (the same texts are accepted and refused), but builds nothing: it records where each
   * top-level member's name and value lie, and each value's kind, in {@code into}. The names of
   * nested objects are compared as slices of the text to find duplicates.
   *
   * <p>Offsets in refusal messages count from {@code offset}. {@code into} keeps a reference to
   * {@code utf8}, which must not change while {@code into} is read.
   *
   * @param utf8 the array holding the JSON text in UTF-8
   * @param offset where the text starts in {@code utf8}
   * @param length the length of the text in bytes
   * @param maxDepth the deepest nesting of objects and arrays allowed, the top-level object being
   *     depth 1; between 1 and 1000
   * @param into where the members go; its previous contents are dropped
   * @throws JsonException if the bytes are not a valid JSON text, its top-level value is not an
   *     object, or it nests deeper than {@code maxDepth}; {@code into} is then unspecified
   * @throws IllegalArgumentException if {@code maxDepth} is not between 1 and 1000
   * @throws IndexOutOfBoundsException if the slice is not inside {@code utf8}
   */
  public static void index(byte[] utf8, int offset, int length, int maxDepth, JsonMembers into)
      throws JsonException {
    Reader reader = new Reader(utf8, offset, length, maxDepth);
    reader.indexTopObject(into);
  }

  /**
   * Parses any JSON value (an RFC 8259 JSON text) from a slice of an array.
   *
   * <p>Offsets in refusal messages count from {@code offset}.
   *
   * @param utf8 the array holding the JSON text in UTF-8
   * @param offset where the text starts in {@code utf8}
   * @param length the length of the text in bytes
   * @param maxDepth the deepest nesting of objects and arrays allowed, an outermost object or array
   *     being depth 1; between 1 and 1000
   * @return the value: a {@code Map}, {@code List}, {@code String}, {@code Boolean}, {@code Long},
   *     {@code Double} or {@code null}
   * @throws JsonException if the bytes are not a valid JSON text or it nests deeper than {@code
   *     maxDepth}
   * @throws IllegalArgumentException if {@code maxDepth} is not between 1 and 1000
   * @throws IndexOutOfBoundsException if the slice is not inside {@code utf8}
   */
  public static @Nullable Object parse(byte[] utf8, int offset, int length, int maxDepth)
      throws JsonException {
    Reader reader = new Reader(utf8, offset, length, maxDepth);
    return reader.readTop();
  }

  /**
   * Writes a value as compact JSON (no insignificant whitespace).
   *
   * <p>Supported: {@code null}; {@code Map} with {@code String} keys (written in iteration order);
   * any {@code Collection} (as an array); {@code String}; {@code Boolean}; {@code Byte}, {@code
   * Short}, {@code Integer}, {@code Long}, {@code BigInteger}; finite {@code Float}, {@code Double}
   * and {@code BigDecimal}. Strings escape {@code "}, {@code \} and control characters; other
   * characters are written as they are, except unpaired surrogates, which are written as <code>
   * &#92;u</code> escapes (such output is refused by this class's reader).
   *
   * @param value the value to write
   * @return the JSON text
   * @throws IllegalArgumentException if the value or a nested value has an unsupported type, a map
   *     key is not a {@code String}, or a number is not finite; the message names the type, never
   *     the value
   */
  public static String write(@Nullable Object value) {
    StringBuilder out = new StringBuilder(64);
    writeValue(out, value);
    return out.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Reader

  /** One parse: the input slice, the position, and a scratch stack for members being collected. */
  private static final class Reader {
    private final byte[] in;
    private final int base;
    private final int end;
    private final int maxDepth;
    private int pos;

    /** Members of the containers being parsed: key, value pairs for objects, values for arrays. */
    private @Nullable Object[] stack = NO_OBJECTS;

    private int sp;

    /**
     * Names of the objects being skipped ({@link #skipObject}), innermost last, up to {@link
     * #LINEAR_MAX} an object, three ints each: where the name starts in {@code in} (after its
     * quote), where it ends (before its quote; -1 for a name with escapes or non-ASCII, decoded
     * again when compared), and its hash.
     */
    private int[] names = NO_INTS;

    private int nameTop;

    /** The value of the number {@link #scanNumber} read last, by its kind. */
    private long scannedLong;

    private double scannedDouble;

    Reader(byte[] in, int offset, int length, int maxDepth) {
      Objects.checkFromIndexSize(offset, length, in.length);
      if (maxDepth < 1 || maxDepth > MAX_DEPTH_LIMIT) {
        throw new IllegalArgumentException(
            "maxDepth must be between 1 and " + MAX_DEPTH_LIMIT + ": " + maxDepth);
      }
      this.in = in;
      this.base = offset;
      this.end = offset + length;
      this.maxDepth = maxDepth;
      this.pos = offset;
    }

    /** Makes room for about one value per 8 bytes: a typical claims set never grows the stack. */
    private void sizeStack() {
      stack = new Object[Math.min(Math.max((end - base) >>> 3, 16), 256)];
    }

    @Nullable Object readTop() throws JsonException {
      sizeStack();
      skipWhitespace();
      Object value = readValue(0);
      skipWhitespace();
      if (pos != end) {
        throw fail("unexpected data after the value", pos);
      }
      return value;
    }

    Map<String, @Nullable Object> readTopObject() throws JsonException {
      sizeStack();
      skipWhitespace();
      if (pos >= end) {
        throw fail("unexpected end of input", pos);
      }
      if (in[pos] != '{') {
        throw fail("top-level value is not an object", pos);
      }
      Map<String, @Nullable Object> value = readObject(1);
      skipWhitespace();
      if (pos != end) {
        throw fail("unexpected data after the value", pos);
      }
      return value;
    }

    private JsonException fail(String what, int at) {
      return new JsonException(what + " at offset " + (at - base));
    }

    /**
     * Skips whitespace at {@code pos}. Small enough to be inlined where it is called: compact JSON
     * has none, so the loop is a call away.
     */
    private void skipWhitespace() {
      int p = pos;
      if (p < end && in[p] <= ' ') {
        skipWhitespaceFrom(p);
      }
    }

    private void skipWhitespaceFrom(int p) {
      byte[] b = in;
      int e = end;
      while (p < e) {
        byte c = b[p];
        if (c > ' ' || (c != ' ' && c != '\n' && c != '\r' && c != '\t')) {
          break;
        }
        p++;
      }
      pos = p;
    }

    /**
     * Enters the container at {@code pos} (on its opening byte), which is at nesting depth {@code
     * depth}, and skips the whitespace after it; returns true, past {@code close}, when the
     * container is empty.
     */
    private boolean openEmpty(int depth, byte close) throws JsonException {
      if (depth > maxDepth) {
        throw fail("nesting deeper than " + maxDepth, pos);
      }
      pos++;
      skipWhitespace();
      if (pos < end && in[pos] == close) {
        pos++;
        return true;
      }
      return false;
    }

    /** After a member's name: skips whitespace, the ':' and the whitespace before the value. */
    private void colon() throws JsonException {
      skipWhitespace();
      if (pos >= end) {
        throw fail("unexpected end of input", pos);
      }
      if (in[pos] != ':') {
        throw fail("expected ':'", pos);
      }
      pos++;
      skipWhitespace();
    }

    /**
     * After a value in a container closed by {@code close}: returns true after a ',' (and the
     * whitespace after it), false after the closing byte.
     */
    private boolean more(byte close) throws JsonException {
      skipWhitespace();
      if (pos >= end) {
        throw fail("unexpected end of input", pos);
      }
      byte c = in[pos++];
      if (c == ',') {
        skipWhitespace();
        return true;
      }
      if (c == close) {
        return false;
      }
      throw fail(close == '}' ? "expected ',' or '}'" : "expected ',' or ']'", pos - 1);
    }

    /** Reads a value at {@code pos}, which sits inside {@code depth} containers. */
    private @Nullable Object readValue(int depth) throws JsonException {
      if (pos >= end) {
        throw fail("unexpected end of input", pos);
      }
      byte c = in[pos];
      return switch (c) {
        case '"' -> readString();
        case '{' -> readObject(depth + 1);
        case '[' -> readArray(depth + 1);
        case 't' -> {
          readLiteral(TRUE);
          yield true;
        }
        case 'f' -> {
          readLiteral(FALSE);
          yield false;
        }
        case 'n' -> {
          readLiteral(NULL);
          yield null;
        }
        case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> readNumber();
        default -> throw fail("unexpected character", pos);
      };
    }

    private void readLiteral(byte[] literal) throws JsonException {
      int p = pos;
      if (end - p < literal.length) {
        throw fail("invalid literal", p);
      }
      for (int i = 1; i < literal.length; i++) {
        if (in[p + i] != literal[i]) {
          throw fail("invalid literal", p);
        }
      }
      pos = p + literal.length;
    }

    private void push(@Nullable Object value) {
      if (sp == stack.length) {
        stack = Arrays.copyOf(stack, Math.max(16, sp * 2));
      }
      stack[sp++] = value;
    }

    /** Reads an object at {@code pos} (on its '{'), which is at nesting depth {@code depth}. */
    private Map<String, @Nullable Object> readObject(int depth) throws JsonException {
      if (openEmpty(depth, (byte) '}')) {
        return Collections.emptyMap();
      }
      int mark = sp;
      int count = 0;
      long bloom = 0;
      HashMap<String, Integer> index = null;
      while (true) {
        if (pos >= end) {
          throw fail("unexpected end of input", pos);
        }
        if (in[pos] != '"') {
          throw fail("expected a member name", pos);
        }
        int nameAt = pos;
        String name = readName();
        if (count < LINEAR_MAX) {
          int hash = name.hashCode();
          long bit = bloomBit(hash);
          if ((bloom & bit) != 0) {
            @Nullable Object[] s = stack;
            for (int i = mark; i < sp; i += 2) {
              String other = nameAt(s, i);
              if (other.hashCode() == hash && other.equals(name)) {
                throw fail("duplicate member name", nameAt);
              }
            }
          }
          bloom |= bit;
        } else {
          if (index == null) {
            index = new HashMap<>(4 * LINEAR_MAX);
            for (int n = 0; n < count; n++) {
              index.put(nameAt(stack, mark + 2 * n), n);
            }
          }
          if (index.putIfAbsent(name, count) != null) {
            throw fail("duplicate member name", nameAt);
          }
        }
        push(name);
        colon();
        push(readValue(depth));
        count++;
        if (!more((byte) '}')) {
          break;
        }
      }
      @Nullable Object[] members = Arrays.copyOfRange(stack, mark, sp);
      sp = mark;
      // The index, if any, maps names to member numbers, which hold for the new array too.
      return new JsonMap(members, bloom, index);
    }

    /**
     * Validates the top-level object into {@code out}: each member's name, where its value lies and
     * its kind. Duplicate names are found as {@link #readObject} finds them.
     */
    void indexTopObject(JsonMembers out) throws JsonException {
      skipWhitespace();
      if (pos >= end) {
        throw fail("unexpected end of input", pos);
      }
      if (in[pos] != '{') {
        throw fail("top-level value is not an object", pos);
      }
      out.reset(in, pos, maxDepth - 1);
      if (!openEmpty(1, (byte) '}')) {
        indexMembers(out);
      }
      out.end(pos);
      skipWhitespace();
      if (pos != end) {
        throw fail("unexpected data after the value", pos);
      }
    }

    /** Indexes the members of the top-level object, from its first name to its '}'. */
    private void indexMembers(JsonMembers out) throws JsonException {
      // Names that are not well-known, compared as readObject compares names: their member
      // numbers, then (from LINEAR_MAX on) their name hashes.
      int[] others = out.others(2 * LINEAR_MAX);
      int otherCount = 0;
      long bloom = 0;
      HashSet<String> seen = null;
      for (int n = 0; ; n++) {
        int nameAt = pos;
        int start = pos + 1;
        String decoded = memberName();
        int added = out.add(start, pos - 1, decoded);
        if (added == JsonMembers.DUPLICATE) {
          throw fail("duplicate member name", nameAt);
        }
        if (added == JsonMembers.ADDED_OTHER) {
          if (otherCount < LINEAR_MAX) {
            int hash = out.nameHash(n);
            long bit = bloomBit(hash);
            if ((bloom & bit) != 0) {
              for (int j = 0; j < otherCount; j++) {
                if (others[LINEAR_MAX + j] == hash && out.sameName(others[j], n)) {
                  throw fail("duplicate member name", nameAt);
                }
              }
            }
            bloom |= bit;
            others[otherCount] = n;
            others[LINEAR_MAX + otherCount] = hash;
          } else {
            if (seen == null) {
              seen = new HashSet<>(4 * LINEAR_MAX);
              for (int j = 0; j < otherCount; j++) {
                seen.add(out.name(others[j]));
              }
            }
            if (!seen.add(out.name(n))) {
              throw fail("duplicate member name", nameAt);
            }
          }
          otherCount++;
        }
        colon();
        int valueStart = pos;
        int kind = skipValue(1);
        out.value(valueStart, pos, kind);
        if (!more((byte) '}')) {
          return;
        }
      }
    }

    /**
     * Validates the value at {@code pos}, which sits inside {@code depth} containers, and returns
     * its {@link JsonMembers} kind. Builds nothing (see {@link #index}).
     */
    private int skipValue(int depth) throws JsonException {
      if (pos >= end) {
        throw fail("unexpected end of input", pos);
      }
      byte c = in[pos];
      return switch (c) {
        case '"' -> skipString();
        case '{' -> {
          skipObject(depth + 1);
          yield JsonMembers.OBJECT;
        }
        case '[' -> {
          skipArray(depth + 1);
          yield JsonMembers.ARRAY;
        }
        case 't' -> {
          readLiteral(TRUE);
          yield JsonMembers.TRUE;
        }
        case 'f' -> {
          readLiteral(FALSE);
          yield JsonMembers.FALSE;
        }
        case 'n' -> {
          readLiteral(NULL);
          yield JsonMembers.NULL;
        }
        case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> scanNumber();
        default -> throw fail("unexpected character", pos);
      };
    }

    /**
     * Validates an object at {@code pos} (on its '{'), which is at nesting depth {@code depth},
     * exactly as {@link #readObject} reads it (the same refusals, duplicate names included), but
     * builds nothing: a name is a slice of the input unless it has escapes or non-ASCII.
     */
    private void skipObject(int depth) throws JsonException {
      if (openEmpty(depth, (byte) '}')) {
        return;
      }
      byte[] b = in;
      int mark = nameTop;
      long bloom = 0;
      HashSet<String> seen = null;
      for (int count = 0; ; count++) {
        int nameAt = pos;
        int start = pos + 1;
        String decoded = memberName();
        int hash;
        if (decoded == null) {
          hash = 0;
          for (int k = start; k < pos - 1; k++) {
            hash = 31 * hash + b[k];
          }
        } else {
          hash = decoded.hashCode();
        }
        if (count < LINEAR_MAX) {
          long bit = bloomBit(hash);
          if ((bloom & bit) != 0) {
            for (int n = mark; n < nameTop; n++) {
              if (names[3 * n + 2] == hash && sameName(n, start, pos - 1, decoded)) {
                throw fail("duplicate member name", nameAt);
              }
            }
          }
          bloom |= bit;
          pushName(start, decoded == null ? pos - 1 : -1, hash);
        } else {
          if (seen == null) {
            seen = new HashSet<>(4 * LINEAR_MAX);
            for (int n = mark; n < nameTop; n++) {
              seen.add(nameString(n));
            }
          }
          String name =
              decoded != null ? decoded : new String(b, start, pos - 1 - start, ISO_8859_1);
          if (!seen.add(name)) {
            throw fail("duplicate member name", nameAt);
          }
        }
        colon();
        skipValue(depth);
        if (!more((byte) '}')) {
          nameTop = mark;
          return;
        }
      }
    }

    /**
     * Reads the member name at {@code pos} and steps past it: returns it decoded when it has
     * escapes or non-ASCII, else null (the name is then the bytes between the quotes).
     */
    private @Nullable String memberName() throws JsonException {
      if (pos >= end) {
        throw fail("unexpected end of input", pos);
      }
      if (in[pos] != '"') {
        throw fail("expected a member name", pos);
      }
      int start = pos + 1;
      int i = plainUntil(in, start, end);
      if (i < end && in[i] == '"') {
        pos = i + 1;
        return null;
      }
      return readStringSlow(start, i);
    }

    private void pushName(int start, int end, int hash) {
      int n = nameTop;
      if (3 * n + 3 > names.length) {
        names = Arrays.copyOf(names, Math.max(48, 2 * names.length));
      }
      names[3 * n] = start;
      names[3 * n + 1] = end;
      names[3 * n + 2] = hash;
      nameTop = n + 1;
    }

    /** Name number {@code n} of {@link #names} as a string. */
    private String nameString(int n) throws JsonException {
      int start = names[3 * n];
      int end = names[3 * n + 1];
      if (end >= 0) {
        return new String(in, start, end - start, ISO_8859_1);
      }
      // Read (and validated) once already; decoding it again leaves the position alone.
      int at = pos;
      String decoded = readStringSlow(start, plainUntil(in, start, this.end));
      pos = at;
      return decoded;
    }

    /**
     * Whether name number {@code n} equals the name just read: {@code in[start, end)} when {@code
     * decoded} is null, else {@code decoded}.
     */
    private boolean sameName(int n, int start, int end, @Nullable String decoded)
        throws JsonException {
      int otherEnd = names[3 * n + 1];
      if (decoded == null && otherEnd >= 0) {
        return Arrays.equals(in, names[3 * n], otherEnd, in, start, end);
      }
      String name = decoded != null ? decoded : new String(in, start, end - start, ISO_8859_1);
      return nameString(n).equals(name);
    }

    /** Validates an array at {@code pos} (on its '['), which is at nesting depth {@code depth}. */
    private void skipArray(int depth) throws JsonException {
      if (openEmpty(depth, (byte) ']')) {
        return;
      }
      while (true) {
        skipValue(depth);
        if (!more((byte) ']')) {
          return;
        }
      }
    }

    /**
     * Validates a string at {@code pos} (on its opening quote) as {@link #readString} does and
     * returns {@link JsonMembers#STRING} or, when it has an escape, {@link
     * JsonMembers#STRING_ESCAPED}.
     */
    private int skipString() throws JsonException {
      byte[] b = in;
      int e = end;
      int start = pos + 1;
      int kind = JsonMembers.STRING;
      int i = start;
      while (true) {
        i = plainUntil(b, i, e);
        if (i >= e) {
          throw fail("unterminated string", start - 1);
        }
        int c = b[i] & 0xFF;
        if (c == '"') {
          pos = i + 1;
          return kind;
        } else if (c == '\\') {
          kind = JsonMembers.STRING_ESCAPED;
          i = readEscape(i, null);
        } else if (c < 0x20) {
          throw fail("unescaped control character in string", i);
        } else {
          i = readUtf8(i, null);
        }
      }
    }

    /** Reads an array at {@code pos} (on its '['), which is at nesting depth {@code depth}. */
    private List<@Nullable Object> readArray(int depth) throws JsonException {
      if (openEmpty(depth, (byte) ']')) {
        return Collections.emptyList();
      }
      int mark = sp;
      while (true) {
        push(readValue(depth));
        if (!more((byte) ']')) {
          break;
        }
      }
      @Nullable Object[] elements = Arrays.copyOfRange(stack, mark, sp);
      sp = mark;
      return new JsonList(elements);
    }

    /**
     * Reads a member name at {@code pos} (on its opening quote). Well-known names (registered JWT
     * claims, JOSE header and JWK members) come back as shared constants: no allocation, a cached
     * hash, and an identity match when looked up with a string literal.
     */
    private String readName() throws JsonException {
      byte[] b = in;
      int e = end;
      int start = pos + 1;
      int i = plainUntil(b, start, e);
      if (i < e && b[i] == '"') {
        pos = i + 1;
        String known = knownName(b, start, i - start);
        return known != null ? known : new String(b, start, i - start, ISO_8859_1);
      }
      return readStringSlow(start, i);
    }

    /** Reads a string at {@code pos} (on its opening quote). */
    private String readString() throws JsonException {
      byte[] b = in;
      int e = end;
      int start = pos + 1;
      int i = plainUntil(b, start, e);
      if (i < e && b[i] == '"') {
        pos = i + 1;
        return i == start ? "" : new String(b, start, i - start, ISO_8859_1);
      }
      return readStringSlow(start, i);
    }

    /** Continues a string with escapes or non-ASCII; bytes from start to i are plain ASCII. */
    private String readStringSlow(int start, int i) throws JsonException {
      byte[] b = in;
      int e = end;
      StringBuilder out = new StringBuilder(i - start + 16);
      for (int k = start; k < i; k++) {
        out.append((char) b[k]);
      }
      while (true) {
        if (i >= e) {
          throw fail("unterminated string", start - 1);
        }
        int c = b[i] & 0xFF;
        if (c == '"') {
          pos = i + 1;
          return out.toString();
        } else if (c == '\\') {
          i = readEscape(i, out);
        } else if (c < 0x20) {
          throw fail("unescaped control character in string", i);
        } else if (c < 0x80) {
          out.append((char) c);
          i++;
        } else {
          i = readUtf8(i, out);
        }
      }
    }

    /** Decodes the escape at {@code i} (on its backslash) and returns the index after it. */
    private int readEscape(int i, @Nullable StringBuilder out) throws JsonException {
      if (i + 1 >= end) {
        throw fail("invalid escape in string", i);
      }
      byte kind = in[i + 1];
      if (kind == 'u') {
        return readUnicodeEscape(i, out);
      }
      char c =
          switch (kind) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '/' -> '/';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            default -> throw fail("invalid escape in string", i);
          };
      if (out != null) {
        out.append(c);
      }
      return i + 2;
    }

    /** Decodes the {@code \\u} escape at {@code i}, with its pair if it is a high surrogate. */
    private int readUnicodeEscape(int i, @Nullable StringBuilder out) throws JsonException {
      char unit = (char) hex4(i);
      if (Character.isLowSurrogate(unit)) {
        throw fail("unpaired surrogate in string", i);
      }
      if (!Character.isHighSurrogate(unit)) {
        if (out != null) {
          out.append(unit);
        }
        return i + 6;
      }
      int next = i + 6;
      if (next + 1 >= end || in[next] != '\\' || in[next + 1] != 'u') {
        throw fail("unpaired surrogate in string", i);
      }
      char low = (char) hex4(next);
      if (!Character.isLowSurrogate(low)) {
        throw fail("unpaired surrogate in string", i);
      }
      if (out != null) {
        out.append(unit).append(low);
      }
      return next + 6;
    }

    /** Returns the value of the four hex digits of the {@code \\u} escape at {@code i}. */
    private int hex4(int i) throws JsonException {
      if (end - i < 6) {
        throw fail("invalid \\u escape in string", i);
      }
      int value = 0;
      for (int k = i + 2; k < i + 6; k++) {
        int c = in[k];
        int digit;
        if (c >= '0' && c <= '9') {
          digit = c - '0';
        } else if (c >= 'a' && c <= 'f') {
          digit = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
          digit = c - 'A' + 10;
        } else {
          throw fail("invalid \\u escape in string", i);
        }
        value = (value << 4) | digit;
      }
      return value;
    }

    /**
     * Decodes the multi-byte UTF-8 sequence at {@code i} and returns the index after it. Accepts
     * exactly the well-formed sequences of RFC 3629 / Unicode table 3-7.
     */
    private int readUtf8(int i, @Nullable StringBuilder out) throws JsonException {
      byte[] b = in;
      int lead = b[i] & 0xFF;
      int continuations;
      int codePoint;
      int min;
      if (lead >= 0xC2 && lead <= 0xDF) {
        continuations = 1;
        codePoint = lead & 0x1F;
        min = 0x80;
      } else if (lead >= 0xE0 && lead <= 0xEF) {
        continuations = 2;
        codePoint = lead & 0x0F;
        min = 0x800;
      } else if (lead >= 0xF0 && lead <= 0xF4) {
        continuations = 3;
        codePoint = lead & 0x07;
        min = 0x10000;
      } else {
        throw fail("invalid UTF-8", i);
      }
      if (end - i <= continuations) {
        throw fail("invalid UTF-8", i);
      }
      for (int k = 1; k <= continuations; k++) {
        int c = b[i + k] & 0xFF;
        if ((c & 0xC0) != 0x80) {
          throw fail("invalid UTF-8", i);
        }
        codePoint = (codePoint << 6) | (c & 0x3F);
      }
      if (codePoint < min
          || codePoint > Character.MAX_CODE_POINT
          || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)) {
        throw fail("invalid UTF-8", i);
      }
      if (out != null) {
        out.appendCodePoint(codePoint);
      }
      return i + continuations + 1;
    }

    /** Reads a number at {@code pos} (on its '-' or first digit). */
    private Object readNumber() throws JsonException {
      if (scanNumber() == JsonMembers.INTEGER) {
        return scannedLong;
      }
      return scannedDouble;
    }

    /**
     * Reads a number at {@code pos} (on its '-' or first digit) and returns its kind: {@link
     * JsonMembers#INTEGER}, with the value in {@link #scannedLong}, or {@link JsonMembers#NUMBER},
     * with the value in {@link #scannedDouble}.
     */
    private int scanNumber() throws JsonException {
      byte[] b = in;
      int e = end;
      int start = pos;
      int p = start;
      boolean negative = b[p] == '-';
      if (negative) {
        p++;
      }
      if (p >= e) {
        throw fail("invalid number", start);
      }
      int digitsStart = p;
      // Exact for up to 18 digits; longer integers are checked below.
      long magnitude = 0;
      int c = b[p];
      if (c == '0') {
        p++;
        if (p < e && b[p] >= '0' && b[p] <= '9') {
          throw fail("leading zero in number", start);
        }
      } else if (c >= '1' && c <= '9') {
        do {
          magnitude = magnitude * 10 + (c - '0');
          p++;
        } while (p < e && (c = b[p]) >= '0' && c <= '9');
      } else {
        throw fail("invalid number", start);
      }
      int digits = p - digitsStart;
      boolean integer = true;
      if (p < e && b[p] == '.') {
        integer = false;
        p = digits(p + 1, start);
      }
      if (p < e && (b[p] == 'e' || b[p] == 'E')) {
        integer = false;
        p++;
        if (p < e && (b[p] == '+' || b[p] == '-')) {
          p++;
        }
        p = digits(p, start);
      }
      pos = p;
      if (integer
          && (digits < LONG_LIMIT_POSITIVE.length
              || (digits == LONG_LIMIT_POSITIVE.length
                  && notAbove(
                      b, digitsStart, negative ? LONG_LIMIT_NEGATIVE : LONG_LIMIT_POSITIVE)))) {
        // For -9223372036854775808 the magnitude wrapped to Long.MIN_VALUE, whose negation is
        // itself.
        scannedLong = negative ? -magnitude : magnitude;
        return JsonMembers.INTEGER;
      }
      double d;
      try {
        d = Double.parseDouble(new String(b, start, p - start, ISO_8859_1));
      } catch (NumberFormatException unexpected) {
        throw fail("invalid number", start);
      }
      if (Double.isInfinite(d)) {
        throw fail("number out of range", start);
      }
      scannedDouble = d;
      return JsonMembers.NUMBER;
    }

    /** Skips one or more digits from {@code p} and returns the index after them. */
    private int digits(int p, int numberStart) throws JsonException {
      byte[] b = in;
      int e = end;
      if (p >= e || b[p] < '0' || b[p] > '9') {
        throw fail("invalid number", numberStart);
      }
      do {
        p++;
      } while (p < e && b[p] >= '0' && b[p] <= '9');
      return p;
    }
  }

  /** Whether the digits at {@code b[from..]} are at most {@code limit}, both of limit's length. */
  private static boolean notAbove(byte[] b, int from, byte[] limit) {
    for (int i = 0; i < limit.length; i++) {
      if (b[from + i] != limit[i]) {
        return b[from + i] < limit[i];
      }
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Well-known member names, shared instead of allocated.

  private static final String[] KNOWN_NAMES = {
    // RFC 7519 registered claims
    "iss",
    "sub",
    "aud",
    "exp",
    "nbf",
    "iat",
    "jti",
    // JOSE header parameters (RFC 7515, 7516, 7797)
    "alg",
    "kid",
    "typ",
    "cty",
    "crit",
    "jku",
    "jwk",
    "x5u",
    "x5c",
    "x5t",
    "x5t#S256",
    "b64",
    "enc",
    "zip",
    "epk",
    "apu",
    "apv",
    "iv",
    "tag",
    "p2s",
    "p2c",
    // JWK members (RFC 7517, 7518, 8037)
    "keys",
    "kty",
    "use",
    "key_ops",
    "crv",
    "x",
    "y",
    "d",
    "n",
    "e",
    "p",
    "q",
    "dp",
    "dq",
    "qi",
    "k",
    "oth",
    "r",
    "t",
    // common access token and OpenID Connect claims (RFC 9068, 8693, 7800, OIDC Core)
    "scope",
    "scp",
    "client_id",
    "azp",
    "nonce",
    "auth_time",
    "acr",
    "amr",
    "sid",
    "cnf",
    "act",
    "may_act",
    "roles",
    "groups",
    "entitlements",
    "tid",
    "tenant",
    "oid",
    "ver",
    "name",
    "email",
    "email_verified",
    "preferred_username",
    "given_name",
    "family_name",
    "at_hash",
    "c_hash",
    "updated_at",
    "locale",
    "zoneinfo",
    "htm",
    "htu",
    "ath",
    "jkt",
    "x5t#S256"
  };

  /** Open-addressing table of the known names, keyed by their first eight bytes and length. */
  private static final @Nullable String[] KNOWN_TABLE = new String[256];

  private static final long[] KNOWN_KEYS = new long[256];
  private static final byte[][] KNOWN_BYTES = new byte[256][];
  private static final int KNOWN_MAX_LENGTH = 24;

  static {
    for (String name : KNOWN_NAMES) {
      byte[] bytes = name.getBytes(ISO_8859_1);
      if (bytes.length > KNOWN_MAX_LENGTH) {
        throw new AssertionError(name);
      }
      long key = nameKey(bytes, 0, bytes.length);
      int h = knownSlot(key, bytes.length);
      while (KNOWN_TABLE[h] != null && !name.equals(KNOWN_TABLE[h])) {
        h = (h + 1) & (KNOWN_TABLE.length - 1);
      }
      KNOWN_TABLE[h] = name;
      KNOWN_KEYS[h] = key;
      KNOWN_BYTES[h] = bytes;
    }
  }

  /** Packs the first (up to) eight bytes of an ASCII name into a long. */
  private static long nameKey(byte[] b, int start, int length) {
    int n = Math.min(length, 8);
    long key = 0;
    for (int i = 0; i < n; i++) {
      key = (key << 8) | b[start + i];
    }
    return key;
  }

  private static int knownSlot(long key, int length) {
    return (int) (((key + length) * 0x9E3779B97F4A7C15L) >>> 56);
  }

  /**
   * Returns the shared constant for the ASCII name in {@code b[start..start+length)}, or null when
   * it is not a well-known name.
   */
  private static @Nullable String knownName(byte[] b, int start, int length) {
    if (length == 0 || length > KNOWN_MAX_LENGTH) {
      return null;
    }
    long key = nameKey(b, start, length);
    int mask = KNOWN_TABLE.length - 1;
    for (int h = knownSlot(key, length); ; h = (h + 1) & mask) {
      String known = KNOWN_TABLE[h];
      if (known == null) {
        return null;
      }
      if (KNOWN_KEYS[h] == key && known.length() == length) {
        if (length <= 8 || sameTail(KNOWN_BYTES[h], b, start)) {
          return known;
        }
      }
    }
  }

  /** Whether {@code b[start+8..]} equals {@code bytes[8..]}; the caller checked the length. */
  private static boolean sameTail(byte[] bytes, byte[] b, int start) {
    for (int i = 8; i < bytes.length; i++) {
      if (bytes[i] != b[start + i]) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Objects and arrays.

  /** The bit standing for a name's hash in a 64-bit Bloom filter (top six bits of a mix). */
  private static long bloomBit(int hash) {
    return 1L << ((hash * 0x9E3779B9) >>> 26);
  }

  private static String nameAt(@Nullable Object[] members, int i) {
    return (String) Objects.requireNonNull(members[i]);
  }

  /** An unmodifiable object: names and values alternate in one array, in member order. */
  private static final class JsonMap extends AbstractMap<String, @Nullable Object> {
    private final @Nullable Object[] members;

    /** Bloom filter of the names, when there is no index. */
    private final long bloom;

    /** Member numbers by name, for large objects. */
    private final @Nullable Map<String, Integer> index;

    JsonMap(@Nullable Object[] members, long bloom, @Nullable Map<String, Integer> index) {
      this.members = members;
      this.bloom = bloom;
      this.index = index;
    }

    /** Returns the array index of the name {@code key}, or -1. */
    private int find(@Nullable Object key) {
      if (!(key instanceof String name)) {
        return -1;
      }
      @Nullable Object[] m = members;
      Map<String, Integer> idx = index;
      if (idx == null) {
        if ((bloom & bloomBit(name.hashCode())) == 0) {
          return -1;
        }
        // Well-known names are read as the interned constants callers look them up with, so an
        // identity pass finds those without comparing characters.
        for (int i = 0; i < m.length; i += 2) {
          if (m[i] == name) {
            return i;
          }
        }
        for (int i = 0; i < m.length; i += 2) {
          if (name.equals(m[i])) {
            return i;
          }
        }
        return -1;
      }
      Integer n = idx.get(name);
      return n == null ? -1 : 2 * n;
    }

    @Override
    public @Nullable Object get(@Nullable Object key) {
      int i = find(key);
      return i < 0 ? null : members[i + 1];
    }

    @Override
    public boolean containsKey(@Nullable Object key) {
      return find(key) >= 0;
    }

    @Override
    public int size() {
      return members.length / 2;
    }

    @Override
    public boolean isEmpty() {
      return members.length == 0;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super @Nullable Object> action) {
      @Nullable Object[] m = members;
      for (int i = 0; i < m.length; i += 2) {
        action.accept(nameAt(m, i), m[i + 1]);
      }
    }

    @Override
    public Set<Map.Entry<String, @Nullable Object>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Map.Entry<String, @Nullable Object>> iterator() {
          return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
              return next < members.length;
            }

            @Override
            public Map.Entry<String, @Nullable Object> next() {
              if (next >= members.length) {
                throw new NoSuchElementException();
              }
              Map.Entry<String, @Nullable Object> entry =
                  new AbstractMap.SimpleImmutableEntry<>(nameAt(members, next), members[next + 1]);
              next += 2;
              return entry;
            }
          };
        }

        @Override
        public int size() {
          return members.length / 2;
        }
      };
    }
  }

  /** An unmodifiable array. */
  private static final class JsonList extends AbstractList<@Nullable Object>
      implements RandomAccess {
    private final @Nullable Object[] elements;

    JsonList(@Nullable Object[] elements) {
      this.elements = elements;
    }

    @Override
    public @Nullable Object get(int index) {
      return elements[Objects.checkIndex(index, elements.length)];
    }

    @Override
    public int size() {
      return elements.length;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Writer

  private static void writeValue(StringBuilder out, @Nullable Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String string) {
      writeString(out, string);
    } else if (value instanceof Boolean bool) {
      out.append(bool.booleanValue());
    } else if (value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte
        || value instanceof BigInteger
        || value instanceof BigDecimal) {
      out.append(value);
    } else if (value instanceof Double d) {
      requireFinite(Double.isFinite(d));
      out.append(d.doubleValue());
    } else if (value instanceof Float f) {
      requireFinite(Float.isFinite(f));
      out.append(f.floatValue());
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!(entry.getKey() instanceof String name)) {
          Object key = entry.getKey();
          throw new IllegalArgumentException(
              "cannot write a map key of type "
                  + (key == null ? "null" : key.getClass().getName())
                  + " as JSON: keys must be String");
        }
        if (!first) {
          out.append(',');
        }
        first = false;
        writeString(out, name);
        out.append(':');
        writeValue(out, entry.getValue());
      }
      out.append('}');
    } else if (value instanceof Collection<?> collection) {
      out.append('[');
      boolean first = true;
      for (Object element : collection) {
        if (!first) {
          out.append(',');
        }
        first = false;
        writeValue(out, element);
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException(
          "cannot write a value of type " + value.getClass().getName() + " as JSON");
    }
  }

  private static void requireFinite(boolean finite) {
    if (!finite) {
      throw new IllegalArgumentException("cannot write a non-finite number as JSON");
    }
  }

  private static void writeString(StringBuilder out, String s) {
    out.append('"');
    int length = s.length();
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            writeUnicodeEscape(out, c);
          } else if (Character.isHighSurrogate(c)
              && i + 1 < length
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            writeUnicodeEscape(out, c);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static void writeUnicodeEscape(StringBuilder out, char c) {
    out.append("\\u")
        .append(HEX[c >>> 12])
        .append(HEX[(c >>> 8) & 0xF])
        .append(HEX[(c >>> 4) & 0xF])
        .append(HEX[c & 0xF]);
  }
}
