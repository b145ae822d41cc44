package io.github.csp4j.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * P senders and C receivers, each on its own virtual thread, move {@link #ELEMENTS} elements
 * through one channel; the score is nanoseconds per element. The workloads of Go's
 * {@code BenchmarkRendezvous1P1C}, {@code BenchmarkBuffered16_1P1C},
 * {@code BenchmarkBuffered1024_1P1C}, {@code BenchmarkBuffered64_4P4C} and
 * {@code BenchmarkRendezvous_4P4C} in {@code ../shared/anchors/go/chan_test.go}.
 *
 * <p>Each sender sends an equal share, each receiver receives an equal share (Go's receivers
 * instead range over the channel until it is closed; closing once per batch costs nothing per
 * element). The receivers' sums are checked against the senders'.
 *
 * <p>Run, from the repository root, with a JDK 21+ {@code java}:
 * <pre>{@code
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar TransferBenchmark
 * }</pre>
 * Quick mode: append {@code -wi 1 -w 1s -i 3 -r 1s}. One implementation or workload:
 * {@code -p impl=csp4j -p workload=buffered16-1P1C}. Another csp4j spin count:
 * {@code -jvmArgsAppend -Dio.github.csp4j.spins=1024}.
 */
public class TransferBenchmark extends JmhDefaults {
    /** Elements per invocation: divisible by every number of senders and receivers used. */
    static final int ELEMENTS = 100_000;

    /** See {@link Impl}: csp4j, juc (SynchronousQueue or ArrayBlockingQueue), ltq, jox, jctools. */
    @Param({"csp4j", "juc", "ltq", "jox", "jctools"})
    public String impl;

    /** See {@link Workload}. */
    @Param({"rendezvous-1P1C", "buffered16-1P1C", "buffered1024-1P1C", "buffered64-4P4C", "rendezvous-4P4C"})
    public String workload;

    private Impl implementation;
    private Workload shape;
    private Integer[] elements;
    private long expectedSum;

    @Setup
    public void setUp() {
        implementation = Impl.of(impl);
        shape = Workload.parse(workload);
        if (ELEMENTS % shape.senders() != 0 || ELEMENTS % shape.receivers() != 0) {
            throw new IllegalArgumentException(ELEMENTS + " elements cannot be shared equally in " + workload);
        }
        elements = Parties.elements(ELEMENTS);
        expectedSum = Parties.sum(elements);
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public long transfer() throws InterruptedException {
        Pipe<Integer> pipe = implementation.create(shape);
        Parties parties = new Parties();
        int perSender = ELEMENTS / shape.senders();
        for (int p = 0; p < shape.senders(); p++) {
            int from = p * perSender;
            parties.start("sender-" + p, () -> {
                for (int i = from; i < from + perSender; i++) {
                    pipe.send(elements[i]);
                }
            });
        }
        int perReceiver = ELEMENTS / shape.receivers();
        long[] sums = new long[shape.receivers()];
        for (int c = 0; c < shape.receivers(); c++) {
            int index = c;
            parties.start("receiver-" + c, () -> {
                long sum = 0;
                for (int i = 0; i < perReceiver; i++) {
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
        if (total != expectedSum) {
            throw new IllegalStateException(impl + " " + workload + ": received sum " + total + ", sent " + expectedSum);
        }
        return total;
    }
}
