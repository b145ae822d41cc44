package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.ChannelClosedException;
import io.github.csp4j.channels.testing.Async;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A tryReceive that finds a sender's element in the cell of the current R takes that ticket
 * without reading S (CellChannel.tryReceiveNow); one that finds anything else there, or a close
 * begun, reads S as before. These cases put each kind of sender's content at R (a buffered
 * element, a waiting rendezvous sender, an owed sender, a sender that timed out but has not left)
 * and pin its outcome, which is the same as before the change (it changed what a tryReceive
 * reads, not what it returns); the case of a fail caught between its status and its walk of the
 * cells fails without the check for a close begun. A select's send clause at R is completed by a
 * tryReceive in channels-select's tests. Linearizability of tryReceive among the other operations
 * is checked by the Lincheck and model tests.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TryReceiveAtTheCellTest {

    @Test
    void tryReceive_bufferedElementAtR_takesItAndMovesROn() throws Exception {
        Channel<String> ch = Channel.buffered("buf", 4);
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        ch.send("a");
        ch.send("b");
        Segment segment = WhiteBox.receiveSegment(cells);
        assertSame(CellState.BUFFERED, segment.lvState(0));

        assertEquals("a", ch.tryReceive());

        assertEquals(1L, WhiteBox.counters(cells).receivers(), "one ticket taken");
        assertSame(CellState.DONE, segment.lvState(0));
        assertNull(segment.lpElement(0), "the cell lets go of the element");
        assertEquals("b", ch.tryReceive());
        assertNull(ch.tryReceive());
        assertTrue(ch.trySend("c"), "both permits are back");
        assertTrue(ch.trySend("d"));
    }

    @Test
    void tryReceive_rendezvousSenderWaitsAtR_takesItsElementAndItsSendReturns() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Async<Void> sender = Async.runBlocked(() -> ch.send("x"));
        Segment segment = WhiteBox.receiveSegment(cells);
        assertTrue(CellSender.isWaiting(segment.lvState(0)), "the sender waits in cell 0");

        assertEquals("x", ch.tryReceive());

        sender.join();
        assertNull(ch.tryReceive());
    }

    /**
     * A sender whose wait has ended (timed out) but which has not yet left its cell: the Waiter
     * is still there with its element. The tryReceive takes the ticket, finds the sender gone,
     * and reports nothing, without the element.
     */
    @Test
    void tryReceive_senderAtRTimedOutButStillInItsCell_reportsNothingAndTakesNothing() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = WhiteBox.receiveSegment(cells);
        assertEquals(0L, WhiteBox.counters(cells).takeSendTicket());
        PublishedWaiter timedOut = new PublishedWaiter(true, Signal.TIMED_OUT);
        segment.spElement(0, "stale");
        assertTrue(segment.casState(0, null, timedOut));

        assertNull(ch.tryReceive());

        assertEquals(1L, WhiteBox.counters(cells).receivers(), "the ticket was taken, and the cell found dead");
        assertSame(timedOut, segment.lvState(0), "the cell is the sender's to leave");
        assertEquals("stale", segment.lpElement(0), "the element stays with its sender");
        assertEquals(Signal.TIMED_OUT, timedOut.result());
        segment.spElement(0, null); // the sender leaves, as leaveCell does
        segment.svState(0, CellState.SEND_CANCELLED);
        segment.onCellCancelled();
        Async<String> receiver = Async.startBlocked(ch::receive);
        assertTrue(ch.trySend("y"), "the next receiver waits in the next cell");
        assertEquals("y", receiver.join());
    }

    /**
     * An owed sender of a buffered channel, waiting in its cell for a permit with its element
     * there: a receiver takes the element directly, and the sender's send returns. The one
     * permit is taken first through the counters, so that no release grants the sender one.
     */
    @Test
    void tryReceive_owedSenderWaitsAtR_takesItsElementAndItsSendReturns() throws Exception {
        Channel<String> ch = Channel.buffered("buf", 1);
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Counters c = WhiteBox.counters(cells);
        assertEquals(1L, c.addPermits(-1L), "the one permit, taken as by a sender that never came");
        Async<Void> owed = Async.runBlocked(() -> ch.send("x"));
        Segment segment = WhiteBox.receiveSegment(cells);
        assertTrue(segment.lvState(0) instanceof PermitWaiter, "the owed sender waits in cell 0");

        assertEquals("x", ch.tryReceive());

        owed.join();
        assertEquals(1L, c.receivers());
        assertNull(ch.tryReceive());
    }

    /**
     * A fail between its status (set) and its walk of the cells (not yet): the cell of R still
     * holds a buffered element, and a tryReceive must report the failure, as it does once the
     * walk has discarded the element. Because a close has begun, it reads the status.
     */
    @Test
    void tryReceive_failHasSetItsStatusButNotWalkedTheCells_reportsTheFailureNotTheElement() throws Exception {
        Channel<String> ch = Channel.buffered("buf", 4);
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        ch.send("a");
        IllegalStateException cause = new IllegalStateException("upstream failed");
        Segment segment = WhiteBox.receiveSegment(cells);
        long claimed = WhiteBox.startClose(cells, cause);
        assertSame(CellState.BUFFERED, segment.lvState(0), "the walk has not come yet");

        assertReportsTheFailureWithoutATicket(ch, cells, cause);

        WhiteBox.finishClose(cells, claimed, true);
        assertThrows(ChannelClosedException.class, ch::tryReceive);
    }

    /** A close has begun here, so this one takes the path through S; it pins the outcome. */
    @Test
    void tryReceive_bufferedElementAtRAfterClose_stillTakesItThenReportsTheClose() throws Exception {
        Channel<String> ch = Channel.buffered("buf", 4);
        ch.send("a");
        assertTrue(ch.close());

        assertEquals("a", ch.tryReceive(), "a close keeps what was sent before it");
        assertThrows(ChannelClosedException.class, ch::tryReceive);
    }

    @Test
    void tryReceive_bufferedElementAtRAfterFail_reportsTheFailureAndNotTheElement() throws Exception {
        Channel<String> ch = Channel.buffered("buf", 4);
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        ch.send("a");
        IllegalStateException cause = new IllegalStateException("upstream failed");
        assertTrue(ch.fail(cause));

        assertReportsTheFailureWithoutATicket(ch, cells, cause);
    }

    /** A tryReceive throws the failure with {@code cause}, and the status answered: no ticket taken. */
    private static void assertReportsTheFailureWithoutATicket(Channel<String> ch, CellChannel<String> cells,
            Throwable cause) throws Exception {
        ChannelClosedException thrown = assertThrows(ChannelClosedException.class, ch::tryReceive);
        assertSame(cause, thrown.getCause());
        assertEquals(0L, WhiteBox.counters(cells).receivers(), "no ticket taken: the status answered");
    }
}
