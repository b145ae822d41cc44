package io.github.csp4j.benchmarks;

import static io.github.csp4j.select.Select.onReceive;
import static io.github.csp4j.select.Select.onSend;

import com.softwaremill.jox.ChannelDone;
import io.github.csp4j.channels.Channel;
import io.github.csp4j.select.Select;
import io.github.csp4j.select.Selector;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Selects over two buffered(16) channels, {@link #ELEMENTS} per invocation; the score is
 * nanoseconds per select. Every party is a virtual thread, and the sum received is checked.
 *
 * <ul>
 *   <li>{@link #select2Receive}: Go's {@code BenchmarkSelect2Receive} in
 *       {@code ../shared/anchors/go/chan_test.go}: two senders, one per channel, each send half of
 *       the elements; one receiver selects a receive from either channel for every element, with
 *       new clauses each time, as Go's {@code select} statement.
 *   <li>{@link #select2ReceiveReused}: the same with the clauses built once: a csp4j
 *       {@link Selector}, and jox clause objects passed to every select.
 *   <li>{@link #selectSend}: the other direction (no Go anchor): one sender selects a send to
 *       either channel for every element; one plain receiver per channel drains it until closed.
 * </ul>
 *
 * <p>{@code impl}: {@code csp4j} ({@code io.github.csp4j.select.Select}) or {@code jox} (jox
 * 1.0.1's {@code Select.select} with {@code receiveClause}/{@code sendClause}).
 *
 * <p>Run, from the repository root, with a JDK 21+ {@code java}:
 * <pre>{@code
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar SelectBenchmark
 * }</pre>
 */
public class SelectBenchmark extends JmhDefaults {
    /** Selects per invocation. */
    static final int ELEMENTS = 100_000;

    private static final int CAPACITY = 16;

    @Param({"csp4j", "jox"})
    public String impl;

    private Integer[] elements;
    private long expectedSum;

    @Setup
    public void setUp() {
        elements = Parties.elements(ELEMENTS);
        expectedSum = Parties.sum(elements);
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public long select2Receive() throws InterruptedException {
        return receiveFromTwo(false);
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public long select2ReceiveReused() throws InterruptedException {
        return receiveFromTwo(true);
    }

    private long receiveFromTwo(boolean reuse) throws InterruptedException {
        long[] sum = new long[1];
        Parties parties = new Parties();
        if (impl.equals("jox")) {
            com.softwaremill.jox.Channel<Integer> a = com.softwaremill.jox.Channel.newBufferedChannel(CAPACITY);
            com.softwaremill.jox.Channel<Integer> b = com.softwaremill.jox.Channel.newBufferedChannel(CAPACITY);
            startSenders(parties, a::send, b::send);
            parties.start("selecting receiver", () -> {
                var fromA = a.receiveClause();
                var fromB = b.receiveClause();
                long total = 0;
                for (int i = 0; i < ELEMENTS; i++) {
                    total += reuse
                            ? com.softwaremill.jox.Select.select(fromA, fromB)
                            : com.softwaremill.jox.Select.select(a.receiveClause(), b.receiveClause());
                }
                sum[0] = total; // read after join
            });
        } else {
            Channel<Integer> a = Channel.buffered(CAPACITY);
            Channel<Integer> b = Channel.buffered(CAPACITY);
            startSenders(parties, a::send, b::send);
            parties.start("selecting receiver", () -> {
                Selector<Integer> selector = Select.selector(onReceive(a, Function.identity()), onReceive(b, Function.identity()));
                long total = 0;
                for (int i = 0; i < ELEMENTS; i++) {
                    total += reuse ? selector.select() : Select.select(onReceive(a, e -> e), onReceive(b, e -> e));
                }
                sum[0] = total;
            });
        }
        parties.join();
        return checked(sum[0]);
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public long selectSend() throws InterruptedException {
        long[] sums = new long[2];
        Parties parties = new Parties();
        if (impl.equals("jox")) {
            com.softwaremill.jox.Channel<Integer> a = com.softwaremill.jox.Channel.newBufferedChannel(CAPACITY);
            com.softwaremill.jox.Channel<Integer> b = com.softwaremill.jox.Channel.newBufferedChannel(CAPACITY);
            parties.start("receiver a", () -> sums[0] = drainJox(a));
            parties.start("receiver b", () -> sums[1] = drainJox(b));
            parties.start("selecting sender", () -> {
                for (int i = 0; i < ELEMENTS; i++) {
                    Integer element = elements[i];
                    com.softwaremill.jox.Select.select(a.sendClause(element), b.sendClause(element));
                }
                a.done();
                b.done();
            });
        } else {
            Channel<Integer> a = Channel.buffered(CAPACITY);
            Channel<Integer> b = Channel.buffered(CAPACITY);
            parties.start("receiver a", () -> sums[0] = drain(a));
            parties.start("receiver b", () -> sums[1] = drain(b));
            parties.start("selecting sender", () -> {
                for (int i = 0; i < ELEMENTS; i++) {
                    Integer element = elements[i];
                    Select.select(onSend(a, element, () -> null), onSend(b, element, () -> null));
                }
                a.close();
                b.close();
            });
        }
        parties.join();
        return checked(sums[0] + sums[1]);
    }

    private interface Send {
        void send(Integer element) throws InterruptedException;
    }

    private void startSenders(Parties parties, Send toA, Send toB) {
        int half = ELEMENTS / 2;
        parties.start("sender a", () -> {
            for (int i = 0; i < half; i++) {
                toA.send(elements[i]);
            }
        });
        parties.start("sender b", () -> {
            for (int i = half; i < ELEMENTS; i++) {
                toB.send(elements[i]);
            }
        });
    }

    private static long drain(Channel<Integer> channel) {
        long total = 0;
        for (Integer element : channel) {
            total += element;
        }
        return total;
    }

    private static long drainJox(com.softwaremill.jox.Channel<Integer> channel) throws InterruptedException {
        long total = 0;
        while (true) {
            Object result = channel.receiveOrClosed();
            if (result instanceof ChannelDone) {
                return total;
            }
            total += (Integer) result;
        }
    }

    private long checked(long sum) {
        if (sum != expectedSum) {
            throw new IllegalStateException(impl + ": sum " + sum + ", expected " + expectedSum);
        }
        return sum;
    }
}
