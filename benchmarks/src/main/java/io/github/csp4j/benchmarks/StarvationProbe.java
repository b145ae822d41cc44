package io.github.csp4j.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether a virtual thread started from a platform thread gets a carrier while pairs of virtual
 * threads stream elements through pipes, one pipe per pair. Not a benchmark: a probe of
 * the JDK scheduler's fairness, which every implementation but csp4j leaves as it is (csp4j's
 * blocking operations take a turn for threads from outside: docs/RELIABILITY.md, "Known
 * limits"; {@code -Dio.github.csp4j.outsidersTurnPeriod=0} turns it off).
 *
 * <p>Virtual threads are not time-shared. A carrier runs the threads in its own queue (the ones
 * that a thread running on it woke or that yielded there) before it looks at the queue of threads
 * started from outside, so a pair whose two parties keep waking each other on one carrier keeps
 * that queue from running there for as long as the stream lasts. With a pair per carrier, nothing
 * started from a platform thread runs until a stream pauses, unless the pipes make way.
 *
 * <pre>{@code
 * java -Djdk.virtualThreadScheduler.parallelism=1 -cp benchmarks/target/benchmarks.jar \
 *     io.github.csp4j.benchmarks.StarvationProbe csp4j 1
 * }</pre>
 * Arguments: the implementation (csp4j, juc, ltq, jox or jctools, as the benchmarks' {@code impl}),
 * the number of pairs, and optionally the pipes' capacity (0, the default: rendezvous; ltq has
 * only its rendezvous, {@code transfer}, since its {@code put} never waits). Prints whether every
 * pair streamed, whether the started thread ran within {@link #PATIENCE}, after how long, and
 * the handoffs meanwhile; the outcome is the output, not the exit status.
 */
public final class StarvationProbe {
    /** How long the probe waits for the started thread. */
    static final Duration PATIENCE = Duration.ofSeconds(5);

    /** Handoffs that every pair makes before the thread is started (unless PATIENCE passes first). */
    static final long WARM = 100_000;

    /** The element that ends a stream; the senders send 1 until told to stop. */
    private static final Integer END = -1;

    private StarvationProbe() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2 || args.length > 3) {
            throw new IllegalArgumentException("usage: StarvationProbe <impl> <pairs> [<capacity>], not " + List.of(args));
        }
        Impl impl = Impl.of(args[0]);
        int pairs = Integer.parseInt(args[1]);
        if (pairs < 1) {
            throw new IllegalArgumentException("pairs must be 1 or more, was " + pairs);
        }
        int capacity = args.length == 3 ? Integer.parseInt(args[2]) : Workload.RENDEZVOUS;
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be 0 (rendezvous) or more, was " + capacity);
        }
        if (impl == Impl.LTQ && capacity != Workload.RENDEZVOUS) {
            throw new IllegalArgumentException("ltq has no bounded pipe (its put never waits): capacity must be 0, was " + capacity);
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong[] handoffs = new AtomicLong[pairs]; // one per pair: each receiver counts its own
        Parties parties = new Parties();
        for (int pair = 0; pair < pairs; pair++) {
            Pipe<Integer> pipe = impl.create(capacity);
            AtomicLong count = handoffs[pair] = new AtomicLong();
            parties.start("sender-" + pair, () -> send(pipe, stop));
            parties.start("receiver-" + pair, () -> receive(pipe, count));
        }
        long warmDeadline = System.nanoTime() + PATIENCE.toNanos();
        while (least(handoffs) < WARM && System.nanoTime() < warmDeadline) {
            Thread.onSpinWait(); // the main thread is a platform thread: it needs no carrier
        }
        boolean warm = least(handoffs) >= WARM;

        CountDownLatch ran = new CountDownLatch(1);
        long before = sum(handoffs);
        long start = System.nanoTime();
        Thread.ofVirtual().name("started-from-outside").start(ran::countDown);
        boolean didRun = ran.await(PATIENCE.toNanos(), TimeUnit.NANOSECONDS);
        long waited = System.nanoTime() - start;
        long meanwhile = sum(handoffs) - before;

        stop.set(true);
        parties.join(); // fails if a party threw or did not end within Parties.TIMEOUT
        String streams = warm ? "every pair streaming" : "NOT every pair streaming (" + least(handoffs) + " handoffs at least)";
        System.out.printf(Locale.ROOT, "%s, capacity %d, %d pair(s), %d carrier(s), %s: the started thread %s after %.1f ms;"
                        + " %,d handoffs meanwhile%n",
                args[0], capacity, pairs, carriers(), streams, didRun ? "ran" : "had not run", waited / 1e6, meanwhile);
    }

    static long least(AtomicLong[] counts) {
        long least = Long.MAX_VALUE;
        for (AtomicLong count : counts) {
            least = Math.min(least, count.get());
        }
        return least;
    }

    static long sum(AtomicLong[] counts) {
        long sum = 0;
        for (AtomicLong count : counts) {
            sum += count.get();
        }
        return sum;
    }

    static void send(Pipe<Integer> pipe, AtomicBoolean stop) throws InterruptedException {
        while (!stop.get()) {
            pipe.send(1);
        }
        pipe.send(END);
    }

    static void receive(Pipe<Integer> pipe, AtomicLong handoffs) throws InterruptedException {
        while (true) {
            Integer element = pipe.receive();
            if (element.equals(END)) {
                return;
            }
            handoffs.incrementAndGet();
        }
    }

    /** {@return the virtual-thread scheduler's parallelism: its property, else the CPU count} */
    static int carriers() {
        String set = System.getProperty("jdk.virtualThreadScheduler.parallelism");
        return set != null ? Integer.parseInt(set) : Runtime.getRuntime().availableProcessors();
    }
}
