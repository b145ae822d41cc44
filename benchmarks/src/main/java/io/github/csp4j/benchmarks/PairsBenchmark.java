package io.github.csp4j.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link #pairs} independent sender/receiver pairs, each pair on its own buffered channel of
 * capacity {@link #CAPACITY}, every party a virtual thread, move {@link #ELEMENTS} elements in
 * all (an equal share per pair); the score is nanoseconds per element. At {@code pairs=10000}
 * this is issue 6's "10,000 concurrent pairs on 10,000 channels"; over 1 to 10,000 pairs it is
 * the scaling curve, which should stay flat: pairs share no channel, so only the scheduler and
 * the caches are shared. Go's {@code BenchmarkPairs} in {@code benchmarks/go}.
 *
 * <p>The parties are started and joined inside each invocation, as in Go's version, so the
 * cost of starting 2 × {@code pairs} threads is part of the score: at 10,000 pairs, 600 elements
 * per pair, where Go's gives each pair {@code b.N / n}, 3,400 to 3,600 in run 42. Up to run 42 an
 * invocation moved 2,000,000 elements, 200 per pair at 10,000 pairs, so the starts weighed 3
 * times as much per element; 6,000,000 with one measured iteration less keeps the class's time
 * about as it was (benchmarks/RESULTS.md, "The pairs' share of elements nearer Go's"). A virtual
 * thread starts and joins them, as the benchmark's goroutine does in Go: started from JMH's own
 * thread, a platform thread, every start was a submission from outside the scheduler
 * (benchmarks/RESULTS.md, "The pairs started by a virtual thread").
 *
 * <p>Run, from the repository root, with a JDK 21+ {@code java}:
 * <pre>{@code
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar PairsBenchmark
 * }</pre>
 * Only the 10,000 pairs: {@code -p pairs=10000}. Quick mode: append {@code -wi 1 -w 1s -i 3 -r 1s}.
 */
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class PairsBenchmark extends JmhDefaults {
    /** Elements per invocation, in all pairs: divisible by every value of {@link #pairs}. */
    static final int ELEMENTS = 6_000_000;

    /** The capacity of each pair's channel. */
    static final int CAPACITY = 16;

    /** See {@link Impl}: csp4j, juc (ArrayBlockingQueue), ltq (unbounded), jox, jctools. */
    @Param({"csp4j", "juc", "ltq", "jox", "jctools"})
    public String impl;

    /** Concurrent sender/receiver pairs. */
    @Param({"1", "10", "100", "1000", "10000"})
    public int pairs;

    private Impl implementation;
    private Integer[] elements;
    private long expectedSum;

    @Setup
    public void setUp() {
        if (pairs < 1 || ELEMENTS % pairs != 0) {
            throw new IllegalArgumentException(ELEMENTS + " elements cannot be shared equally among " + pairs + " pairs");
        }
        implementation = Impl.of(impl);
        elements = Parties.elements(ELEMENTS / pairs);
        expectedSum = Parties.sum(elements) * pairs;
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public long transfer() throws InterruptedException {
        long[] total = new long[1];
        Parties starter = new Parties();
        starter.start("starter", () -> total[0] = startAndJoin());
        starter.join(Parties.TIMEOUT.multipliedBy(2)); // the pairs' own join reports a stuck party first
        if (total[0] != expectedSum) { // written before the starter ended
            throw new IllegalStateException(impl + " " + pairs + " pairs: received sum " + total[0] + ", sent " + expectedSum);
        }
        return total[0];
    }

    /** {@return the sum of every element received} Starts the pairs and joins them, on a virtual thread. */
    private long startAndJoin() throws InterruptedException {
        Parties parties = new Parties();
        long[] sums = new long[pairs];
        for (int p = 0; p < pairs; p++) {
            Pipe<Integer> pipe = implementation.create(CAPACITY);
            int index = p;
            parties.start("sender-" + p, () -> {
                for (Integer element : elements) {
                    pipe.send(element);
                }
            });
            parties.start("receiver-" + p, () -> {
                long sum = 0;
                for (int i = 0; i < elements.length; i++) {
                    sum += pipe.receive();
                }
                sums[index] = sum; // read after join
            });
        }
        parties.join();
        long total = 0;
        for (long sum : sums) {
            total += sum;
        }
        return total;
    }
}
