package io.github.csp4j.select;

import static io.github.csp4j.select.Select.onReceive;
import static io.github.csp4j.select.Select.onSend;
import static io.github.csp4j.select.Select.onTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.testing.Async;
import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.testing.ChannelKind;
import io.github.csp4j.channels.testing.Heap;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 10^6 selects that lose on an idle channel leave no garbage in it: each waits there (its
 * registration takes a cell) and is removed when another clause wins. Nor do selects whose send
 * clause waits on a full channel and then wins, a thousand at a time: on a buffered channel such
 * a clause queues for a buffer slot, and the segments of that queue once kept each other
 * reachable (about 10 bytes per waiting select; docs/RELIABILITY.md), so that case has a
 * tighter bound.
 */
@Timeout(300)
class SelectMemoryTest {
    private static final int MANY = 1_000_000;

    /** Far below the size of one registration, a Waiter of 56 bytes (JOL). */
    private static final long BYTES_PER_SELECT = 16;

    /** Selects that wait and then win, in {@link #servedSends}. */
    private static final int SERVED = 200_000;

    /** Far below a segment's share of one waiting select (about 10 bytes). */
    private static final long BYTES_PER_SERVED_SELECT = 2;

    /** Selects blocked at once in {@link #servedSends}. */
    private static final int WAITING = 1_000;

    @ParameterizedTest(name = "{0}")
    @EnumSource(ChannelKind.class)
    void select_losingOnAnIdleChannelByTimeout_leavesNoGarbage(ChannelKind kind) throws InterruptedException {
        Channel<Integer> idle = kind.create("idle-" + kind);
        Selector<Integer> selector = Select.selector(onReceive(idle, e -> e), onTimeout(Duration.ofNanos(1), () -> -1));
        loseTimes(selector, MANY / 10); // warm up: the first segments, the JIT

        long before = Heap.usedAfterGc();
        loseTimes(selector, MANY);
        long after = Heap.usedAfterGc();

        assertBounded(idle, before, after);
        assertTrue(idle.trySend(7) != kind.isRendezvous(), "the idle channel is as it was: nobody waits on it");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ChannelKind.class)
    void select_sendLosingOnAFullChannelByTimeout_leavesNoGarbage(ChannelKind kind) throws InterruptedException {
        if (kind.isUnbounded()) {
            return; // a send to an unbounded channel never waits
        }
        Channel<Integer> full = filled(kind, "full-" + kind);
        Selector<Integer> selector = Select.selector(onSend(full, -1, () -> 1), onTimeout(Duration.ofNanos(1), () -> -1));
        loseTimes(selector, MANY / 10);

        long before = Heap.usedAfterGc();
        loseTimes(selector, MANY);
        long after = Heap.usedAfterGc();

        assertBounded(full, before, after);
        for (int i = 0; i < kind.capacity(); i++) {
            assertEquals(i, full.tryReceive(), "the buffered elements are intact");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ChannelKind.class)
    void select_losingOnAnIdleChannelToAPeer_leavesNoGarbage(ChannelKind kind) throws InterruptedException {
        Channel<Integer> idle = kind.create("idle-" + kind);
        Channel<Integer> busy = kind.create("busy-" + kind);
        int rounds = MANY;
        Async<Void> producer = Async.run(() -> {
            for (int i = 0; i < rounds + rounds / 10; i++) {
                busy.send(i);
            }
        });
        Selector<Integer> selector = Select.selector(onReceive(idle, e -> -1), onReceive(busy, e -> e));
        receive(selector, rounds / 10);

        long before = Heap.usedAfterGc();
        receive(selector, rounds);
        long after = Heap.usedAfterGc();

        producer.join();
        assertBounded(idle, before, after);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ChannelKind.class)
    void select_sendThatWaitsOnAFullChannelThenWins_leavesNoGarbage(ChannelKind kind) throws InterruptedException {
        if (kind.isUnbounded()) {
            return; // a send to an unbounded channel never waits
        }
        Channel<Integer> full = filled(kind, "served-" + kind);
        servedSends(full, SERVED / 10);

        long before = Heap.usedAfterGc();
        servedSends(full, SERVED);
        long after = Heap.usedAfterGc();

        assertBounded(full, SERVED, "waiting, then winning", BYTES_PER_SERVED_SELECT, before, after);
        for (int i = 0; i < kind.capacity(); i++) {
            assertEquals(-1, full.tryReceive(), "the last selects' elements are buffered");
        }
    }

    /**
     * {@code total} selects with one send clause of -1 on {@code full}, {@value #WAITING} at a
     * time: each blocks (the channel is full, or a rendezvous channel has no receiver) before one
     * receive per select lets them through; each then reports its clause.
     */
    private static void servedSends(Channel<Integer> full, int total) throws InterruptedException {
        for (int done = 0; done < total; done += WAITING) {
            List<Async<Integer>> selects = new ArrayList<>();
            for (int i = 0; i < WAITING; i++) {
                selects.add(Async.start(() -> Select.select(onSend(full, -1, () -> 1))));
            }
            for (Async<Integer> select : selects) {
                select.awaitBlocked();
            }
            for (int i = 0; i < WAITING; i++) {
                assertTrue(full.receive(Async.PATIENCE) != null, "nothing to receive within " + Async.PATIENCE);
            }
            for (Async<Integer> select : selects) {
                assertEquals(1, select.join());
            }
        }
    }

    /** {@return a new channel of {@code kind} holding 0, 1, ... up to its capacity} */
    private static Channel<Integer> filled(ChannelKind kind, String name) throws InterruptedException {
        Channel<Integer> channel = kind.create(name);
        for (int i = 0; i < kind.capacity(); i++) {
            channel.send(i);
        }
        return channel;
    }

    /**
     * A selector kept for reuse keeps no element it received once its run returned (its plan's
     * engine, which lives as long as it does, once kept the last one until its next plan run).
     */
    @Test
    void selector_keepsNoElementAfterItsRun() throws InterruptedException {
        Channel<Object> channel = Channel.rendezvous("handed");
        Selector<String> selector = Select.selector(onReceive(channel, e -> "got"), onTimeout(Duration.ofDays(1), () -> "t"));
        WeakReference<Object> element = handOver(selector, channel);

        for (int attempt = 0; attempt < 20 && !element.refersTo(null); attempt++) {
            System.gc();
        }

        assertTrue(element.refersTo(null), "the selector keeps the element it received reachable");
        assertTrue(selector.toString().contains("handed"), selector.toString()); // the selector lived throughout
    }

    /** A select by {@code selector} that waits, and a sender that hands it a new element. */
    private static WeakReference<Object> handOver(Selector<String> selector, Channel<Object> channel)
            throws InterruptedException {
        Object element = new Object();
        Async<Void> sender = Async.runBlocked(() -> channel.send(element));
        assertEquals("got", selector.select());
        sender.join();
        return new WeakReference<>(element);
    }

    private static void loseTimes(Selector<Integer> selector, int times) throws InterruptedException {
        for (int i = 0; i < times; i++) {
            assertEquals(-1, selector.select());
        }
    }

    private static void receive(Selector<Integer> selector, int times) throws InterruptedException {
        for (int i = 0; i < times; i++) {
            assertTrue(selector.select() >= 0, "idle delivered something");
        }
    }

    private static void assertBounded(Channel<Integer> channel, long before, long after) {
        assertBounded(channel, MANY, "losing", BYTES_PER_SELECT, before, after);
    }

    private static void assertBounded(
            Channel<Integer> channel, int selects, String how, long bytesPerSelect, long before, long after) {
        long growth = after - before;
        long bound = selects * bytesPerSelect;
        System.out.printf("%s: %,d %s selects, heap %,d -> %,d bytes (%+,d; bound %,d)%n",
                channel.name(), selects, how, before, after, growth, bound);
        assertTrue(growth < bound, () -> String.format("heap grew by %,d bytes (bound %,d): %s", growth, bound, channel));
    }
}
