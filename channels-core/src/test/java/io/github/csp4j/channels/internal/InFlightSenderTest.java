package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.ChannelClosedException;
import io.github.csp4j.channels.testing.Async;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A receiver whose sender holds the cell's ticket but has not reached the cell. On an open
 * rendezvous channel a plain receiver waits in that cell, as for a sender that comes later (it
 * does not read S to tell the two apart), and the sender hands over when it arrives. Elsewhere
 * (buffered channels, tryReceive) the receiver spins a little for the sender
 * (CellChannel.awaitArrival), then poisons the cell and takes the next ticket. A sender on its
 * way is simulated by taking a send ticket through the counters; it arrives, if at all, through
 * WhiteBox.sendToCell. Whether the spin catches a sender that does arrive depends on timing and
 * is exercised by the concurrent exactly-once tests.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class InFlightSenderTest {

    @Test
    void receive_rendezvousSenderHoldsTheTicket_waitsInThatCellAndTheSenderHandsOver() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = WhiteBox.senderOnItsWay(cells);

        Async<String> receiver = Async.startBlocked(ch::receive); // parked, so its thread is in its cell

        assertSame(receiver.thread(), segment.lvState(0), "the receiver waits in the sender's cell");
        assertEquals(Signal.SENT, WhiteBox.sendToCell(cells, segment, 0, "x", true), "the sender arrives");
        assertEquals("x", receiver.join());
    }

    @Test
    void close_whileARendezvousReceiverWaitsForItsSenderOnItsWay_theSenderStillHandsOver() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = WhiteBox.senderOnItsWay(cells);
        Async<String> receiver = Async.startBlocked(ch::receive);

        assertTrue(ch.close());

        assertSame(receiver.thread(), segment.lvState(0), "below closedAt: the close leaves the receiver to its sender");
        assertEquals(Signal.SENT, WhiteBox.sendToCell(cells, segment, 0, "x", true), "the sender arrives");
        assertEquals("x", receiver.join());
        assertTrue(ch.isClosedForReceive(), "closed, and nothing more to take");
    }

    @Test
    void fail_whileARendezvousReceiverWaitsForItsSenderOnItsWay_theReceiverFailsAndTheSendersCellIsDead()
            throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = WhiteBox.senderOnItsWay(cells);
        Async<String> receiver = Async.startBlocked(ch::receive);

        FailInFlightReceiverTest.failWakesTheReceiverAndKillsTheSendersCell(ch, cells, segment, receiver);
    }

    /**
     * A receiver takes its ticket, then a close runs to its end before the receiver reaches its
     * cell: the close read R after that ticket and closed the cell, so the receiver, which no
     * longer checks S there, finds CLOSED.
     */
    @Test
    void receive_closedBetweenItsTicketAndItsCell_findsTheCellClosed() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = WhiteBox.receiveSegment(cells);
        assertEquals(0L, WhiteBox.counters(cells).takeReceiveTicket(), "the receiver's get-and-add");

        assertTrue(ch.close());
        assertSame(CellState.CLOSED, segment.lvState(0), "the close walked the receiver's cell");

        assertSame(Signal.CLOSED, WhiteBox.receiveFromCell(cells, segment, 0, true),
                "the receiver arrives, as a blocking receive");
    }

    @Test
    void receive_bufferedSenderHoldsTheTicketButNeverArrives_poisonsTheCellAndWaitsInTheNext() throws Exception {
        Channel<String> ch = Channel.buffered("buf", 4);
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = WhiteBox.senderOnItsWay(cells);

        Async<String> receiver = Async.startBlocked(ch::receive);

        assertSame(CellState.POISONED, segment.lvState(0));
        assertSame(receiver.thread(), segment.lvState(1));
        ch.send("x"); // ticket 1: the waiting receiver's cell
        assertEquals("x", receiver.join());
    }

    /**
     * After a close, isClosedForReceive reads R at a cell whose sender is on its way; a receiver
     * takes that ticket; then the probe finds the cell empty and poisons it, under the receiver,
     * which has not reached it yet. The receiver finds POISONED in a cell it did not poison, takes
     * a new ticket and reports the close; the sender finds its cell dead (its send overlaps the
     * close and fails). Before receiveFromCell took POISONED as a dead cell, the receiver threw
     * IllegalStateException (found by review, 2026-12-05).
     */
    @Test
    void isClosedForReceive_poisonsTheCellOfAReceiverThatTookItsTicketAfterTheProbeReadR_theReceiverRetries()
            throws Exception {
        probePoisonsUnderAReceiver(Channel.rendezvous("rv"), true);
        probePoisonsUnderAReceiver(Channel.buffered("buf", 4), false);
        probePoisonsUnderAReceiver(Channel.unbounded("unb"), false);
    }

    private static void probePoisonsUnderAReceiver(Channel<String> ch, boolean plainRendezvousSender)
            throws Exception {
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = WhiteBox.senderOnItsWay(cells);
        assertTrue(ch.close());
        // The probe has read R = 0 (below closedAt = 1); the receiver takes ticket 0 before its
        // CAS.
        assertEquals(0L, WhiteBox.counters(cells).takeReceiveTicket(), ch + ": the receiver's get-and-add");

        assertFalse(WhiteBox.closedForReceiveStep(segment, 0), ch + ": the probe finds the cell empty");
        assertSame(CellState.POISONED, segment.lvState(0), ch + ": and poisons it");

        assertSame(Signal.RETRY, WhiteBox.receiveFromCell(cells, segment, 0, true),
                ch + ": the receiver arrives and takes a new ticket");
        assertSame(Signal.RETRY, WhiteBox.arriveAtCell(cells, segment, 0, "x", plainRendezvousSender),
                ch + ": the sender arrives and finds its cell dead");
        assertThrows(ChannelClosedException.class, ch::receive, ch + ": the next receive reports the close");
        assertTrue(ch.isClosedForReceive(), ch + ": closed, and nothing more to take");
    }

    /**
     * After a close, a sender is on its way to a cell below the end: the channel's toString says
     * "closing" and leaves the cell to the sender, which buffers its element for the next receive.
     * When toString asked isClosedForReceive, it poisoned that cell, so that reading the channel
     * (a debugger shows its toString) failed the send.
     */
    @Test
    void toString_afterACloseWhileABufferedSenderIsOnItsWay_saysClosingAndTheSenderStillDelivers()
            throws Exception {
        for (Channel<String> ch : List.of(Channel.<String>buffered("buf", 4), Channel.<String>unbounded("unb"))) {
            CellChannel<String> cells = (DefaultChannel<String>) ch;
            Segment segment = WhiteBox.senderOnItsWay(cells);
            assertTrue(ch.close());

            assertTrue(ch.toString().startsWith("Channel[" + ch.name() + ", " + cells.kind() + ", closing, "),
                    ch.toString());
            assertNull(segment.lvState(0), ch + ": the cell is left to its sender");
            assertSame(Signal.SENT, WhiteBox.arriveAtCell(cells, segment, 0, "x", false), ch + ": the sender arrives");
            assertTrue(ch.toString().contains(", closing, "), ch + ": its element is buffered");
            assertEquals("x", ch.receive(), ch.toString());
            assertTrue(ch.toString().contains(", closed, "), ch + ": drained");
            assertTrue(ch.isClosedForReceive(), ch.toString());
        }
    }

    @Test
    void tryReceive_senderHoldsTheTicketButNeverArrives_poisonsTheCellAndReportsNothing() throws Exception {
        Channel<String> ch = Channel.buffered("buf", 4);
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = WhiteBox.senderOnItsWay(cells);

        assertNull(ch.tryReceive(), "no element is there");
        assertSame(CellState.POISONED, segment.lvState(0));
    }
}
