package io.github.csp4j.channels;

import io.github.csp4j.channels.testing.Heap;
import io.github.csp4j.channels.testing.ChannelKind;
import io.github.csp4j.channels.testing.Async;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;

/**
 * Leak checks: timed-out waiters leave nothing behind. For every kind, a million receives that time
 * out on one idle channel do not grow the heap; nor do timed-out sends on a full buffered channel
 * or on a rendezvous channel without receivers; nor do timed-out receives (or sends) queued behind
 * a live waiter that stays blocked at the front of the channel, which keeps its own part of the
 * channel in use; nor do senders that wait on a full channel and are then let through, a thousand
 * at a time (on a buffered channel each queues for a buffer slot; the segments of that queue once
 * kept each other reachable, about 10 bytes per waiting sender: docs/RELIABILITY.md).
 *
 * <p>Each waiter costs a cell; a channel that kept the cells of cancelled waiters would keep a
 * segment of 32 cells (about 310 bytes) per 32 operations, nearly 10 bytes per operation, and more
 * if it also kept the waiters. The bound is {@value #BYTES_PER_OPERATION} bytes per operation,
 * measured as used heap after full collections, before and after the operations, with the channel
 * still reachable; the readings of a run without a leak differ by a few kilobytes. Two virtual
 * threads share the operations, so the cancellations also race. Interrupted waiters leave their
 * cells by the same cancellation as timed-out ones, so they are not measured separately.
 *
 * <p>Every case runs 10^6 operations (property {@code csp4j.memory.operations} scales the others
 * down or up; the idle-receive case never runs fewer than 10^6).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChannelMemoryTest {
    /** Operations of the other cases. */
    private static final int FEW = Integer.getInteger("csp4j.memory.operations", 1_000_000);
    /** Operations of the headline case, timed-out receives on an idle channel. */
    private static final int MANY = Math.max(FEW, 1_000_000);
    private static final int BYTES_PER_OPERATION = 2;
    private static final int THREADS = 2;
    /** Senders blocked at once in {@link #servedSends}. */
    private static final int WAITING = 1_000;
    private static final Duration TINY = Duration.ofNanos(1_000);
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    /* ---- receive ---- */

    @ForEachChannelKind
    void receive_millionTimeoutsOnIdleChannel_heapDoesNotGrow(ChannelKind kind) {
        Channel<Integer> channel = kind.create("idle");
        assertNoGrowth(channel, MANY, () -> timedOutReceives(channel, MANY));
    }

    @ForEachChannelKind
    void receive_timeoutsBehindBlockedReceiver_heapDoesNotGrow(ChannelKind kind) {
        Channel<Integer> channel = kind.create("live-receiver");
        Async<Integer> blocked = Async.start(channel::receive).awaitBlocked();
        assertNoGrowth(channel, FEW, () -> timedOutReceives(channel, FEW));
        assertTrue(sendWithin(channel, 42));
        assertEquals(42, blocked.join(), "the receiver at the front gets the next element");
    }

    /* ---- send ---- */

    @ForEachChannelKind
    void send_timeoutsOnFullChannel_heapDoesNotGrow(ChannelKind kind) {
        assumeFalse(kind.isUnbounded(), "an unbounded channel is never full");
        Channel<Integer> channel = kind.create("full");
        fill(channel, kind);
        assertNoGrowth(channel, FEW, () -> timedOutSends(channel, FEW));
        for (int i = 0; i < kind.capacity(); i++) {
            assertEquals(i, channel.tryReceive(), "the buffered elements are intact");
        }
    }

    @ForEachChannelKind
    void send_timeoutsBehindBlockedSender_heapDoesNotGrow(ChannelKind kind) {
        assumeFalse(kind.isUnbounded(), "an unbounded channel is never full");
        Channel<Integer> channel = kind.create("live-sender");
        fill(channel, kind);
        Async<Void> blocked = Async.run(() -> channel.send(-1)).awaitBlocked();
        assertNoGrowth(channel, FEW, () -> timedOutSends(channel, FEW));
        for (int i = 0; i < kind.capacity(); i++) {
            assertEquals(i, receiveWithin(channel), "the buffered elements are intact");
        }
        assertEquals(-1, receiveWithin(channel), "the sender at the front is served next");
        blocked.join();
    }

    @ForEachChannelKind
    void send_sendersThatWaitedAndWereServed_heapDoesNotGrow(ChannelKind kind) {
        assumeFalse(kind.isUnbounded(), "an unbounded channel is never full");
        Channel<Integer> channel = kind.create("served-after-waiting");
        fill(channel, kind);
        assertNoGrowth(channel, FEW, () -> servedSends(channel, FEW));
        for (int i = 0; i < kind.capacity(); i++) {
            assertEquals(Integer.MIN_VALUE, receiveWithin(channel), "the last senders' elements are buffered");
        }
    }

    /* ---- helpers ---- */

    /** Fills a buffered channel to capacity with 0, 1, ...; a rendezvous channel holds nothing. */
    private static void fill(Channel<Integer> channel, ChannelKind kind) {
        for (int i = 0; i < kind.capacity(); i++) {
            assertTrue(channel.trySend(i));
        }
        assertTrue(!channel.trySend(Integer.MAX_VALUE), "full");
    }

    private static Integer receiveWithin(Channel<Integer> channel) {
        try {
            Integer element = channel.receive(Async.PATIENCE);
            assertTrue(element != null, "nothing to receive within " + Async.PATIENCE);
            return element;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean sendWithin(Channel<Integer> channel, int element) {
        try {
            return channel.send(element, Async.PATIENCE);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code operations} receives that must all time out, shared by {@value #THREADS} threads. */
    private static void timedOutReceives(Channel<Integer> channel, int operations) {
        inParallel(channel, operations, () -> channel.receive(TINY) == null);
    }

    /** {@code operations} sends that must all time out, shared by {@value #THREADS} threads. */
    private static void timedOutSends(Channel<Integer> channel, int operations) {
        inParallel(channel, operations, () -> !channel.send(Integer.MIN_VALUE, TINY));
    }

    /**
     * {@code operations} sends that all wait, then complete: in rounds of {@value #WAITING} at
     * a time, each sender blocks on the full channel (a buffered sender queues for a buffer
     * slot) before one receive per sender lets them through in their order. The channel is full
     * before and after each round; every sender sends {@link Integer#MIN_VALUE}.
     */
    private static void servedSends(Channel<Integer> channel, int operations) {
        for (int done = 0; done < operations; done += WAITING) {
            int round = Math.min(WAITING, operations - done);
            List<Async<Void>> senders = new ArrayList<>();
            for (int i = 0; i < round; i++) {
                senders.add(Async.run(() -> channel.send(Integer.MIN_VALUE)));
            }
            for (Async<Void> sender : senders) {
                sender.awaitBlocked();
            }
            for (int i = 0; i < round; i++) {
                receiveWithin(channel);
            }
            for (Async<Void> sender : senders) {
                sender.join();
            }
        }
    }

    /** An operation that reports whether it timed out. */
    @FunctionalInterface
    private interface TimedOut {
        boolean call() throws InterruptedException;
    }

    private static void inParallel(Channel<Integer> channel, int operations, TimedOut operation) {
        Workers workers = new Workers();
        AtomicLong completed = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int share = operations / THREADS + (t < operations % THREADS ? 1 : 0);
            threads.add(workers.start("timing-out-" + t, () -> {
                for (int i = 0; i < share; i++) {
                    if (!operation.call()) {
                        completed.incrementAndGet();
                    }
                }
            }));
        }
        workers.joinAll(threads, Workers.deadlineIn(PATIENCE),
                () -> operations + " timed-out operations on " + channel);
        assertEquals(List.of(), workers.failures());
        assertEquals(0, completed.get(), "operations that should have timed out but completed");
    }

    /**
     * Runs {@code work} and asserts that the used heap after full collections grew by less than
     * {@value #BYTES_PER_OPERATION} bytes per operation.
     */
    private static void assertNoGrowth(Channel<Integer> channel, int operations, Runnable work) {
        long bound = (long) operations * BYTES_PER_OPERATION;
        long before = Heap.usedAfterGc();
        work.run();
        long after = Heap.usedAfterGc();
        long growth = after - before;
        System.out.printf("%s: %,d operations, heap %,d -> %,d bytes (%+,d; bound %,d)%n",
                channel.name(), operations, before, after, growth, bound);
        assertTrue(growth < bound, () -> String.format(
                "heap grew by %,d bytes over %,d operations (bound %,d): %s",
                growth, operations, bound, channel));
    }
}
