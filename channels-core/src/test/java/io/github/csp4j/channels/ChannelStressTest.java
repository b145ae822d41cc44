package io.github.csp4j.channels;

import io.github.csp4j.channels.testing.ChannelKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

/**
 * Stress: at least 10^7 elements per kind through 8 senders and 8 receivers, all virtual threads,
 * each element received exactly once and each sender's elements in order at every receiver. Then
 * the same with timed sends and receives whose short timeouts often expire under load.
 *
 * <p>Every receiver marks what it got in a bit set per sender and checks that each sender's
 * sequence numbers increase; at the end, per sender, the bit sets of all receivers must be
 * disjoint and cover every element. Elements per second are printed per kind (in
 * {@code target/surefire-reports/io.github.csp4j.channels.ChannelStressTest-output.txt}); no
 * figure is asserted.
 *
 * <p>Tagged {@code stress}, so the default build skips it. Run it with
 * {@code ./mvnw -pl channels-core verify -Pstress}, and scale it with
 * {@code -Dcsp4j.stress.elements=N} (default 10,000,000 per kind and variant). A run that
 * receives nothing for a minute fails with a dump of its threads.
 */
@Tag("stress")
@Timeout(value = 60, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChannelStressTest {
    private static final long ELEMENTS = Long.getLong("csp4j.stress.elements", 10_000_000L);
    private static final int SENDERS = 8;
    private static final int RECEIVERS = 8;
    private static final int SEQ_BITS = 40;
    private static final long SEQ_MASK = (1L << SEQ_BITS) - 1;
    private static final Duration SHORT = Duration.ofNanos(100_000);
    /** A run fails as hung, with a thread dump, if no element is received for this long. */
    private static final Duration STALL = Duration.ofSeconds(60);

    /* ---- blocking ---- */

    @ForEachChannelKind
    void send_eightSendersEightReceivers_deliverEachElementOnceInOrder(ChannelKind kind) {
        run(kind, false);
    }

    /* ---- timed ---- */

    @ForEachChannelKind
    void timedSend_eightSendersEightReceivers_deliverEachElementOnceInOrder(ChannelKind kind) {
        run(kind, true);
    }

    /** One receiver's record: per sender, what it received and the last sequence number. */
    private static final class Tally {
        final BitSet[] seen = new BitSet[SENDERS];
        final long[] last = new long[SENDERS];
        final List<String> disorder = new ArrayList<>();
        /** Elements received; written by the receiver only, read by the watchdog. */
        volatile long count;

        Tally(int perSender) {
            for (int s = 0; s < SENDERS; s++) {
                seen[s] = new BitSet(perSender);
                last[s] = -1;
            }
        }

        void add(long element) {
            int sender = (int) (element >>> SEQ_BITS);
            long seq = element & SEQ_MASK;
            if (seq <= last[sender] && disorder.size() < 10) {
                disorder.add(sender + ":" + seq + " after " + sender + ":" + last[sender]);
            }
            last[sender] = seq;
            seen[sender].set((int) seq);
            count = count + 1; // single writer
        }
    }

    private static void run(ChannelKind kind, boolean timed) {
        int perSender = Math.toIntExact((ELEMENTS + SENDERS - 1) / SENDERS);
        long total = (long) perSender * SENDERS;
        Channel<Long> channel = kind.create("stress");
        Workers workers = new Workers();
        AtomicLong timeouts = new AtomicLong();
        List<Tally> tallies = new ArrayList<>();
        List<Thread> receivers = new ArrayList<>();
        List<Thread> senders = new ArrayList<>();

        long start = System.nanoTime();
        for (int r = 0; r < RECEIVERS; r++) {
            Tally tally = new Tally(perSender);
            tallies.add(tally);
            receivers.add(workers.start("receiver-" + r, () -> {
                if (!timed) {
                    for (Long element : channel) {
                        tally.add(element);
                    }
                    return;
                }
                long expired = 0;
                try {
                    while (true) {
                        Long element = channel.receive(SHORT);
                        if (element == null) {
                            expired++;
                        } else {
                            tally.add(element);
                        }
                    }
                } catch (ChannelClosedException closed) {
                    timeouts.addAndGet(expired);
                }
            }));
        }
        for (int s = 0; s < SENDERS; s++) {
            long base = (long) s << SEQ_BITS;
            senders.add(workers.start("sender-" + s, () -> {
                long expired = 0;
                for (long seq = 0; seq < perSender; seq++) {
                    Long element = base | seq;
                    if (!timed) {
                        channel.send(element);
                        continue;
                    }
                    while (!channel.send(element, SHORT)) {
                        expired++;
                    }
                }
                timeouts.addAndGet(expired);
            }));
        }

        LongSupplier progress = () -> tallies.stream().mapToLong(tally -> tally.count).sum();
        workers.joinAll(senders, STALL, progress, () -> "the senders; " + channel);
        channel.close();
        workers.joinAll(receivers, STALL, progress, () -> "the receivers to drain the closed channel; " + channel);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%-13s %-7s %,d elements, 8 senders x 8 receivers: %.2f s, %,.0f elements/s%s%n",
                kind, timed ? "timed" : "blocking", total, seconds, total / seconds,
                timed ? String.format(", %,d timeouts expired", timeouts.get()) : "");

        assertEquals(List.of(), workers.failures(), "worker failures");
        for (int r = 0; r < RECEIVERS; r++) {
            assertEquals(List.of(), tallies.get(r).disorder, "receiver " + r + " got a sender's elements out of order");
        }
        for (int s = 0; s < SENDERS; s++) {
            BitSet union = new BitSet(perSender);
            long received = 0;
            for (Tally tally : tallies) {
                received += tally.seen[s].cardinality();
                union.or(tally.seen[s]);
            }
            int distinct = union.cardinality();
            assertEquals(perSender, distinct, "sender " + s + ": elements lost");
            assertEquals(distinct, received, "sender " + s + ": elements received more than once");
        }
        assertTrue(channel.isClosedForReceive());
        assertThrows(ChannelClosedException.class, channel::tryReceive);
    }
}
