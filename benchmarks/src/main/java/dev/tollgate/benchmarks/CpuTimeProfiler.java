package dev.tollgate.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Measures CPU time per operation next to JMH's wall-clock time, for machines shared with other
 * work: {@code -prof dev.tollgate.benchmarks.CpuTimeProfiler}.
 *
 * <p>On an oversubscribed machine a benchmark thread waits for a core, and the wall-clock time per
 * operation grows with the load of the moment, not with the code. The CPU time its threads spent
 * does not include that wait (it still includes the cost of caches shared with the other work). It
 * reports, per iteration:
 *
 * <ul>
 *   <li>{@code cpu.worker.norm}: CPU time of the benchmark threads per operation, in ns;
 *   <li>{@code cpu.process.norm}: CPU time of the whole JVM per operation, in ns: adds the garbage
 *       collector's work (and any JIT compilation still running) to the above;
 *   <li>{@code cpu.share}: the benchmark threads' CPU time over their wall-clock time, 1.0 when
 *       each had a core to itself: how contended the machine was.
 * </ul>
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private static final String WORKER = "jmh-worker";

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private Map<Long, Long> workersBefore = Map.of();
  private long processBefore;
  private long wallBefore;

  @Override
  public String getDescription() {
    return "CPU time per operation of the benchmark threads and of the whole JVM";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
    workersBefore = workerCpuTimes();
    processBefore = os.getProcessCpuTime();
    wallBefore = System.nanoTime();
  }

  @Override
  @SuppressWarnings("rawtypes") // JMH's interface declares the raw Result type
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmark, IterationParams iteration, IterationResult result) {
    long wall = System.nanoTime() - wallBefore;
    long process = os.getProcessCpuTime() - processBefore;
    long worker = 0;
    for (Map.Entry<Long, Long> e : workerCpuTimes().entrySet()) {
      // A worker started during the iteration had used no CPU before it.
      worker += e.getValue() - workersBefore.getOrDefault(e.getKey(), 0L);
    }
    long ops = Math.max(1, result.getMetadata().getMeasuredOps());
    List<ScalarResult> out = new ArrayList<>(3);
    out.add(
        new ScalarResult("cpu.worker.norm", (double) worker / ops, "ns/op", AggregationPolicy.AVG));
    out.add(
        new ScalarResult(
            "cpu.process.norm", (double) process / ops, "ns/op", AggregationPolicy.AVG));
    out.add(
        new ScalarResult(
            "cpu.share",
            (double) worker / ((double) wall * benchmark.getThreads()),
            "ratio",
            AggregationPolicy.AVG));
    return out;
  }

  private Map<Long, Long> workerCpuTimes() {
    Map<Long, Long> times = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().contains(WORKER)) {
        long cpu = threads.getThreadCpuTime(info.getThreadId());
        if (cpu >= 0) {
          times.put(info.getThreadId(), cpu);
        }
      }
    }
    return times;
  }
}
