package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.testing.Async;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A receiver whose sender holds the cell's ticket but has not reached the cell spins a little for
 * it (CellChannel.awaitArrival), then poisons the cell and takes the next ticket. A sender that
 * never arrives is simulated by taking a send ticket through the counters and doing nothing more,
 * so the spin always runs out here; whether it catches a sender that does arrive depends on
 * timing and is exercised by the concurrent exactly-once tests.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class InFlightSenderTest {

    @Test
    void receive_senderHoldsTheTicketButNeverArrives_poisonsTheCellAndWaitsInTheNext() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = WhiteBox.receiveSegment(cells);
        assertEquals(0L, WhiteBox.counters(cells).takeSendTicket(), "the stuck sender's ticket");

        Async<String> receiver = Async.startBlocked(ch::receive); // parked, so its thread is in its cell

        assertSame(CellState.POISONED, segment.lvState(0));
        assertSame(receiver.thread(), segment.lvState(1));
        ch.send("x"); // ticket 1: the waiting receiver's cell
        assertEquals("x", receiver.join());
    }

    @Test
    void tryReceive_senderHoldsTheTicketButNeverArrives_poisonsTheCellAndReportsNothing() throws Exception {
        Channel<String> ch = Channel.buffered("buf", 4);
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = WhiteBox.receiveSegment(cells);
        assertEquals(0L, WhiteBox.counters(cells).takeSendTicket(), "the stuck sender's ticket");

        assertNull(ch.tryReceive(), "no element is there");
        assertSame(CellState.POISONED, segment.lvState(0));
    }
}
