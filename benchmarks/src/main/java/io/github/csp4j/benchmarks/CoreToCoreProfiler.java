package io.github.csp4j.benchmarks;

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
 * A JMH profiler that measures the machine state ({@link CoreToCore}'s CPU-to-CPU round trip)
 * right after every iteration, so that an iteration run in the slow state can be told from one
 * run in the fast state: a probe before and after a whole run misses a slow episode that starts
 * and ends inside it. The figure is the secondary metric {@code ·c2c} (ns, the median of
 * {@link #SAMPLES} samples of {@link #TRIPS} round trips; the score is the largest over the
 * iterations, and the JSON's {@code rawData} holds every iteration's). It takes about 2 ms in
 * the fast state and 12 ms in the slow one, between iterations, when the benchmark's own threads
 * are idle. {@code quiet_run.py} adds it to every run and repeats a run with a slow iteration.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar PingPongBenchmark -prof io.github.csp4j.benchmarks.CoreToCoreProfiler
 * }</pre>
 */
public final class CoreToCoreProfiler implements InternalProfiler {
    /** Samples per probe; the median is reported. */
    static final int SAMPLES = 5;

    /** Round trips per sample. */
    static final int TRIPS = 5_000;

    /** JMH creates profilers by reflection. */
    public CoreToCoreProfiler() {}

    @Override
    public String getDescription() {
        return "CPU-to-CPU round trip (CoreToCore) after every iteration, in ns";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        // measured after the iteration only
    }

    @Override
    public Collection<? extends Result<?>> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
            IterationResult result) {
        double median;
        try {
            median = CoreToCore.samples(SAMPLES, TRIPS)[SAMPLES / 2];
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
        return List.of(new ScalarResult("c2c", median, "ns", AggregationPolicy.MAX));
    }
}
