package io.github.csp4j.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.csp4j.channels.testing.Async;
import io.github.csp4j.channels.testing.ChannelKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Edge cases of the cells behind every channel that the contract suite reaches only in small
 * numbers: many abandoned waits in a row (more than one segment of cells, so whole segments die
 * and are skipped), and the accounting of a buffered channel's slots when owed senders leave.
 * Found as gaps by the PIT mutation run (root pom, profile pit). Deterministic: every wait that
 * must time out has no possible partner.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ChannelCellsEdgeCasesTest {
    /** More than three segments of 32 cells: whole segments are cancelled and skipped. */
    private static final int ABANDONED = 100;

    private static final Duration SHORT = Duration.ofNanos(50_000);

    @ForEachChannelKind
    void receive_afterManyTimedOutReceivers_stillDeliversInSendOrder(ChannelKind kind) throws Exception {
        Channel<Integer> ch = kind.create();
        for (int i = 0; i < ABANDONED; i++) {
            assertNull(ch.receive(SHORT));
        }
        assertNull(ch.tryReceive());
        if (kind.isRendezvous()) {
            assertHandsOverFiveInOrder(ch);
        } else {
            int room = Math.min(5, kind.capacity());
            for (int i = 0; i < room; i++) {
                assertTrue(ch.trySend(i));
            }
            assertEquals(room < 5, !ch.trySend(-1));
            for (int i = 0; i < room; i++) {
                assertEquals(i, ch.receive());
            }
            if (room == 5) {
                assertEquals(-1, ch.receive());
            }
        }
        assertNull(ch.tryReceive());
    }

    @ForEachChannelKind
    void receive_blockedAfterManyTimedOutReceivers_getsTheNextElement(ChannelKind kind) throws Exception {
        Channel<String> ch = kind.create();
        for (int i = 0; i < ABANDONED; i++) {
            assertNull(ch.receive(SHORT));
        }
        Async<String> receiver = Async.startBlocked(ch::receive);
        assertTrue(ch.send("x", Async.PATIENCE));
        assertEquals("x", receiver.join());
    }

    @Test
    void send_rendezvousAfterManyTimedOutSenders_nothingOfTheirsIsDelivered() throws Exception {
        Channel<Integer> ch = Channel.rendezvous();
        abandonSends(ch);
        assertNull(ch.tryReceive());
        assertHandsOverFiveInOrder(ch);
        assertNull(ch.tryReceive());
    }

    @ForEachChannelKind
    void sendTimed_fullBufferManyOwedSendersTimeOut_capacityStaysExact(ChannelKind kind) throws Exception {
        assumeTrue(kind.isBuffered() && kind.capacity() <= 16);
        int capacity = kind.capacity();
        Channel<Integer> ch = kind.create();
        fill(ch, capacity);
        abandonSends(ch);
        assertFalse(ch.trySend(-1));
        // The abandoned debts must not eat the permits the receives now free, nor add any.
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < capacity; i++) {
                assertEquals(round * capacity + i, ch.receive());
            }
            assertNull(ch.tryReceive());
            for (int i = 0; i < capacity; i++) {
                assertTrue(ch.trySend((round + 1) * capacity + i), "slot " + i + " of " + capacity + " lost");
            }
            assertFalse(ch.trySend(-1), "a slot beyond the capacity " + capacity);
        }
    }

    @ForEachChannelKind
    void send_fullBufferAfterManyTimedOutSenders_blockedSenderAdmittedByTheNextReceive(ChannelKind kind)
            throws Exception {
        assumeTrue(kind.isBuffered() && kind.capacity() <= 16);
        int capacity = kind.capacity();
        Channel<Integer> ch = kind.create();
        fill(ch, capacity);
        abandonSends(ch);
        Async<Void> owed = Async.runBlocked(() -> ch.send(capacity));
        assertEquals(0, ch.receive());
        owed.join(); // admitted by the permit the receive freed, past every abandoned debt
        for (int i = 1; i <= capacity; i++) {
            assertEquals(i, ch.receive());
        }
        assertNull(ch.tryReceive());
    }

    @ForEachChannelKind
    void close_manyBlockedSenders_everyOneFailsAndNoneIsDelivered(ChannelKind kind) throws Exception {
        assumeTrue(!kind.isUnbounded() && kind.capacity() <= 16);
        int capacity = kind.capacity();
        Channel<Integer> ch = kind.create("many-senders");
        fill(ch, capacity);
        List<Async<Void>> senders = new ArrayList<>();
        for (int i = 0; i < 40; i++) { // over a segment of cells
            int element = 1000 + i;
            senders.add(Async.runBlocked(() -> ch.send(element)));
        }
        assertTrue(ch.close());
        for (Async<Void> sender : senders) {
            ChannelClosedException e = assertInstanceOf(ChannelClosedException.class, sender.joinFailure());
            assertTrue(e.getMessage().contains("many-senders"), e.getMessage());
        }
        for (int i = 0; i < capacity; i++) {
            assertEquals(i, ch.receive());
        }
        assertTrue(ch.isClosedForReceive());
        assertThrows(ChannelClosedException.class, ch::receive);
    }

    @ForEachChannelKind
    void fail_manyBlockedReceivers_everyOneFailsWithTheCause(ChannelKind kind) throws Exception {
        Channel<Integer> ch = kind.create();
        List<Async<Integer>> receivers = blockedReceivers(ch);
        IllegalStateException cause = new IllegalStateException("broken");
        assertTrue(ch.fail(cause));
        for (Async<Integer> receiver : receivers) {
            ChannelClosedException e = assertInstanceOf(ChannelClosedException.class, receiver.joinFailure());
            assertEquals(cause, e.getCause());
        }
    }

    @ForEachChannelKind
    void close_manyBlockedReceivers_everyOneSeesTheCloseWithoutCause(ChannelKind kind) throws Exception {
        Channel<Integer> ch = kind.create();
        List<Async<Integer>> receivers = blockedReceivers(ch);
        assertTrue(ch.close());
        for (Async<Integer> receiver : receivers) {
            ChannelClosedException e = assertInstanceOf(ChannelClosedException.class, receiver.joinFailure());
            assertNull(e.getCause());
        }
        assertTrue(ch.isClosedForReceive());
    }

    /** A sender on its own thread hands 0 to 4 over; this thread receives them in order. */
    private static void assertHandsOverFiveInOrder(Channel<Integer> ch) throws InterruptedException {
        Async<Void> sender = Async.run(() -> {
            for (int i = 0; i < 5; i++) {
                ch.send(i);
            }
        });
        for (int i = 0; i < 5; i++) {
            assertEquals(i, ch.receive());
        }
        sender.join();
    }

    /** Sends 0 to {@code capacity - 1} without waiting: the buffer is then full. */
    private static void fill(Channel<Integer> ch, int capacity) {
        for (int i = 0; i < capacity; i++) {
            assertTrue(ch.trySend(i));
        }
    }

    /** ABANDONED sends of -1 that time out, since nothing can take them. */
    private static void abandonSends(Channel<Integer> ch) throws InterruptedException {
        for (int i = 0; i < ABANDONED; i++) {
            assertFalse(ch.send(-1, SHORT), "send " + i + " was taken");
        }
    }

    /** 40 receivers, over a segment of cells, each blocked in receive(). */
    private static List<Async<Integer>> blockedReceivers(Channel<Integer> ch) {
        List<Async<Integer>> receivers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            receivers.add(Async.startBlocked(ch::receive));
        }
        return receivers;
    }
}
