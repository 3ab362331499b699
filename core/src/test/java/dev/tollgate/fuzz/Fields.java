package dev.tollgate.fuzz;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A fuzz input cut into fields at each {@code 0xFF} byte (a byte no UTF-8 text holds): field 0 is
 * control bytes that pick what to build, the others are the material. Inserting or deleting bytes
 * in one field leaves the others where they were, which keeps mutations meaningful, and seed files
 * stay readable.
 */
final class Fields {
  static final byte SEPARATOR = (byte) 0xFF;

  private final List<byte[]> fields = new ArrayList<>();

  Fields(byte[] input) {
    int start = 0;
    for (int i = 0; i <= input.length; i++) {
      if (i == input.length || input[i] == SEPARATOR) {
        fields.add(Arrays.copyOfRange(input, start, i));
        start = i + 1;
      }
    }
  }

  /** Control byte {@code i} (of field 0) as 0..255, or 0 when the input is shorter. */
  int control(int i) {
    byte[] c = fields.get(0);
    return i < c.length ? c[i] & 0xFF : 0;
  }

  /** Control byte {@code i} as a signed value, -128..127. */
  int signedControl(int i) {
    byte[] c = fields.get(0);
    return i < c.length ? c[i] : 0;
  }

  /** How many control bytes there are. */
  int controls() {
    return fields.get(0).length;
  }

  /** Field {@code i} (1 is the first after the control bytes), empty when absent. */
  byte[] bytes(int i) {
    return i < fields.size() ? fields.get(i) : new byte[0];
  }

  /** Field {@code i} as text, invalid UTF-8 replaced. */
  String text(int i) {
    return new String(bytes(i), UTF_8);
  }

  /** How many fields there are, the control field included. */
  int size() {
    return fields.size();
  }
}
