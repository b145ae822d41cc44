package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.ChannelClosedException;
import io.github.csp4j.channels.spi.Selection;
import io.github.csp4j.channels.testing.Async;
import io.github.csp4j.channels.testing.UnreadableException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The select engine (the Selection SPI) when a channel changes between a select's poll and its
 * wait, and when a close or fail meets a select's receive registration whose sender is on its
 * way: cases the mutation run (root pom, profile pit) found unchecked. A real select reaches
 * them only when a peer acts in that window; here the test takes the select's steps itself
 * (begin, poll, then the change, then await), as the SPI's contract allows. A wait that must
 * end is bounded by a deadline or observed parked (Async.startBlocked).
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SelectionEdgeCasesTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    /** begin(), then a poll of every clause, none of which completes. */
    private static void beginAndPollNothing(Selection selection) {
        selection.begin();
        for (int clause = 0; clause < selection.size(); clause++) {
            assertFalse(selection.poll(clause), "clause " + clause + " is not ready yet");
        }
    }

    private static int await(Selection selection, int... order) throws InterruptedException {
        return selection.await(order, Selection.deadline(SECOND));
    }

    /**
     * A receive clause whose channel is failed, after the poll, with a cause whose toString()
     * throws: the clause completes at its registration with the channel's exception, and the
     * registration of the clause before it is removed (the round had registered it first).
     */
    @Test
    void receiveClause_failedAfterThePollWithAnUnreadableCause_completesWithItsClosure() throws Exception {
        Channel<String> open = Channel.rendezvous("open");
        Channel<String> failing = Channel.rendezvous("failing");
        Selection selection = Selection.create();
        selection.addReceive(open, false);
        selection.addReceive(failing, false);
        beginAndPollNothing(selection);
        Exception cause = new UnreadableException();

        assertTrue(failing.fail(cause));

        assertEquals(1, await(selection, 0, 1));
        assertSame(cause, selection.closure().getCause());
        assertEquals("failing", selection.closure().channelName());
        assertFalse(open.toString().contains("waiting"), open.toString());
    }

    @Test
    void sendClause_slotFreedAfterThePoll_sendsWhenItRegisters() throws Exception {
        Channel<String> ch = Channel.buffered("buf", 1);
        assertTrue(ch.trySend("a"));
        Selection selection = Selection.create();
        selection.addSend(ch, "x");
        beginAndPollNothing(selection);

        assertEquals("a", ch.tryReceive(), "frees the slot");

        assertEquals(0, await(selection, 0));
        assertNull(selection.closure());
        assertEquals("x", ch.tryReceive(), "sent into the freed slot");
    }

    @Test
    void receiveClauses_theSecondChannelFilledAfterThePoll_completesThatClause() throws Exception {
        Channel<String> a = Channel.buffered("a", 1);
        Channel<String> b = Channel.buffered("b", 1);
        Selection selection = Selection.create();
        selection.addReceive(a, false);
        selection.addReceive(b, false);
        beginAndPollNothing(selection);

        assertTrue(b.trySend("y"));

        assertEquals(1, await(selection, 0, 1));
        assertEquals("y", selection.received());
    }

    @Test
    void rendezvousSendClause_closedAfterThePoll_completesWithTheClosure() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        Selection selection = Selection.create();
        selection.addSend(ch, "x");
        beginAndPollNothing(selection);

        assertTrue(ch.close());

        assertEquals(0, await(selection, 0));
        assertNotNull(selection.closure());
    }

    @Test
    void bufferedSendClause_closedAfterThePoll_completesWithTheClosureAndTheBufferDrains()
            throws Exception {
        Channel<String> ch = Channel.buffered("buf", 1);
        assertTrue(ch.trySend("a"));
        Selection selection = Selection.create();
        selection.addSend(ch, "x");
        beginAndPollNothing(selection);

        assertTrue(ch.close());

        assertEquals(0, await(selection, 0));
        assertNotNull(selection.closure());
        assertEquals("a", ch.receive());
        assertThrows(ChannelClosedException.class, ch::receive, "x was not sent");
    }

    @Test
    void plainReceiveClause_closedAfterThePoll_isSkipped_soAllAreClosed() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        Selection selection = Selection.create();
        selection.addReceive(ch, false);
        beginAndPollNothing(selection);

        assertTrue(ch.close());

        assertEquals(Selection.ALL_CLOSED, await(selection, 0));
    }

    @Test
    void plainReceiveClause_failedAfterThePoll_completesWithTheFailure() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        Selection selection = Selection.create();
        selection.addReceive(ch, false);
        beginAndPollNothing(selection);
        IllegalStateException cause = new IllegalStateException("broken");

        assertTrue(ch.fail(cause));

        assertEquals(0, await(selection, 0));
        assertSame(cause, selection.closure().getCause());
    }

    /**
     * A select waits to receive in a rendezvous cell whose sender took the ticket and is on its
     * way. A close leaves the cell to that sender, which hands over when it arrives (as to a
     * plain receiver: InFlightSenderTest); a fail ends the select with the failure at once.
     */
    @Test
    void receiveRegistration_senderOnItsWay_closeLeavesItToTheSender_failEndsIt() throws Exception {
        for (boolean fail : new boolean[] {false, true}) {
            Channel<String> ch = Channel.rendezvous("rv");
            CellChannel<String> cells = (DefaultChannel<String>) ch;
            Segment segment = WhiteBox.receiveSegment(cells);
            Selection selection = Selection.create();
            selection.addReceive(ch, false);
            Async<Object> select = Async.startBlocked(() -> {
                selection.begin();
                int completed = selection.await(new int[] {0}, Selection.NO_DEADLINE);
                return completed != 0 ? completed
                        : selection.closure() != null ? selection.closure() : selection.received();
            });
            assertEquals(0L, WhiteBox.counters(cells).takeSendTicket(), "its sender, on its way");
            IllegalStateException cause = new IllegalStateException("broken");

            if (!fail) {
                assertTrue(ch.close());
                assertSame(Signal.SENT, WhiteBox.sendToCell(cells, segment, 0, "x", true), "the sender arrives");
                assertEquals("x", select.join());
            } else {
                assertTrue(ch.fail(cause));
                ChannelClosedException closure = assertInstanceOf(ChannelClosedException.class, select.join());
                assertSame(cause, closure.getCause());
                assertSame(Signal.RETRY, WhiteBox.sendToCell(cells, segment, 0, "x", true),
                        "the sender finds its cell dead (its next ticket finds the channel failed)");
                assertThrows(ChannelClosedException.class, () -> ch.send("y"));
            }
        }
    }
}
