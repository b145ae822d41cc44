package io.github.csp4j.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * One element goes from one virtual thread to another over a rendezvous channel and comes back
 * over a second one, {@link #ROUND_TRIPS} times per invocation; the score is nanoseconds per
 * round trip. Go's {@code BenchmarkPingPongRendezvous} in {@code ../shared/anchors/go/chan_test.go}
 * (there the pinger is the benchmark's own goroutine; here both parties are virtual threads).
 * The pinger checks that every element that comes back is the one it sent.
 *
 * <p>Run, from the repository root, with a JDK 21+ {@code java}:
 * <pre>{@code
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar PingPongBenchmark
 * }</pre>
 * Quick mode: append {@code -wi 1 -w 1s -i 3 -r 1s}. One implementation: {@code -p impl=csp4j}.
 * Another csp4j spin count: {@code -jvmArgsAppend -Dio.github.csp4j.spins=1024}.
 */
public class PingPongBenchmark extends JmhDefaults {
    /** Round trips per invocation. */
    static final int ROUND_TRIPS = 100_000;

    /**
     * See {@link Impl}: csp4j, juc (SynchronousQueue), ltq (transfer), jox, jctools (a queue of
     * capacity 2: the floor, without rendezvous).
     */
    @Param({"csp4j", "juc", "ltq", "jox", "jctools"})
    public String impl;

    private Impl implementation;
    private Integer[] elements;
    private long expectedSum;

    @Setup
    public void setUp() {
        implementation = Impl.of(impl);
        elements = Parties.elements(ROUND_TRIPS);
        expectedSum = Parties.sum(elements);
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public long pingPong() throws InterruptedException {
        Pipe<Integer> ping = implementation.create(Workload.RENDEZVOUS);
        Pipe<Integer> pong = implementation.create(Workload.RENDEZVOUS);
        Parties parties = new Parties();
        parties.start("ponger", () -> {
            for (int i = 0; i < ROUND_TRIPS; i++) {
                pong.send(ping.receive());
            }
        });
        long[] sum = new long[1];
        parties.start("pinger", () -> {
            long total = 0;
            for (int i = 0; i < ROUND_TRIPS; i++) {
                Integer element = elements[i];
                ping.send(element);
                Integer back = pong.receive();
                if (back != element) {
                    throw new IllegalStateException("sent " + element + ", got back " + back);
                }
                total += back;
            }
            sum[0] = total; // read after join
        });
        parties.join();
        if (sum[0] != expectedSum) {
            throw new IllegalStateException(impl + ": round-trip sum " + sum[0] + ", expected " + expectedSum);
        }
        return sum[0];
    }
}
