package io.github.csp4j.benchmarks;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
 * Arguments as {@link StreamingPairs} takes them: the implementation, the number of pairs, and
 * optionally the pipes' capacity. Waits until every pair made {@link StreamingPairs#WARM}
 * handoffs (at most {@link #PATIENCE}), starts the thread, then prints whether every pair
 * streamed, whether the started thread ran within {@link #PATIENCE}, after how long, and the
 * handoffs meanwhile; the outcome is the output, not the exit status.
 */
public final class StarvationProbe {
    /** How long the probe waits for the pairs to stream, and then for the started thread. */
    static final Duration PATIENCE = Duration.ofSeconds(5);

    private StarvationProbe() {}

    public static void main(String[] args) throws InterruptedException {
        StreamingPairs streams = StreamingPairs.start("StarvationProbe", args);
        long warmDeadline = System.nanoTime() + PATIENCE.toNanos();
        while (streams.least() < StreamingPairs.WARM && System.nanoTime() - warmDeadline < 0) {
            Thread.onSpinWait(); // the main thread is a platform thread: it needs no carrier
        }
        boolean warm = streams.least() >= StreamingPairs.WARM;

        CountDownLatch ran = new CountDownLatch(1);
        long before = streams.sum();
        long start = System.nanoTime();
        Thread.ofVirtual().name("started-from-outside").start(ran::countDown);
        boolean didRun = ran.await(PATIENCE.toNanos(), TimeUnit.NANOSECONDS);
        long waited = System.nanoTime() - start;
        long meanwhile = streams.sum() - before;

        streams.stopAndJoin(); // fails if a party threw or did not end within Parties.TIMEOUT
        System.out.printf(Locale.ROOT, "%s: the started thread %s after %.1f ms; %,d handoffs meanwhile%n",
                streams.describe(warm, streams.least()), didRun ? "ran" : "had not run", waited / 1e6, meanwhile);
    }
}
