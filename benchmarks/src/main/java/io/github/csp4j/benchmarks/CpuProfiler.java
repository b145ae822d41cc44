package io.github.csp4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler that reports how many CPUs the fork kept busy during each iteration, and so the
 * CPU time per operation beside the wall time that the score is. Secondary metrics: {@code
 * ·cpus}, the process's CPU time (user and system, every thread: carriers, JIT, GC) over the
 * iteration's wall time, and, in {@code AverageTime} mode only, {@code ·cpuTime}, the score times
 * that over the benchmark's threads, in the score's unit. The window is JMH's for profilers: it
 * also holds the iteration's setup and teardown, and a profiler listed after this one (such as
 * {@link CoreToCoreProfiler}'s probe) runs inside it; on Linux the CPU time counts in 10 ms ticks.
 * With every party on virtual threads, the score says how long an operation took, and {@code
 * cpuTime} what it cost: a party that runs its sender and receiver in parallel on both carriers can
 * take less wall time and more CPU time than one that runs them in turn on one. Go's figure to
 * compare with is the test binary's CPU time over its elements (benchmarks/RESULTS.md, "Where the
 * pairs' time goes").
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar PairsBenchmark -prof io.github.csp4j.benchmarks.CpuProfiler
 * }</pre>
 * The process CPU time comes from {@code com.sun.management.OperatingSystemMXBean}; on a JVM
 * without it, or where it returns -1 (not supported), the profiler reports nothing.
 */
public final class CpuProfiler implements InternalProfiler {
    private final com.sun.management.OperatingSystemMXBean os;
    private long cpuBefore;
    private long wallBefore;

    /** JMH creates profilers by reflection. */
    public CpuProfiler() {
        os = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean bean
                ? bean
                : null;
    }

    @Override
    public String getDescription() {
        return "CPUs busy during each iteration (process CPU time over wall time), and CPU time per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        if (os != null) {
            cpuBefore = os.getProcessCpuTime();
            wallBefore = System.nanoTime();
        }
    }

    @Override
    public Collection<? extends Result<?>> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
            IterationResult result) {
        long wall = System.nanoTime() - wallBefore;
        long cpuAfter = os == null ? -1 : os.getProcessCpuTime();
        if (cpuAfter < 0 || cpuBefore < 0 || wall <= 0) {
            return List.of(); // no process CPU time on this JVM (the bean returns -1)
        }
        double cpus = (double) (cpuAfter - cpuBefore) / wall;
        ScalarResult busy = new ScalarResult("cpus", cpus, "CPUs", AggregationPolicy.AVG);
        if (benchmarkParams.getMode() != Mode.AverageTime) {
            return List.of(busy); // only AverageTime's score is the mean time per operation over the window
        }
        Result<?> primary = result.getPrimaryResult();
        double perOp = primary.getScore() * cpus / benchmarkParams.getThreads(); // each thread's ops share the CPUs
        return List.of(busy, new ScalarResult("cpuTime", perOp, primary.getScoreUnit(), AggregationPolicy.AVG));
    }
}
