package dev.tollgate.conformance;

import dev.tollgate.Reason;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Collects the outcome of every case of one vector file and prints a one-line summary: cases run,
 * accepted, refused (at key load and by reason), unexpected exceptions, known discrepancies and
 * judgement calls.
 */
final class Summary {
  private final String file;
  private final Map<Integer, Outcome> outcomes = new ConcurrentSkipListMap<>();
  private final Map<String, AtomicInteger> extras = new ConcurrentSkipListMap<>();

  Summary(String file) {
    this.file = file;
  }

  void record(int tcId, Outcome outcome) {
    outcomes.put(tcId, outcome);
  }

  /** Counts a named extra check, e.g. "validate() refused with MALFORMED". */
  void count(String extra) {
    extras.computeIfAbsent(extra, k -> new AtomicInteger()).incrementAndGet();
  }

  @Nullable Outcome outcome(int tcId) {
    return outcomes.get(tcId);
  }

  /**
   * Builds the summary line.
   *
   * @param knownDiscrepancies tcId to reason, cases that are expected to disagree for now
   * @param judgementCalls tcId to decision, cases where either outcome is fine
   */
  String line(Map<Integer, String> knownDiscrepancies, Map<Integer, String> judgementCalls) {
    int accepted = 0;
    int atLoad = 0;
    Map<Reason, Integer> reasons = new EnumMap<>(Reason.class);
    StringJoiner unexpected = new StringJoiner(", ", "[", "]");
    int unexpectedCount = 0;
    for (Map.Entry<Integer, Outcome> e : outcomes.entrySet()) {
      Outcome o = e.getValue();
      switch (o.kind()) {
        case ACCEPTED -> accepted++;
        case REFUSED_AT_LOAD -> atLoad++;
        case REFUSED -> {
          Reason r = o.reason();
          if (r != null) {
            reasons.merge(r, 1, Integer::sum);
          }
        }
        case UNEXPECTED -> {
          unexpectedCount++;
          unexpected.add(e.getKey() + ": " + o);
        }
      }
    }
    int refusedByReason = 0;
    for (int n : reasons.values()) {
      refusedByReason += n;
    }
    StringBuilder out = new StringBuilder(256);
    out.append("[wycheproof] ")
        .append(file)
        .append(": ")
        .append(outcomes.size())
        .append(" cases run, ")
        .append(accepted)
        .append(" accepted, ")
        .append(atLoad + refusedByReason)
        .append(" refused (")
        .append(atLoad)
        .append(" at key load with IllegalArgumentException, ")
        .append(refusedByReason)
        .append(" with JwtValidationException ")
        .append(reasons)
        .append("), ")
        .append(unexpectedCount)
        .append(" unexpected exceptions");
    if (unexpectedCount > 0) {
      out.append(' ').append(unexpected);
    }
    if (!extras.isEmpty()) {
      out.append("; ").append(new TreeMap<>(extras));
    }
    out.append("; judgement calls ").append(describe(judgementCalls));
    out.append("; known discrepancies ").append(describe(knownDiscrepancies));
    return out.toString();
  }

  private String describe(Map<Integer, String> cases) {
    StringJoiner j = new StringJoiner("; ", "{", "}");
    for (Map.Entry<Integer, String> e : new TreeMap<>(cases).entrySet()) {
      Outcome o = outcomes.get(e.getKey());
      j.add(e.getKey() + " " + (o == null ? "not run" : o.toString()) + " - " + e.getValue());
    }
    return j.toString();
  }

  void print(Map<Integer, String> knownDiscrepancies, Map<Integer, String> judgementCalls) {
    if (!outcomes.isEmpty()) {
      System.out.println(line(knownDiscrepancies, judgementCalls));
    }
  }
}
