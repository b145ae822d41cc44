package io.github.csp4j.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pairs that {@link StarvationProbe} and {@link OutsideLoadProbe} keep streaming: one pipe per
 * pair, a sender that sends 1 until told to stop and a receiver that counts what it takes, all on
 * virtual threads started from the calling (platform) thread. Made from a probe's arguments:
 * the implementation (csp4j, juc, ltq, jox or jctools, as the benchmarks' {@code impl}), the
 * number of pairs, and optionally the pipes' capacity (0, the default: rendezvous; ltq has only
 * its rendezvous, {@code transfer}, since its {@code put} never waits).
 */
final class StreamingPairs {
    /** Handoffs after which a pair counts as streaming. */
    static final long WARM = 100_000;

    /** The element that ends a stream; the senders send 1 until told to stop. */
    private static final Integer END = -1;

    private final String impl;
    private final int capacity;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong[] handoffs; // one per pair: each receiver counts its own
    private final Parties parties = new Parties();

    private StreamingPairs(String impl, int pairs, int capacity) {
        this.impl = impl;
        this.capacity = capacity;
        this.handoffs = new AtomicLong[pairs];
    }

    /**
     * Starts the pairs that {@code args} (IMPL PAIRS [CAPACITY]) describe.
     *
     * @throws IllegalArgumentException naming {@code tool} and the bad argument
     */
    static StreamingPairs start(String tool, String[] args) {
        if (args.length < 2 || args.length > 3) {
            throw new IllegalArgumentException("usage: " + tool + " <impl> <pairs> [<capacity>], not " + List.of(args));
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
        StreamingPairs streams = new StreamingPairs(args[0], pairs, capacity);
        for (int pair = 0; pair < pairs; pair++) {
            Pipe<Integer> pipe = impl.create(capacity);
            AtomicLong count = streams.handoffs[pair] = new AtomicLong();
            streams.parties.start("sender-" + pair, () -> send(pipe, streams.stop));
            streams.parties.start("receiver-" + pair, () -> receive(pipe, count));
        }
        return streams;
    }

    /** {@return the handoffs of the pair that made the fewest so far} */
    long least() {
        long least = Long.MAX_VALUE;
        for (AtomicLong count : handoffs) {
            least = Math.min(least, count.get());
        }
        return least;
    }

    /** {@return the handoffs of all pairs so far} */
    long sum() {
        long sum = 0;
        for (AtomicLong count : handoffs) {
            sum += count.get();
        }
        return sum;
    }

    /**
     * Ends the streams and waits for every party.
     *
     * @throws IllegalStateException if a party threw or did not end within Parties.TIMEOUT
     */
    void stopAndJoin() throws InterruptedException {
        stop.set(true);
        parties.join();
    }

    /**
     * {@return the start of a probe's output line: the implementation, the capacity, the pairs,
     * the carriers, and whether every pair streamed ({@code least}, the fewest handoffs of a pair,
     * shown if not)}
     */
    String describe(boolean everyPairStreamed, long least) {
        String streams = everyPairStreamed ? "every pair streaming" : "NOT every pair streaming (" + least + " handoffs at least)";
        return String.format(Locale.ROOT, "%s, capacity %d, %d pair(s), %d carrier(s), %s",
                impl, capacity, handoffs.length, carriers(), streams);
    }

    private static void send(Pipe<Integer> pipe, AtomicBoolean stop) throws InterruptedException {
        while (!stop.get()) {
            pipe.send(1);
        }
        pipe.send(END);
    }

    private static void receive(Pipe<Integer> pipe, AtomicLong handoffs) throws InterruptedException {
        while (true) {
            Integer element = pipe.receive();
            if (element.equals(END)) {
                return;
            }
            handoffs.incrementAndGet();
        }
    }

    /** {@return the virtual-thread scheduler's parallelism: its property, else the CPU count} */
    private static int carriers() {
        String set = System.getProperty("jdk.virtualThreadScheduler.parallelism");
        return set != null ? Integer.parseInt(set) : Runtime.getRuntime().availableProcessors();
    }
}
