package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.Channel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A plain receiver waits in its cell (ADR 0010): as RECEIVER while it spins or yields, then as its
 * thread. The first state lasts too briefly for a black-box test to act on the channel inside it,
 * and black-box tests see only what a receive returns, so each test here takes a ticket and places
 * the state in its cell as the waiting thread does, acts on the channel, and reads the cell
 * through the waiting thread's CellReceiver.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CellWaitTest {

    @Test
    void send_receiverWaitingAsReceiver_leavesTheElementInTheCellForIt() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellReceiver receiver = WhiteBox.receiverWaitingInCell0(ch);
        ch.send("x"); // returns at once: a receiver holds the cell
        assertEquals("x", receiver.poll());
    }

    @Test
    void send_receiverAnnouncedParking_findsItsThreadInTheCellAndHandsOver() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellReceiver receiver = WhiteBox.receiverWaitingInCell0(ch);
        receiver.announceParking();
        assertSame(Thread.currentThread(), WhiteBox.receiveSegment((DefaultChannel<String>) ch).lvState(0));
        ch.send("x");
        assertEquals("x", receiver.poll());
    }

    @Test
    void close_receiverWaitingAsReceiver_settlesItClosed() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellReceiver receiver = WhiteBox.receiverWaitingInCell0(ch);
        assertTrue(ch.close());
        assertEquals(Signal.CLOSED, receiver.poll());
        receiver.announceParking(); // the owner, about to park, finds the cell settled
        assertEquals(CellState.CLOSED, WhiteBox.receiveSegment((DefaultChannel<String>) ch).lvState(0));
        assertEquals(Signal.CLOSED, receiver.poll());
    }

    @Test
    void tryCancel_receiverWaitingAsReceiver_leavesTheCellAndNoSenderHandsToIt() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellReceiver receiver = WhiteBox.receiverWaitingInCell0(ch);
        assertTrue(receiver.tryCancel(Signal.TIMED_OUT));
        assertEquals(CellState.RECEIVE_CANCELLED, WhiteBox.receiveSegment((DefaultChannel<String>) ch).lvState(0));
        assertFalse(ch.trySend("x"), "no receiver waits any more");
    }

    @Test
    void tryCancel_receiverAnnouncedParking_takesItsThreadOutOfTheCell() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellReceiver receiver = WhiteBox.receiverWaitingInCell0(ch);
        receiver.announceParking();
        assertTrue(receiver.tryCancel(Signal.INTERRUPTED));
        assertEquals(CellState.RECEIVE_CANCELLED, WhiteBox.receiveSegment((DefaultChannel<String>) ch).lvState(0));
    }

    /**
     * A sender read RECEIVER, then the receiver timed out before the sender's CAS: the hand-over
     * fails on the changed state, leaves the cell cancelled and its slot empty, and the element
     * stays with the sender (it takes another ticket), so it is not lost in a dead cell.
     */
    @Test
    void handOver_receiverLeftAfterTheSenderReadItsState_failsAndKeepsNothingInTheCell() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellReceiver receiver = WhiteBox.receiverWaitingInCell0(ch);
        Segment segment = WhiteBox.receiveSegment((DefaultChannel<String>) ch);
        assertTrue(receiver.tryCancel(Signal.TIMED_OUT));

        assertFalse(CellReceiver.handOver(segment, 0, CellState.RECEIVER, "x"));

        assertEquals(CellState.RECEIVE_CANCELLED, segment.lvState(0));
        assertNull(segment.lpElement(0), "the element went back with the sender");
    }

    /** As above, with the channel closed under the receiver instead. */
    @Test
    void handOver_receiverClosedAfterTheSenderReadItsState_failsAndKeepsNothingInTheCell() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        WhiteBox.receiverWaitingInCell0(ch);
        Segment segment = WhiteBox.receiveSegment((DefaultChannel<String>) ch);
        assertTrue(ch.close());

        assertFalse(CellReceiver.handOver(segment, 0, CellState.RECEIVER, "x"));

        assertEquals(CellState.CLOSED, segment.lvState(0));
        assertNull(segment.lpElement(0), "the element went back with the sender");
    }
}
