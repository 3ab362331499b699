package dev.tollgate.servlet;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An IP address or CIDR range ({@code 10.0.0.0/8}, {@code ::1}), parsed once. Addresses are read as
 * literals only: nothing here ever asks DNS.
 */
final class AddressRange {
  private final String text;
  private final byte[] network;
  private final int prefixBits;

  private AddressRange(String text, byte[] network, int prefixBits) {
    this.text = text;
    this.network = network;
    this.prefixBits = prefixBits;
  }

  /**
   * Parses an address or a range.
   *
   * @throws IllegalArgumentException if the text is not an IPv4 or IPv6 literal with an optional
   *     prefix length, or the range has host bits set
   */
  static AddressRange parse(String text) {
    Objects.requireNonNull(text, "proxy address");
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    byte[] bytes = parseLiteral(address);
    if (bytes == null) {
      throw new IllegalArgumentException("not an IP address literal: " + text);
    }
    int bits = bytes.length * 8;
    if (slash >= 0) {
      String prefix = text.substring(slash + 1);
      if (prefix.isEmpty() || prefix.length() > 3 || !prefix.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("bad prefix length in " + text);
      }
      int p = Integer.parseInt(prefix);
      if (p > bits) {
        throw new IllegalArgumentException("prefix length above " + bits + " in " + text);
      }
      bits = p;
      for (int i = 0; i < bytes.length * 8; i++) {
        if (i >= bits && bit(bytes, i)) {
          throw new IllegalArgumentException("host bits set in range " + text);
        }
      }
    }
    return new AddressRange(text, bytes, bits);
  }

  /** Tells whether an address (4 or 16 bytes) lies in this range. */
  boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    int full = prefixBits / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int remaining = prefixBits % 8;
    if (remaining == 0) {
      return true;
    }
    int mask = (0xff << (8 - remaining)) & 0xff;
    return (address[full] & mask) == (network[full] & mask);
  }

  /** Tells whether an address is a loopback address ({@code 127.0.0.0/8} or {@code ::1}). */
  static boolean isLoopback(byte[] address) {
    if (address.length == 4) {
      return address[0] == 127;
    }
    for (int i = 0; i < 15; i++) {
      if (address[i] != 0) {
        return false;
      }
    }
    return address[15] == 1;
  }

  /**
   * Reads an IP literal as a servlet container reports it ({@code getRemoteAddr()}): dotted IPv4,
   * or IPv6 with optional brackets and zone. An IPv4-mapped IPv6 address reads as IPv4.
   *
   * @return 4 or 16 bytes, or {@code null} if the text is not a literal
   */
  static byte @Nullable [] parseLiteral(String text) {
    byte[] v4 = parseIpv4(text);
    if (v4 != null) {
      return v4;
    }
    String s = text;
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    int zone = s.indexOf('%');
    if (zone >= 0) {
      s = s.substring(0, zone);
    }
    // The JDK parses a literal only if it starts with a hex digit or ':'; anything else it would
    // send to DNS.
    if (s.indexOf(':') < 0 || (s.charAt(0) != ':' && Character.digit(s.charAt(0), 16) < 0)) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex && c != ':' && c != '.') {
        return null;
      }
    }
    try {
      // Only hex digits, ':' and '.' reach this point: a literal, never a DNS name.
      return InetAddress.getByName(s).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static byte @Nullable [] parseIpv4(String s) {
    byte[] out = new byte[4];
    int part = 0;
    int value = -1;
    int digits = 0;
    for (int i = 0; i <= s.length(); i++) {
      char c = i < s.length() ? s.charAt(i) : '.';
      if (c >= '0' && c <= '9') {
        if (digits == 3 || (digits > 0 && value == 0)) {
          return null; // too long, or a leading zero
        }
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        digits++;
      } else if (c == '.') {
        if (value < 0 || value > 255 || part == 4) {
          return null;
        }
        out[part++] = (byte) value;
        value = -1;
        digits = 0;
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }

  private static boolean bit(byte[] bytes, int index) {
    return (bytes[index / 8] & (0x80 >>> (index % 8))) != 0;
  }

  @Override
  public String toString() {
    return text;
  }
}
