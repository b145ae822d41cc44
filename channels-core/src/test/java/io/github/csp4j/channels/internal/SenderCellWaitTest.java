package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.ChannelClosedException;
import io.github.csp4j.channels.ReceiveResult;
import io.github.csp4j.channels.spi.Selection;
import io.github.csp4j.channels.testing.Async;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A plain rendezvous sender waits in its cell (ADR 0014), as a receiver does (CellWaitTest): as
 * SENDER with its element in the slot while it spins or yields, then as a ParkedSender. Most
 * tests take a send ticket and place the state in its cell as the waiting thread does, act on the
 * channel, and read the cell through the waiting thread's CellSender; two run whole sends
 * (send_blockedThenClosed_... and send_timedOutWithNoReceiver_...). The test's thread is the
 * waiting sender, so an unpark it is owed lets its next park return at once (else the test times
 * out).
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SenderCellWaitTest {

    @Test
    void send_noReceiverYet_waitsInItsCellAsSenderWithItsElement() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = WhiteBox.senderOnItsWay(cells);

        Object placed = WhiteBox.arriveAtCell(cells, segment, 0, "x", true);

        assertInstanceOf(CellSender.class, placed);
        assertSame(CellState.SENDER, segment.lvState(0));
        assertEquals("x", segment.lpElement(0));
    }

    /**
     * ADR 0014's addendum: the sender reads no R, so it waits in its cell even where the receiver
     * of its ticket is on its way, and that receiver takes from SENDER when it arrives.
     */
    @Test
    void send_receiverOnItsWay_waitsInItsCellAndThatReceiverTakesTheElement() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = WhiteBox.senderOnItsWay(cells);
        assertEquals(0L, WhiteBox.counters(cells).takeReceiveTicket()); // the receiver's xadd

        Object placed = WhiteBox.arriveAtCell(cells, segment, 0, "x", true);
        CellSender sender = assertInstanceOf(CellSender.class, placed);
        assertSame(CellState.SENDER, segment.lvState(0), "not BUFFERED: the sender did not read R");

        assertEquals("x", WhiteBox.receiveFromCell(cells, segment, 0, false)); // the receiver
        assertSame(Signal.TAKEN, sender.poll(), "the wait ends when the receiver takes it");
        assertSame(CellState.DONE, segment.lvState(0));
    }

    /** The same with a whole send: it returns once the receiver on its way has taken it. */
    @Test
    void send_receiverOnItsWay_returnsOnceThatReceiverHasTakenTheElement() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = WhiteBox.receiveSegment(cells);
        assertEquals(0L, WhiteBox.counters(cells).takeReceiveTicket()); // the receiver's xadd

        Async<Void> send = Async.runBlocked(() -> ch.send("x")); // until the receiver arrives
        assertTrue(CellSender.isWaiting(segment.lvState(0)), "the sender waits in cell 0");

        assertEquals("x", WhiteBox.receiveFromCell(cells, segment, 0, false)); // the receiver
        send.join();
    }

    @Test
    void receive_senderWaitingAsSender_takesTheElementAndSettlesTheSender() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellSender sender = WhiteBox.senderWaitingInCell0(ch, "x");

        assertEquals("x", ch.receive());

        assertSame(Signal.TAKEN, sender.poll());
        Segment segment = segment(ch);
        assertSame(CellState.DONE, segment.lvState(0));
        assertNull(segment.lpElement(0), "the receiver cleared the slot");
    }

    @Test
    void receive_senderAnnouncedParking_takesTheElementAndUnparksIt() throws Exception {
        LockSupport.parkNanos(1); // takes a permit this thread may hold from before
        Channel<String> ch = Channel.rendezvous("rv");
        CellSender sender = WhiteBox.senderWaitingInCell0(ch, "x");
        sender.announceParking();
        CellSender.ParkedSender parked =
                assertInstanceOf(CellSender.ParkedSender.class, segment(ch).lvState(0));
        assertSame(Thread.currentThread(), parked.thread());

        assertEquals("x", ch.receive());

        assertSame(Signal.TAKEN, sender.poll());
        LockSupport.park(); // returns at once: the receiver unparked the sender's thread (this one)
    }

    @Test
    void tryReceive_senderWaitingAsSender_takesTheElement() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellSender sender = WhiteBox.senderWaitingInCell0(ch, "x");

        assertEquals("x", ch.tryReceive());
        assertSame(Signal.TAKEN, sender.poll());
    }

    @Test
    void selectReceive_senderWaitingAsSender_takesTheElement() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellSender sender = WhiteBox.senderWaitingInCell0(ch, "x");
        Selection selection = Selection.create();
        selection.addReceive(ch, false);

        selection.begin();
        selection.await(new int[] {0}, Selection.NO_DEADLINE);

        assertEquals("x", selection.received());
        assertSame(Signal.TAKEN, sender.poll());
    }

    @Test
    void close_senderWaitingAsSender_failsItAndKeepsNothingForReceivers() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellSender sender = WhiteBox.senderWaitingInCell0(ch, "x");

        assertTrue(ch.close());

        assertSame(Signal.CLOSED, sender.poll());
        sender.announceParking(); // the owner, about to park, finds the cell settled
        Segment segment = segment(ch);
        assertSame(CellState.SEND_CANCELLED, segment.lvState(0), "as if the sender had left");
        assertNull(segment.lpElement(0), "close cleared the slot");
        assertInstanceOf(ReceiveResult.Closed.class, ch.receiveOrClosed(),
                "the blocked send was not accepted");
    }

    /**
     * The receiver of a sender that close() failed may hold a ticket below closedAt with an
     * element still to come after it, here from a select's send clause on its way to the next
     * cell, which reads R and leaves its element for the receiver of its ticket: that receiver
     * takes a new ticket, as for a sender that left, rather than report the channel closed, and
     * gets the element. (A review found the first version of ADR 0014 settling the cell CLOSED,
     * which that receiver reported as the end.)
     */
    @Test
    void close_withALaterSendClauseOnItsWay_theClosedSendersReceiverRetriesAndGetsTheLaterElement()
            throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = closeWithTheFirstSenderWaitingAndTheSecondOnItsWay(ch);

        assertSame(Signal.SENT, WhiteBox.sendClauseToCell(cells, segment, 1, "b"),
                "the send clause arrives and leaves its element for the receiver of ticket 1");
        assertEquals("b", WhiteBox.receiveFromCell(cells, segment, 1, true));
    }

    /**
     * The same with a plain second sender, which since ADR 0014's addendum waits in its cell even
     * with its receiver on the way, and so is failed by the close too: the receiver's new ticket
     * meets a failed sender as well, and the next one is past closedAt.
     */
    @Test
    void close_withALaterPlainSenderOnItsWay_theClosedSendersReceiverRetriesAndThatSenderFailsToo()
            throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = closeWithTheFirstSenderWaitingAndTheSecondOnItsWay(ch);

        Object placed = WhiteBox.arriveAtCell(cells, segment, 1, "b", true);
        CellSender second = assertInstanceOf(CellSender.class, placed,
                "the second sender waits in its cell, though the receiver of 1 is on its way");
        assertSame(Signal.RETRY, WhiteBox.receiveFromCell(cells, segment, 1, true),
                "the receiver finds a sender of a closed channel: it fails it, takes a new ticket");
        assertSame(Signal.CLOSED, second.poll(), "the second send throws, owning its element");
        assertNull(segment.lpElement(1));
        assertInstanceOf(ReceiveResult.Closed.class, ch.receiveOrClosed(), "2 is past closedAt");
    }

    /**
     * A sender waits in cell 0, a second sender takes ticket 1, close() fails the first (closedAt
     * 2), and the receiver of ticket 0 finds its cell cancelled and takes ticket 1, the second
     * sender's; {@return the segment}
     */
    private static Segment closeWithTheFirstSenderWaitingAndTheSecondOnItsWay(Channel<String> ch)
            throws Exception {
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        CellSender first = WhiteBox.senderWaitingInCell0(ch, "a");
        Segment segment = segment(ch);
        assertEquals(1L, WhiteBox.counters(cells).takeSendTicket()); // the second sender's xadd
        assertTrue(ch.close()); // closedAt = 2: the second sender's ticket is below it

        assertSame(Signal.CLOSED, first.poll());
        assertEquals(0L, WhiteBox.counters(cells).takeReceiveTicket());
        assertSame(Signal.RETRY, WhiteBox.receiveFromCell(cells, segment, 0, true),
                "the first sender failed: a new ticket, not the end of the channel");
        assertEquals(1L, WhiteBox.counters(cells).takeReceiveTicket());
        return segment;
    }

    /** The whole blocked send: a close fails it, and the cell keeps no element. */
    @Test
    void send_blockedThenClosed_throwsAndLeavesTheCellCancelledAndEmpty() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        Async<Void> sender = Async.runBlocked(() -> ch.send("x"));
        Segment segment = segment(ch);

        assertTrue(ch.close());

        assertInstanceOf(ChannelClosedException.class, sender.joinFailure());
        assertSame(CellState.SEND_CANCELLED, segment.lvState(0));
        assertNull(segment.lpElement(0));
    }

    /** The whole timed send: it times out, and the cell keeps no element. */
    @Test
    void send_timedOutWithNoReceiver_returnsFalseAndLeavesTheCellCancelledAndEmpty()
            throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");

        assertFalse(ch.send("x", Duration.ofMillis(1)));

        Segment segment = segment(ch);
        assertSame(CellState.SEND_CANCELLED, segment.lvState(0));
        assertNull(segment.lpElement(0));
        assertNull(ch.tryReceive(), "nothing was sent");
    }

    @Test
    void fail_senderAnnouncedParking_failsItAndUnparksIt() throws Exception {
        LockSupport.parkNanos(1); // takes a permit this thread may hold from before
        Channel<String> ch = Channel.rendezvous("rv");
        CellSender sender = WhiteBox.senderWaitingInCell0(ch, "x");
        sender.announceParking();
        IllegalStateException cause = new IllegalStateException("boom");

        assertTrue(ch.fail(cause));

        assertSame(Signal.CLOSED, sender.poll());
        LockSupport.park(); // returns at once: fail() unparked the sender's thread (this one)
        ChannelClosedException failure = assertThrows(ChannelClosedException.class, ch::receive);
        assertSame(cause, failure.getCause());
    }

    @Test
    void tryCancel_senderWaitingAsSender_leavesTheCellAndNoReceiverTakesFromIt() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellSender sender = WhiteBox.senderWaitingInCell0(ch, "x");

        assertTrue(sender.tryCancel(Signal.TIMED_OUT));

        assertSame(CellState.SEND_CANCELLED, segment(ch).lvState(0));
        assertNull(ch.tryReceive(), "no sender waits any more");
    }

    @Test
    void tryCancel_senderAnnouncedParking_takesItsThreadOutOfTheCell() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellSender sender = WhiteBox.senderWaitingInCell0(ch, "x");
        sender.announceParking();

        assertTrue(sender.tryCancel(Signal.INTERRUPTED));

        assertSame(CellState.SEND_CANCELLED, segment(ch).lvState(0));
    }

    @Test
    void tryCancel_afterAReceiverTookTheElement_fails() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellSender sender = WhiteBox.senderWaitingInCell0(ch, "x");
        assertEquals("x", ch.receive());

        assertFalse(sender.tryCancel(Signal.TIMED_OUT), "the receiver's CAS decided the race");
        assertSame(Signal.TAKEN, sender.poll());
    }

    /**
     * A closer read SENDER, then the sender announced that it parks (ParkedSender) before the
     * closer's CAS: the close of the cell fails on the changed state, leaving the parked sender and
     * its element in place, so that the closer reads the cell again and unparks it (a close that
     * reported success here would leave the sender parked for good).
     */
    @Test
    void closeCell_senderParkedAfterTheCloserReadItsState_failsAndLeavesTheSenderToTheNextRead()
            throws Exception {
        LockSupport.parkNanos(1); // takes a permit this thread may hold from before
        Channel<String> ch = Channel.rendezvous("rv");
        CellSender sender = WhiteBox.senderWaitingInCell0(ch, "x");
        Segment segment = segment(ch);
        sender.announceParking();

        assertFalse(CellSender.close(segment, 0, CellState.SENDER));

        assertInstanceOf(CellSender.ParkedSender.class, segment.lvState(0));
        assertEquals("x", segment.lpElement(0), "the element is still the sender's, in its cell");
        assertTrue(ch.close()); // reads the cell again
        assertSame(Signal.CLOSED, sender.poll());
        assertSame(CellState.SEND_CANCELLED, segment.lvState(0));
        LockSupport.park(); // returns at once: the close unparked the sender's thread (this one)
    }

    private static Segment segment(Channel<String> ch) throws Exception {
        return WhiteBox.receiveSegment((DefaultChannel<String>) ch);
    }
}
