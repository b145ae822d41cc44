package io.github.csp4j.benchmarks;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

/**
 * What fairness to threads from outside the scheduler costs pairs that stream: while pairs of
 * virtual threads stream elements through pipes (as in {@link StarvationProbe}), a platform
 * thread starts a short virtual thread every {@link #INTERVAL}, for {@link #LOAD}. Prints whether
 * every pair had made {@link StreamingPairs#WARM} handoffs by the end of the time alone, the
 * pairs' handoffs per second before and during that load, how many of the started threads ran
 * during it, and the delay from start to run of those that did. Not a benchmark: csp4j parks a
 * streaming party for a moment once in a while when such threads wait
 * (docs/RELIABILITY.md, "Known limits"), and this shows what that costs the pairs
 * and gives the started threads; {@code -Dio.github.csp4j.outsidersTurnPeriod=0} turns it off.
 *
 * <pre>{@code
 * java -Djdk.virtualThreadScheduler.parallelism=1 -cp benchmarks/target/benchmarks.jar \
 *     io.github.csp4j.benchmarks.OutsideLoadProbe csp4j 1
 * }</pre>
 * Arguments as {@link StreamingPairs} takes them: the implementation, the number of pairs, and
 * optionally the pipes' capacity.
 */
public final class OutsideLoadProbe {
    /** How long the pairs stream alone, and then under the load. */
    static final Duration LOAD = Duration.ofSeconds(3);

    /** How often the platform thread starts a virtual thread during the load. */
    static final Duration INTERVAL = Duration.ofNanos(100_000);

    private OutsideLoadProbe() {}

    public static void main(String[] args) throws InterruptedException {
        StreamingPairs streams = StreamingPairs.start("OutsideLoadProbe", args);
        long aloneStart = System.nanoTime();
        long aloneBefore = streams.sum();
        LockSupport.parkNanos(LOAD.toNanos()); // the main thread is a platform thread: it needs no carrier
        double aloneRate = (streams.sum() - aloneBefore) / ((System.nanoTime() - aloneStart) / 1e9);
        long leastAlone = streams.least(); // every pair should have streamed by now

        int planned = (int) (LOAD.toNanos() / INTERVAL.toNanos());
        AtomicLongArray delays = new AtomicLongArray(planned); // set by each started thread when it runs
        for (int i = 0; i < planned; i++) {
            delays.set(i, -1);
        }
        long loadBefore = streams.sum();
        long loadStart = System.nanoTime();
        for (int i = 0; i < planned; i++) {
            long due = loadStart + i * INTERVAL.toNanos();
            while (System.nanoTime() - due < 0) {
                LockSupport.parkNanos(due - System.nanoTime());
            }
            int index = i;
            long started = System.nanoTime();
            Thread.ofVirtual().start(() -> delays.set(index, System.nanoTime() - started));
        }
        double loadRate = (streams.sum() - loadBefore) / ((System.nanoTime() - loadStart) / 1e9);
        long[] ran = IntStream.range(0, planned).mapToLong(delays::get).filter(delay -> delay >= 0).sorted().toArray();

        streams.stopAndJoin(); // the threads still queued run once the streams stop
        System.out.printf(Locale.ROOT, "%s: alone %,.0f handoffs/s; during the load"
                        + " %,.0f handoffs/s (%.1f %%); %,d of %,d started threads ran during it%s%n",
                streams.describe(leastAlone >= StreamingPairs.WARM, leastAlone), aloneRate, loadRate, 100.0 * loadRate / aloneRate,
                ran.length, planned, ran.length == 0 ? ""
                        : String.format(Locale.ROOT, ", start to run: median %.1f us, 99th percentile %.1f us, max %.1f us",
                                ran[ran.length / 2] / 1e3, ran[(int) (ran.length * 0.99)] / 1e3, ran[ran.length - 1] / 1e3));
    }
}
