package io.github.csp4j.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A ring of {@link #size} rendezvous channels and {@code size - 1} forwarding virtual threads;
 * a driver virtual thread sends a token into the first channel and takes it out of the last,
 * {@link #TRIPS} times per invocation. The score is nanoseconds per trip around the ring (divide
 * by {@code size} for the cost of one hop). Go's {@code BenchmarkRing10k} in
 * {@code ../shared/anchors/go/chan_test.go} at {@code size=10000}; {@code benchmarks/go}'s
 * {@code BenchmarkRing100} to {@code BenchmarkRing100000} for every size.
 *
 * <p>The forwarders start once per trial (JMH fork) and block in {@code receive} between trips,
 * as Go's goroutines do between iterations; at the end of the trial they are interrupted and
 * joined. The driver checks that every token comes back unchanged.
 *
 * <p>Run, from the repository root, with a JDK 21+ {@code java}:
 * <pre>{@code
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar RingBenchmark
 * }</pre>
 * The scaling curve: {@code -p size=100,1000,10000,100000}. Quick mode: append
 * {@code -wi 1 -w 1s -i 3 -r 1s}.
 */
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
public class RingBenchmark extends JmhDefaults {
    /** Trips around the ring per invocation. */
    static final int TRIPS = 10;

    /** How long the teardown waits for the interrupted forwarders to end. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    /**
     * See {@link Impl}; every hop is a rendezvous (jctools: a queue of capacity 2; slot: the
     * park/unpark floor, a slot of one element, which a single token cannot find full).
     */
    @Param({"csp4j", "juc", "ltq", "jox", "jctools", "slot"})
    public String impl;

    /** Channels in the ring, and so hops per trip. */
    @Param({"100", "1000", "10000", "100000"})
    public int size;

    private List<Pipe<Integer>> pipes;
    private List<Thread> forwarders;

    @Setup
    public void setUp() {
        if (size < 2) {
            throw new IllegalArgumentException("a ring needs at least 2 channels, not " + size);
        }
        Impl implementation = Impl.of(impl);
        pipes = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            pipes.add(implementation.create(Workload.RENDEZVOUS));
        }
        forwarders = new ArrayList<>(size - 1);
        for (int i = 0; i < size - 1; i++) {
            Pipe<Integer> in = pipes.get(i);
            Pipe<Integer> out = pipes.get(i + 1);
            forwarders.add(Thread.ofVirtual().name("forwarder-" + i).start(() -> forward(in, out)));
        }
    }

    private static void forward(Pipe<Integer> in, Pipe<Integer> out) {
        try {
            while (true) {
                out.send(in.receive());
            }
        } catch (InterruptedException e) {
            // the trial is over
        }
    }

    @Benchmark
    @OperationsPerInvocation(TRIPS)
    public int trips() throws InterruptedException {
        Pipe<Integer> first = pipes.get(0);
        Pipe<Integer> last = pipes.get(size - 1);
        int[] received = new int[1];
        Parties parties = new Parties();
        parties.start("driver", () -> {
            for (int i = 0; i < TRIPS; i++) {
                Integer token = i;
                first.send(token);
                Integer back = last.receive();
                if (!back.equals(token)) {
                    throw new IllegalStateException("sent token " + token + " round the ring, got back " + back);
                }
                received[0]++;
            }
        });
        parties.join();
        return received[0];
    }

    @TearDown
    public void tearDown() throws InterruptedException {
        for (Thread forwarder : forwarders) {
            forwarder.interrupt();
        }
        for (Thread forwarder : forwarders) {
            if (!forwarder.join(STOP_TIMEOUT)) {
                throw new IllegalStateException(impl + ": " + forwarder + " did not stop within " + STOP_TIMEOUT);
            }
        }
    }
}
