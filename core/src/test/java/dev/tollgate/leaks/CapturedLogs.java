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

  /**
   * A Java identifier in camel case (jose4j logs class names like {@code
   * EcdhKeyAgreementWithAes128KeyWrapAlgorithm}): short upper-case runs, each followed by at least
   * two lower-case letters or digits. Random base64 almost never splits that way.
   */
  private static final Pattern CAMEL_CASE = Pattern.compile("(?:[A-Z]{0,4}[a-z]{2,}[0-9]{0,4}_?)+");

  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");

  /** Logger names whose lines are deliberately bad, written by the detector's own test. */
  static final String SELF_TEST_LOGGER = "dev.tollgate.leaks.selftest";

  private static final List<String> LINES = new ArrayList<>();

  private CapturedLogs() {}

  /** Whether a logger's lines are recorded and scanned: Tollgate's own and jose4j's. */
  static boolean isScanned(String loggerName) {
    return loggerName.startsWith("dev.tollgate") || loggerName.startsWith("org.jose4j");
  }

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
    Matcher jwt = JWT.matcher(line);
    while (jwt.find()) {
      found.add(jwt.group());
    }
    Matcher run = LONG_RUN.matcher(line);
    while (run.find()) {
      // Hex (commit ids, digests in library banners) is not how Tollgate would print a secret.
      if (!CAMEL_CASE.matcher(run.group()).matches() && !HEX.matcher(run.group()).matches()) {
        found.add(run.group());
      }
    }
    return found;
  }
}
