package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.ChannelClosedException;
import io.github.csp4j.channels.ReceiveResult;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * fail() while a sender that never waits in its cell (unbounded, or admitted by a permit) has
 * taken its ticket but not reached its cell, and no receiver holds that ticket: fail() closes
 * the empty cell under the sender, which then takes a new ticket and throws. Before, the sender
 * buffered its element there after the walk; no receiver came for it (after a fail receivers
 * take no ticket) and nothing discarded it, so the segment kept it reachable as long as the
 * channel. Where a receiver holds the ticket, or after close(), the element is still delivered.
 * The in-flight parties are simulated, white-box, as in FailInFlightReceiverTest.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FailInFlightSenderTest {

    @Test
    void fail_whileAnUnboundedSenderIsOnItsWay_closesItsCellSoItKeepsItsElement() throws Exception {
        assertFailClosesTheCellUnderTheSender(Channel.unbounded("unb"));
    }

    @Test
    void fail_whileAnAdmittedBufferedSenderIsOnItsWay_closesItsCellSoItKeepsItsElement()
            throws Exception {
        assertFailClosesTheCellUnderTheSender(Channel.buffered("buf", 4));
    }

    /** The contrast: close() leaves the cell to the sender, and a receiver gets the element. */
    @Test
    void close_whileAnUnboundedSenderIsOnItsWay_theElementIsStillDelivered() throws Exception {
        Channel<String> ch = Channel.unbounded("unb");
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = WhiteBox.senderOnItsWay(cells);
        assertTrue(ch.close());

        assertSame(Signal.SENT, WhiteBox.sendToCell(cells, segment, 0, "x", false));
        assertEquals("x", ch.receive());
        assertInstanceOf(ReceiveResult.Closed.class, ch.receiveOrClosed());
    }

    /** The other contrast: a receiver took the ticket before the fail, so it gets the element. */
    @Test
    void fail_whileBothPartiesOfATicketAreOnTheirWay_theReceiverStillGetsTheElement()
            throws Exception {
        Channel<String> ch = Channel.unbounded("unb");
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = WhiteBox.senderOnItsWay(cells);
        assertEquals(0L, WhiteBox.counters(cells).takeReceiveTicket()); // the receiver's xadd
        assertTrue(ch.fail(new IllegalStateException("boom")));

        assertSame(Signal.SENT, WhiteBox.sendToCell(cells, segment, 0, "x", false));
        assertEquals("x", WhiteBox.receiveFromCell(cells, segment, 0, false));
    }

    /**
     * A receiver that saw the channel open takes the ticket after fail() read R and before it
     * walked the cells (see FailInFlightReceiverTest's rendezvous case): the walk closes the cell
     * under both, so the receiver reports the failure and the sender's send fails.
     */
    @Test
    void fail_whoseReadOfRPrecedesTheReceiversTicket_closesTheCellUnderBoth() throws Exception {
        Channel<String> ch = Channel.unbounded("unb");
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = WhiteBox.senderOnItsWay(cells);
        long claimed = WhiteBox.startClose(cells, new IllegalStateException("boom"));
        assertEquals(0L, claimed);
        assertEquals(0L, WhiteBox.counters(cells).takeReceiveTicket()); // the receiver's xadd
        WhiteBox.finishClose(cells, claimed, true);

        assertSame(CellState.CLOSED, segment.lvState(0), "the walk closed it before either came");
        assertSame(Signal.CLOSED, WhiteBox.receiveFromCell(cells, segment, 0, false));
        assertSame(Signal.RETRY, WhiteBox.sendToCell(cells, segment, 0, "x", false));
        assertNull(segment.lpElement(0));
    }

    /**
     * fail() on {@code ch} while the sender of ticket 0 is on its way: it finds its cell CLOSED,
     * leaves no element there, and its next ticket throws with the cause.
     */
    private static void assertFailClosesTheCellUnderTheSender(Channel<String> ch) throws Exception {
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = WhiteBox.senderOnItsWay(cells);
        IllegalStateException cause = new IllegalStateException("boom");
        assertTrue(ch.fail(cause));

        assertSame(CellState.CLOSED, segment.lvState(0), "fail() closed the cell nobody receives");
        assertSame(Signal.RETRY, WhiteBox.sendToCell(cells, segment, 0, "x", false),
                "the sender arrives and takes a new ticket");
        assertNull(segment.lpElement(0), "the cell keeps no element");
        ChannelClosedException failure =
                assertThrows(ChannelClosedException.class, () -> ch.send("x"));
        assertSame(cause, failure.getCause(), "the new ticket sees the failure");
    }

    /**
     * A discarding fail's walk meets an owed sender's Waiter granted a permit (its element counts
     * as buffered); just as the walk fails to settle it, the owner turns the cell into BUFFERED
     * (awaitAdmission), so the walk's CAS from the Waiter to DISCARDED fails. The walk reads the
     * cell again and discards the element; before the fix it returned and left the element
     * buffered, reachable for as long as the channel (found by review, 2026-12-05). The owner's
     * step
     * is taken inside the Waiter's tryResume, which the walk calls right before its CAS.
     */
    @Test
    void fail_walkMeetsAGrantedOwedSenderThatBuffersItsElementMeanwhile_discardsTheElement() throws Exception {
        Channel<String> ch = Channel.buffered("buf", 4);
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment first = WhiteBox.sendSegment(cells);
        PermitWaiter owed = new PermitWaiter(true) {
            @Override
            boolean tryResume(Object value) {
                first.casState(0, this, CellState.BUFFERED); // the owner, admitted, buffers its element
                return super.tryResume(value);
            }
        };
        assertTrue(owed.casResult(null, Signal.GRANTED), "a release granted the owed sender a permit");
        first.spElement(0, "x");
        assertTrue(first.casState(0, null, owed), "the owed sender waits in its cell with its element");

        WhiteBox.closeCell(first, 0, false, true, true); // a fail that discards, cell at or past its R

        assertSame(CellState.DISCARDED, first.lvState(0), "the element is discarded, not left buffered");
        assertNull(first.lpElement(0));
    }
}
