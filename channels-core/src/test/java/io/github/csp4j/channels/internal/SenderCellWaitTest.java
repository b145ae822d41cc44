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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A plain rendezvous sender waits in its cell (ADR 0014), as a receiver does (CellWaitTest): as
 * SENDER with its element in the slot while it spins or yields, then as a ParkedSender. Each test
 * takes a send ticket and places the state in its cell as the waiting thread does, acts on the
 * channel, and reads the cell through the waiting thread's CellSender. The test's thread is the
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

        Object placed = sendToCellWithoutWaiting(cells, segment, "x");

        assertInstanceOf(CellSender.class, placed);
        assertSame(CellState.SENDER, segment.lvState(0));
        assertEquals("x", segment.lpElement(0));
    }

    @Test
    void receive_senderWaitingAsSender_takesTheElementAndSettlesTheSender() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellSender sender = senderWaitingInCell0(ch, "x");

        assertEquals("x", ch.receive());

        assertSame(Signal.TAKEN, sender.poll());
        Segment segment = segment(ch);
        assertSame(CellState.DONE, segment.lvState(0));
        assertNull(segment.lpElement(0), "the receiver cleared the slot");
    }

    @Test
    void receive_senderAnnouncedParking_takesTheElementAndUnparksIt() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellSender sender = senderWaitingInCell0(ch, "x");
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
        CellSender sender = senderWaitingInCell0(ch, "x");

        assertEquals("x", ch.tryReceive());
        assertSame(Signal.TAKEN, sender.poll());
    }

    @Test
    void selectReceive_senderWaitingAsSender_takesTheElement() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellSender sender = senderWaitingInCell0(ch, "x");
        Selection selection = Selection.create();
        selection.addReceive(ch, false);

        selection.begin();
        selection.await(new int[] {0}, Selection.NO_DEADLINE);

        assertEquals("x", selection.received());
        assertSame(Signal.TAKEN, sender.poll());
    }

    @Test
    void close_senderWaitingAsSender_settlesItClosedAndKeepsNothingForReceivers() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellSender sender = senderWaitingInCell0(ch, "x");

        assertTrue(ch.close());

        assertSame(Signal.CLOSED, sender.poll());
        sender.announceParking(); // the owner, about to park, finds the cell settled
        assertSame(CellState.CLOSED, segment(ch).lvState(0));
        assertInstanceOf(ReceiveResult.Closed.class, ch.receiveOrClosed(),
                "the blocked send was not accepted");
    }

    @Test
    void fail_senderAnnouncedParking_settlesItClosedAndUnparksIt() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellSender sender = senderWaitingInCell0(ch, "x");
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
        CellSender sender = senderWaitingInCell0(ch, "x");

        assertTrue(sender.tryCancel(Signal.TIMED_OUT));

        assertSame(CellState.SEND_CANCELLED, segment(ch).lvState(0));
        assertNull(ch.tryReceive(), "no sender waits any more");
    }

    @Test
    void tryCancel_senderAnnouncedParking_takesItsThreadOutOfTheCell() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellSender sender = senderWaitingInCell0(ch, "x");
        sender.announceParking();

        assertTrue(sender.tryCancel(Signal.INTERRUPTED));

        assertSame(CellState.SEND_CANCELLED, segment(ch).lvState(0));
    }

    @Test
    void tryCancel_afterAReceiverTookTheElement_fails() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellSender sender = senderWaitingInCell0(ch, "x");
        assertEquals("x", ch.receive());

        assertFalse(sender.tryCancel(Signal.TIMED_OUT), "the receiver's CAS decided the race");
        assertSame(Signal.TAKEN, sender.poll());
    }

    /** The sender of ticket 0 reaches its empty cell, as sendWithTickets does; it does not wait. */
    private static Object sendToCellWithoutWaiting(CellChannel<String> cells, Segment segment,
            String element) throws Exception {
        var sendToCell = CellChannel.class.getDeclaredMethod("sendToCell", Segment.class, int.class,
                long.class, Object.class, boolean.class, SelectRound.Registration.class);
        sendToCell.setAccessible(true);
        return sendToCell.invoke(cells, segment, 0, 0L, element, true, null);
    }

    /** A sender took ticket 0 and waits in its cell with {@code element}, not parked: SENDER. */
    private static CellSender senderWaitingInCell0(Channel<String> ch, String element)
            throws Exception {
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = WhiteBox.senderOnItsWay(cells);
        Object placed = sendToCellWithoutWaiting(cells, segment, element);
        return assertInstanceOf(CellSender.class, placed);
    }

    private static Segment segment(Channel<String> ch) throws Exception {
        return WhiteBox.receiveSegment((DefaultChannel<String>) ch);
    }
}
