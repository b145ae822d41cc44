package io.github.csp4j.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * One virtual thread alone moves {@link #ELEMENTS} elements through a buffered channel of
 * capacity {@link #BATCH}: it fills the buffer, then drains it, over and over, so that no send
 * or receive ever waits and no other thread touches the channel. The score is nanoseconds per
 * element, a send and a receive: the channel's own instructions, with no park, no wake-up and no
 * cache line moving between CPUs. It is the part of a buffered workload that is not scheduling
 * (PairsBenchmark, where most handoffs find their peer's carrier busy with other pairs, is close
 * to it). Not a workload of Go's anchors.
 *
 * <p>Run, from the repository root, with a JDK 21+ {@code java}:
 * <pre>{@code
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar UncontendedBenchmark
 * }</pre>
 * Quick mode: append {@code -wi 1 -w 1s -i 3 -r 1s}. The same loop on an unbounded channel
 * ({@code Channel.unbounded()}, {@code LinkedBlockingQueue}, jox's unlimited channel; not jctools),
 * which takes no buffer slot: {@code -p impl=csp4j,juc,jox -p buffer=unbounded}.
 */
public class UncontendedBenchmark extends JmhDefaults {
    /** Elements per invocation: a multiple of {@link #BATCH}. */
    static final int ELEMENTS = 1 << 16;

    /** Elements sent before they are received: the capacity of the buffer, as in PairsBenchmark. */
    static final int BATCH = 16;

    /**
     * See {@link Impl}: csp4j, juc (ArrayBlockingQueue), jox, jctools. Not ltq, whose bounded
     * pipe is an unbounded queue.
     */
    @Param({"csp4j", "juc", "jox", "jctools"})
    public String impl;

    /** {@code 16}: a buffer of {@link #BATCH}; {@code unbounded}: an unbounded channel. */
    @Param({"16"})
    public String buffer;

    private Impl implementation;
    private int capacity; // BATCH, or Workload.UNBOUNDED
    private Integer[] elements;
    private long expectedSum;

    @Setup
    public void setUp() {
        implementation = Impl.of(impl);
        if (buffer.equals("unbounded")) {
            capacity = Workload.UNBOUNDED;
        } else if (buffer.equals(Integer.toString(BATCH))) {
            capacity = BATCH;
        } else {
            throw new IllegalArgumentException("buffer must be " + BATCH + " or unbounded, was " + buffer);
        }
        if (capacity == Workload.UNBOUNDED && implementation == Impl.JCTOOLS) {
            throw new IllegalArgumentException("jctools has no unbounded pipe: give -p impl=csp4j,juc,jox"
                    + " with -p buffer=unbounded");
        }
        elements = Parties.elements(ELEMENTS);
        expectedSum = Parties.sum(elements);
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public long fillAndDrain() throws InterruptedException {
        Pipe<Integer> pipe = implementation.create(capacity);
        long[] sum = new long[1];
        Parties parties = new Parties();
        parties.start("alone", () -> {
            long received = 0;
            for (int batch = 0; batch < ELEMENTS; batch += BATCH) {
                for (int i = batch; i < batch + BATCH; i++) {
                    pipe.send(elements[i]);
                }
                for (int i = 0; i < BATCH; i++) {
                    received += pipe.receive();
                }
            }
            sum[0] = received; // read after join
        });
        parties.join();
        if (sum[0] != expectedSum) {
            throw new IllegalStateException(impl + ": received sum " + sum[0] + ", sent " + expectedSum);
        }
        return sum[0];
    }
}
