package dev.tollgate.leaks;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Every log line written through slf4j during the test run, and the scan for secrets in it. */
public final class CapturedLogs {
  /** A compact JWS or JWE starts with a base64url JSON object: {@code eyJ}. */
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}");

  /**
   * A signature, MAC or key in base64url or base64 is a long unbroken run of the alphabet; key ids,
   * fingerprints and words are shorter.
   */
  private static final Pattern LONG_RUN = Pattern.compile("[A-Za-z0-9_+/-]{40,}");

  /** Logger names whose lines are deliberately bad, written by the detector's own test. */
  static final String SELF_TEST_LOGGER = "dev.tollgate.leaks.selftest";

  private static final List<String> LINES = new ArrayList<>();

  private CapturedLogs() {}

  static synchronized void add(String loggerName, String line) {
    if (!loggerName.equals(SELF_TEST_LOGGER)) {
      LINES.add(loggerName + " " + line);
    }
  }

  /** Returns a copy of the captured lines. */
  public static synchronized List<String> lines() {
    return new ArrayList<>(LINES);
  }

  /** Returns the suspicious parts of a line: anything that looks like a token, signature or key. */
  public static List<String> suspicious(String line) {
    List<String> found = new ArrayList<>();
    for (Pattern p : new Pattern[] {JWT, LONG_RUN}) {
      Matcher m = p.matcher(line);
      while (m.find()) {
        found.add(m.group());
      }
    }
    return found;
  }
}
