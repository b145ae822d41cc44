package io.github.csp4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JMH settings every csp4j benchmark shares, inherited by the benchmark classes: average time
 * in nanoseconds per operation, one fork with a 1 GiB heap on transparent huge pages, touched
 * before the benchmark starts, 3 warm-up and 5 measured iterations of one second. RESULTS.md
 * describes them once, under "What is measured".
 *
 * <p>Huge pages, because without them the measured iterations fell in the JVM's first pass over
 * its heap on the Zen 5 guest: each 4 KiB page the allocation reached for the first time cost a
 * page fault (about 6 to 7 us there: pre-touching the 1 GiB heap took 1.6 to 2.0 s), which slowed
 * csp4j and SynchronousQueue from about the fourth or fifth second to the collection of the grown
 * young generation, about the thirteenth. With 2 MiB pages there are 512 times fewer faults, and
 * there 12 and 16 iterations from a cold fork showed no such phase. Rendezvous 1P1C and ping-pong
 * measured 27 and 12 % faster for csp4j and 42 and 33 % faster for SynchronousQueue with huge
 * pages, buffered 16 1P1C within 8 % for csp4j and ArrayBlockingQueue (benchmarks/RESULTS.md,
 * "First-touch page faults in the measured iterations"). The flag exists on Linux only:
 * -XX:+IgnoreUnrecognizedVMOptions lets a fork start without it elsewhere.
 *
 * <p>Pre-touched (-XX:+AlwaysPreTouch), because on huge pages too, on the Zen 4 guest, the first
 * pass over the young generation that G1 grows in the first seconds (to about 600 MB, from about
 * the second to the sixth second) was slower than the passes after it: TransferBenchmark
 * buffered16-1P1C took 43 to 78 ns per element for csp4j in that phase (mostly above 60) and 39 to
 * 50 after it, and pre-touched 38 to 52 from the third half second on; jox and ArrayBlockingQueue
 * steadied too. It favours csp4j, which allocates a segment per 32 elements: against its own
 * switch (gated, four rounds), RingBenchmark's ring of 10,000 took 0.73 of its time for csp4j and
 * 0.93 for SynchronousQueue, buffered16-1P1C 0.85 (benchmarks/RESULTS.md, "The heap's first pass
 * in the measured iterations").
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch",
        "-XX:+IgnoreUnrecognizedVMOptions", "-XX:+UseTransparentHugePages"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public abstract class JmhDefaults {}
