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
 * begun, reads S as before. These cases put each kind of cell content at R and pin its outcome,
 * which is the same as before the change (it changed what a tryReceive reads, not what it
 * returns). Linearizability of tryReceive among the other operations is checked by the Lincheck
 * and model tests.
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
        assertTrue(segment.lvState(0) instanceof Waiter waiter && waiter.sender, "the sender waits in cell 0");

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
        Waiter timedOut = new Waiter(true, Signal.TIMED_OUT);
        segment.spElement(0, "stale");
        assertTrue(segment.casState(0, null, timedOut));

        assertNull(ch.tryReceive());

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

        ChannelClosedException thrown = assertThrows(ChannelClosedException.class, ch::tryReceive);
        assertSame(cause, thrown.getCause());
        assertEquals(0L, WhiteBox.counters(cells).receivers(), "no ticket taken: the status answered");
    }
}
