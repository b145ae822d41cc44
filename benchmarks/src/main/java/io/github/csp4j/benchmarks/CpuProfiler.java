package io.github.csp4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler that reports how many CPUs the fork kept busy during each iteration, and so the
 * CPU time per operation beside the wall time that the score is. Two secondary metrics: {@code
 * ·cpus}, the process's CPU time (user and system, every thread: carriers, JIT, GC) over the
 * iteration's wall time, and {@code ·cpuTime}, the score times that, in the score's unit. With
 * every party on virtual threads, the score says how long an operation took, and {@code cpuTime}
 * what it cost: a party that runs its sender and receiver in parallel on both carriers can take
 * less wall time and more CPU time than one that runs them in turn on one. Go's figure to compare
 * with is the test binary's CPU time over its elements (benchmarks/RESULTS.md, "Where the pairs'
 * time goes").
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar PairsBenchmark -prof io.github.csp4j.benchmarks.CpuProfiler
 * }</pre>
 * The process CPU time comes from {@code com.sun.management.OperatingSystemMXBean}; on a JVM
 * without it, the profiler reports nothing.
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
        long cpu = os == null ? -1 : os.getProcessCpuTime() - cpuBefore;
        if (cpu < 0 || wall <= 0) {
            return List.of(); // no process CPU time on this JVM
        }
        double cpus = (double) cpu / wall;
        Result<?> primary = result.getPrimaryResult();
        return List.of(new ScalarResult("cpus", cpus, "CPUs", AggregationPolicy.AVG),
                new ScalarResult("cpuTime", primary.getScore() * cpus, primary.getScoreUnit(), AggregationPolicy.AVG));
    }
}
