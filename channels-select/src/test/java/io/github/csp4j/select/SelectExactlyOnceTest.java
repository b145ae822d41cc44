package io.github.csp4j.select;

import static io.github.csp4j.select.Select.onReceive;
import static io.github.csp4j.select.Select.onSend;
import static io.github.csp4j.select.Select.onTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.ChannelClosedException;
import io.github.csp4j.channels.testing.ChannelKind;
import io.github.csp4j.channels.testing.Soak;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Concurrent property: with generated numbers of channels (of generated kinds), of plain and
 * selecting senders and receivers, random timeouts on the selecting parties and random interrupts
 * on everyone, every element a send accepted is received exactly once, nothing else is received,
 * and each receiver gets each sender's elements through one channel in the order they were sent.
 *
 * <p>A plain sender sends to one channel; a selecting sender offers each element to every channel
 * at once, with an {@code onTimeout} in some runs, and retries an element whose select timed out
 * or was interrupted (it was not accepted). Each channel has one plain receiver; selecting
 * receivers receive from every channel with plain {@code onReceive} clauses until the select
 * throws {@link ChannelClosedException} because every channel is closed and drained, which proves
 * that closed channels are skipped. An interrupter thread interrupts random parties throughout.
 * The channels are closed once every sender is done.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SelectExactlyOnceTest {
    /** Examples per run; raise it with {@code -Dcsp4j.select.examples=N} to hunt. */
    private static final int EXAMPLES = Integer.getInteger("csp4j.select.examples", 300);
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final int SEQUENCE_BITS = 20;


    private static final AtomicLong RUNS = new AtomicLong();
    private static final AtomicLong ACCEPTED = new AtomicLong();
    private static final AtomicLong INTERRUPTED = new AtomicLong();
    private static final AtomicLong TIMED_OUT = new AtomicLong();

    @Test
    void select_generatedPartiesTimeoutsAndInterrupts_deliverEveryAcceptedElementOnceInOrder() {
        // No shrinking: the seed drives most of a scenario, so shrinking cannot simplify it; a
        // failure reports its seed, and the scenario reruns from it.
        qt().withExamples(EXAMPLES).withShrinkCycles(0)
                .forAll(integers().between(1, 3), integers().between(0, 3), integers().between(0, 3), longs().all())
                .checkAssert(this::run);
    }

    /** The soak: this property with fresh seeds for minutes (./mvnw verify -Psoak). */
    @Test
    @Tag("soak")
    @Timeout(value = 7200, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void soak_property_manyBatchesOfFreshSeeds() throws Exception {
        Soak.repeat("select exactly-once", seed -> qt().withFixedSeed(seed).withExamples(300).withShrinkCycles(0)
                .forAll(integers().between(1, 3), integers().between(0, 3), integers().between(0, 3), longs().all())
                .checkAssert(this::run));
    }

    /**
     * The shape in which this property found a race (at about 1 example in 20,000): selecting
     * senders and a selecting receiver on two rendezvous channels, where a peer turned away by a
     * registering select could still complete the registration after its owner had removed it,
     * and a receiver took a send registration's cleared element. Fixed by making the refusal a
     * CAS the owner must win before it removes a registration (SelectRound). Many runs of that
     * shape, so the default suite keeps exercising it; the property at 400,000 examples
     * ({@code -Dcsp4j.select.examples=400000}) is the stronger check.
     */
    @Test
    void select_refusalRaceShape_manyRuns_deliverEveryAcceptedElementOnce() {
        int runs = 0;
        for (long seed = 0; runs < 2_000; seed++) {
            SplittableRandom kinds = new SplittableRandom(seed); // as run() draws the two kinds
            if (kinds.nextInt(ChannelKind.values().length) == 0 && kinds.nextInt(ChannelKind.values().length) == 0) {
                run(2, 0, 3, seed); // both channels rendezvous
                runs++;
            }
        }
    }

    @AfterAll
    static void summary() {
        System.out.printf("select exactly-once: %,d runs, %,d elements accepted, %,d interrupted and %,d timed-out operations%n",
                RUNS.get(), ACCEPTED.get(), INTERRUPTED.get(), TIMED_OUT.get());
    }

    private void run(int channelCount, int plainSenders, int selectingSenders, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        if (plainSenders + selectingSenders == 0) {
            selectingSenders = 1;
        }
        ChannelKind[] kinds = ChannelKind.values();
        List<Channel<Long>> channels = new ArrayList<>();
        for (int i = 0; i < channelCount; i++) {
            channels.add(kinds[random.nextInt(kinds.length)].create("ch" + i));
        }
        int selectingReceivers = random.nextInt(3);
        int elements = 1 + random.nextInt(60);
        boolean timeouts = random.nextBoolean();
        int interrupts = random.nextInt(40);

        List<Thread> parties = new ArrayList<>();
        List<Thread> senders = new ArrayList<>();
        List<Thread> receivers = new ArrayList<>();
        ConcurrentLinkedQueue<Long> accepted = new ConcurrentLinkedQueue<>();
        List<List<long[]>> received = new ArrayList<>(); // per receiver: {channel, element}
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

        int sender = 0;
        for (int s = 0; s < plainSenders + selectingSenders; s++, sender++) {
            boolean selecting = s >= plainSenders;
            Channel<Long> target = channels.get(s % channelCount);
            long base = (long) sender << SEQUENCE_BITS;
            long timeoutNanos = timeouts ? 1 + random.nextInt(200_000) : -1;
            senders.add(Thread.ofVirtual().unstarted(guarded(failures, () -> {
                for (int seq = 0; seq < elements; seq++) {
                    long element = base + seq;
                    while (!(selecting ? selectSend(channels, element, timeoutNanos) : plainSend(target, element))) {
                        // not accepted: retry the same element
                    }
                    accepted.add(element);
                }
            })));
        }
        for (int r = 0; r < channelCount + selectingReceivers; r++) {
            List<long[]> log = new ArrayList<>();
            received.add(log);
            int channel = r;
            long timeoutNanos = timeouts ? 1 + random.nextInt(200_000) : -1;
            receivers.add(Thread.ofVirtual().unstarted(guarded(failures, () -> {
                if (channel < channelCount) {
                    plainReceiveAll(channels.get(channel), channel, log);
                } else {
                    selectReceiveAll(channels, timeoutNanos, log);
                }
            })));
        }
        parties.addAll(senders);
        parties.addAll(receivers);
        CountDownLatch interrupterDone = new CountDownLatch(1);
        Thread interrupter = Thread.ofVirtual().unstarted(() -> {
            try {
                for (int i = 0; i < interrupts; i++) {
                    parties.get(random.nextInt(parties.size())).interrupt();
                    for (int spin = random.nextInt(2_000); spin > 0; spin--) {
                        Thread.onSpinWait();
                    }
                    Thread.yield();
                }
            } finally {
                interrupterDone.countDown();
            }
        });

        parties.forEach(Thread::start);
        interrupter.start();
        joinAll(senders, parties);
        channels.forEach(Channel::close);
        joinAll(receivers, parties);
        await(interrupterDone, parties);

        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("a party failed (seed " + seed + ")");
            failures.forEach(error::addSuppressed);
            throw error;
        }
        List<Long> expected = new ArrayList<>(accepted);
        List<Long> got = new ArrayList<>();
        received.forEach(log -> log.forEach(entry -> got.add(entry[1])));
        expected.sort(null);
        got.sort(null);
        assertEquals(expected, got, "multiset received == multiset accepted (seed " + seed + ")");
        for (List<long[]> log : received) {
            Map<Long, Long> last = new HashMap<>();
            for (long[] entry : log) {
                long key = entry[0] << 32 | entry[1] >>> SEQUENCE_BITS; // channel and sender
                Long previous = last.put(key, entry[1]);
                if (previous != null && previous >= entry[1]) {
                    fail("out of order through channel " + entry[0] + ": " + previous + " then " + entry[1] + " (seed " + seed + ")");
                }
            }
        }
        RUNS.incrementAndGet();
        ACCEPTED.addAndGet(expected.size());
    }

    private static boolean plainSend(Channel<Long> channel, long element) {
        try {
            channel.send(element);
            return true;
        } catch (InterruptedException e) {
            INTERRUPTED.incrementAndGet();
            return false;
        }
    }

    private static boolean selectSend(List<Channel<Long>> channels, long element, long timeoutNanos) {
        List<SelectClause<Boolean>> clauses = new ArrayList<>();
        for (Channel<Long> channel : channels) {
            clauses.add(onSend(channel, element, () -> true));
        }
        if (timeoutNanos > 0) {
            clauses.add(onTimeout(Duration.ofNanos(timeoutNanos), () -> false));
        }
        try {
            boolean sent = Select.select(array(clauses));
            if (!sent) {
                TIMED_OUT.incrementAndGet();
            }
            return sent;
        } catch (InterruptedException e) {
            INTERRUPTED.incrementAndGet();
            return false;
        }
    }

    private static void plainReceiveAll(Channel<Long> channel, int index, List<long[]> log) {
        while (true) {
            try {
                log.add(new long[] {index, channel.receive()});
            } catch (InterruptedException e) {
                INTERRUPTED.incrementAndGet();
            } catch (ChannelClosedException e) {
                return;
            }
        }
    }

    private static void selectReceiveAll(List<Channel<Long>> channels, long timeoutNanos, List<long[]> log) {
        List<SelectClause<long[]>> clauses = new ArrayList<>();
        for (int i = 0; i < channels.size(); i++) {
            int index = i;
            clauses.add(onReceive(channels.get(i), e -> new long[] {index, e}));
        }
        if (timeoutNanos > 0) {
            clauses.add(onTimeout(Duration.ofNanos(timeoutNanos), () -> null));
        }
        Selector<long[]> selector = Select.selector(array(clauses));
        while (true) {
            try {
                long[] entry = selector.select();
                if (entry != null) {
                    log.add(entry);
                } else {
                    TIMED_OUT.incrementAndGet();
                }
            } catch (InterruptedException e) {
                INTERRUPTED.incrementAndGet();
            } catch (ChannelClosedException e) {
                return; // every channel is closed and drained
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <R> SelectClause<R>[] array(List<SelectClause<R>> clauses) {
        return clauses.toArray((SelectClause<R>[]) new SelectClause<?>[0]);
    }

    private interface Body {
        void run() throws Exception;
    }

    private static Runnable guarded(ConcurrentLinkedQueue<Throwable> failures, Body body) {
        return () -> {
            try {
                body.run();
            } catch (Throwable t) {
                failures.add(t);
            }
        };
    }

    private static void joinAll(List<Thread> threads, List<Thread> all) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (Thread thread : threads) {
            try {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0 || !thread.join(Duration.ofNanos(remaining))) {
                    fail("a party did not end within " + PATIENCE + ":\n" + dump(all));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void await(CountDownLatch latch, List<Thread> all) {
        try {
            if (!latch.await(PATIENCE.toNanos(), TimeUnit.NANOSECONDS)) {
                fail("the interrupter did not end:\n" + dump(all));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String dump(List<Thread> threads) {
        StringBuilder text = new StringBuilder();
        for (Thread thread : threads) {
            text.append(thread).append(' ').append(thread.getState()).append('\n');
            Arrays.stream(thread.getStackTrace()).forEach(frame -> text.append("    at ").append(frame).append('\n'));
        }
        return text.toString();
    }
}
