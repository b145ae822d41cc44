package io.github.csp4j.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

/**
 * What fairness to threads from outside the scheduler costs pairs that stream: while pairs of
 * virtual threads stream elements through pipes (as in {@link StarvationProbe}), a platform
 * thread starts a short virtual thread every {@link #INTERVAL}, for {@link #LOAD}. Prints whether
 * every pair had made 100,000 handoffs by the end of the time alone (StarvationProbe.WARM), the
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
 * Arguments as {@link StarvationProbe}'s: the implementation, the number of pairs, and optionally
 * the pipes' capacity (0, the default: rendezvous).
 */
public final class OutsideLoadProbe {
    /** How long the pairs stream alone, and then under the load. */
    static final Duration LOAD = Duration.ofSeconds(3);

    /** How often the platform thread starts a virtual thread during the load. */
    static final Duration INTERVAL = Duration.ofNanos(100_000);

    private OutsideLoadProbe() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2 || args.length > 3) {
            throw new IllegalArgumentException("usage: OutsideLoadProbe <impl> <pairs> [<capacity>], not " + List.of(args));
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
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong[] handoffs = new AtomicLong[pairs];
        Parties parties = new Parties();
        for (int pair = 0; pair < pairs; pair++) {
            Pipe<Integer> pipe = impl.create(capacity);
            AtomicLong count = handoffs[pair] = new AtomicLong();
            parties.start("sender-" + pair, () -> StarvationProbe.send(pipe, stop));
            parties.start("receiver-" + pair, () -> StarvationProbe.receive(pipe, count));
        }
        long aloneStart = System.nanoTime();
        long aloneBefore = StarvationProbe.sum(handoffs);
        LockSupport.parkNanos(LOAD.toNanos()); // the main thread is a platform thread: it needs no carrier
        long aloneHandoffs = StarvationProbe.sum(handoffs) - aloneBefore;
        long leastAlone = StarvationProbe.least(handoffs); // every pair should have streamed by now
        double aloneSeconds = (System.nanoTime() - aloneStart) / 1e9;

        int planned = (int) (LOAD.toNanos() / INTERVAL.toNanos());
        AtomicLongArray delays = new AtomicLongArray(planned); // set by each started thread when it runs
        for (int i = 0; i < planned; i++) {
            delays.set(i, -1);
        }
        long loadBefore = StarvationProbe.sum(handoffs);
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
        long loadEnd = System.nanoTime();
        long loadHandoffs = StarvationProbe.sum(handoffs) - loadBefore;
        long[] ran = IntStream.range(0, planned).mapToLong(delays::get).filter(delay -> delay >= 0).sorted().toArray();

        stop.set(true);
        parties.join(); // the threads still queued run once the streams stop
        String streams = leastAlone >= StarvationProbe.WARM ? "every pair streaming"
                : "NOT every pair streaming (" + leastAlone + " handoffs at least)";
        System.out.printf(Locale.ROOT, "%s, capacity %d, %d pair(s), %d carrier(s), %s: alone %,.0f handoffs/s; during the load"
                        + " %,.0f handoffs/s (%.1f %%); %,d of %,d started threads ran during it%s%n",
                args[0], capacity, pairs, StarvationProbe.carriers(), streams, aloneHandoffs / aloneSeconds,
                loadHandoffs / ((loadEnd - loadStart) / 1e9), 100.0 * loadHandoffs / ((loadEnd - loadStart) / 1e9) / (aloneHandoffs / aloneSeconds),
                ran.length, planned, ran.length == 0 ? ""
                        : String.format(Locale.ROOT, ", start to run: median %.1f us, 99th percentile %.1f us, max %.1f us",
                                ran[ran.length / 2] / 1e3, ran[(int) (ran.length * 0.99)] / 1e3, ran[ran.length - 1] / 1e3));
    }
}
