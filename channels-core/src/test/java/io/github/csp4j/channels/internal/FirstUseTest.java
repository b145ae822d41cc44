package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.spi.Selection;
import io.github.csp4j.channels.testing.ChannelKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An empty channel is one object: its counters, its segments, its generated name and a buffered
 * channel's PermitQueue are allocated when first needed (ADR 0008 and its addendum). The
 * PermitQueue is set before the counters, so every first operation finds it, including first
 * operations that race (CellChannel.counters()).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FirstUseTest {
    /** Rounds of the race of first sends. */
    private static final int ROUNDS = 2_000;
    /** Senders in each round, all but one of which owe the single buffer slot. */
    private static final int SENDERS = 4;
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void newChannel_holdsNothingButItself(ChannelKind kind) throws Exception {
        CellChannel<Integer> cells = cells(kind.create());

        for (String field : List.of("counters", "permits", "sendSegment", "receiveSegment", "head", "name")) {
            assertNull(WhiteBox.field(cells, field), field + " of a new " + kind);
        }
    }

    /** A first operation of each kind, on a new channel. */
    interface FirstOperation {
        void run(Channel<Integer> channel) throws Exception;
    }

    static Stream<Arguments> firstOperations() {
        List<Arguments> cases = new ArrayList<>();
        for (ChannelKind kind : ChannelKind.values()) {
            cases.add(Arguments.of(kind, "trySend", (FirstOperation) channel -> channel.trySend(1)));
            cases.add(Arguments.of(kind, "timed send", (FirstOperation) channel -> channel.send(1, Duration.ofNanos(1))));
            cases.add(Arguments.of(kind, "tryReceive", (FirstOperation) Channel::tryReceive));
            cases.add(Arguments.of(kind, "timed receive",
                    (FirstOperation) channel -> channel.receive(Duration.ofNanos(1))));
            cases.add(Arguments.of(kind, "close", (FirstOperation) Channel::close));
            cases.add(Arguments.of(kind, "fail",
                    (FirstOperation) channel -> channel.fail(new IllegalStateException("first"))));
            cases.add(Arguments.of(kind, "select's send clause, registered without a poll",
                    (FirstOperation) channel -> selectWithoutPoll(channel, true)));
            cases.add(Arguments.of(kind, "select's receive clause, registered without a poll",
                    (FirstOperation) channel -> selectWithoutPoll(channel, false)));
        }
        return cases.stream();
    }

    /**
     * A select of one clause on {@code channel} that registers it at once (the Selection SPI lets
     * a select wait without polling first): a send clause goes through sendOrRegister, a receive
     * clause through the receive registration; it waits a microsecond at most.
     */
    private static void selectWithoutPoll(Channel<Integer> channel, boolean send) throws InterruptedException {
        Selection selection = Selection.create();
        if (send) {
            selection.addSend(channel, 1);
        } else {
            selection.addReceive(channel, false);
        }
        selection.begin();
        int result = selection.await(new int[] {0}, Selection.deadline(1_000));
        assertTrue(result == 0 || result == Selection.TIMED_OUT, "select returned " + result);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("firstOperations")
    void firstOperation_allocatesAPermitQueueExactlyForABufferedChannel(ChannelKind kind, String name,
            FirstOperation operation) throws Exception {
        Channel<Integer> channel = kind.create();
        CellChannel<Integer> cells = cells(channel);

        operation.run(channel);

        assertNotNull(WhiteBox.field(cells, "counters"), name + " allocates the counters");
        boolean buffered = kind != ChannelKind.RENDEZVOUS && kind != ChannelKind.UNBOUNDED;
        assertEquals(buffered, WhiteBox.field(cells, "permits") != null, name + " on " + kind);
    }

    @Test
    void unusedBufferedChannel_showsItsCapacityAndNobodyWaiting() throws Exception {
        CellChannel<Integer> cells = cells(Channel.buffered("jobs", 16));

        assertEquals("Channel[jobs, buffered(16), open, cells[open, senders=0, receivers=0, permits[capacity=16, unused]]]",
                cells.toString());
        assertEquals("", cells.waitingThreads().describe(), "nobody waits");
        assertNull(WhiteBox.field(cells, "permits"), "diagnostics allocate nothing");
        assertNull(WhiteBox.field(cells, "counters"), "diagnostics allocate nothing");
    }

    /**
     * Senders that start at once on a new buffered(1) channel: one takes the slot and the others
     * owe it, in the PermitQueue that the first of them installed. A sender that found the
     * counters without the queue would fail, and one that queued in a queue that lost the
     * installation would never be admitted; either way fewer elements arrive.
     */
    @Test
    void racingFirstSends_allQueueInTheOnePermitQueue() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Channel<Integer> channel = Channel.buffered(1);
            CountDownLatch start = new CountDownLatch(1);
            Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> senders = new ArrayList<>();
            for (int i = 0; i < SENDERS; i++) {
                int element = i;
                senders.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        channel.send(element);
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            start.countDown();
            try {
                boolean[] seen = new boolean[SENDERS];
                for (int i = 0; i < SENDERS && failures.isEmpty(); i++) {
                    Integer element = channel.receive(PATIENCE);
                    assertNotNull(element, "round " + round + ": element " + (i + 1) + " of " + SENDERS
                            + " did not arrive; " + channel);
                    assertFalse(seen[element], "round " + round + ": " + element + " twice");
                    seen[element] = true;
                }
                for (Thread sender : senders) {
                    assertTrue(sender.join(PATIENCE), sender + " still sending in round " + round);
                }
                assertEquals(List.of(), List.copyOf(failures), "round " + round);
                assertSame(null, channel.tryReceive(), "round " + round + ": nothing more");
            } finally {
                channel.close(); // a sender still blocked after a failure leaves with ChannelClosedException
            }
        }
    }

    private static CellChannel<Integer> cells(Channel<Integer> channel) {
        return (DefaultChannel<Integer>) channel;
    }
}
