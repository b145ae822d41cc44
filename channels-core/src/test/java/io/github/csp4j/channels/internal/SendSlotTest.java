package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.spi.Selection;
import io.github.csp4j.channels.testing.Async;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A cell's element slot holds an element only while the cell's state publishes it, or the
 * segment would keep the element reachable. A send that never waits writes its element into the
 * slot before it reads the cell (CellChannel, "First CAS"), so where that CAS fails on a dead cell
 * it must clear the slot again; a rendezvous send writes it only with the CAS that places it; and
 * a select's receive clause gets its element through its registration, not the slot. Each test
 * sets the cell as the other party would, lets the sender of ticket 0 arrive, and reads the slot.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SendSlotTest {

    @Test
    void rendezvousSend_cellPoisoned_takesANewTicketAndLeavesTheSlotEmpty() throws Exception {
        CellChannel<String> cells = (DefaultChannel<String>) Channel.<String>rendezvous("rv");
        Segment segment = InFlightSenderTest.senderOnItsWay(cells);
        assertTrue(segment.casState(0, null, CellState.POISONED), "a receiver gave up on the sender");

        assertSame(Signal.RETRY, WhiteBox.sendToCell(cells, segment, 0, "x", true));
        assertNull(segment.lpElement(0), "the dead cell keeps no element");
    }

    @Test
    void bufferedSend_cellCancelledByItsReceiver_takesANewTicketAndLeavesTheSlotEmpty() throws Exception {
        CellChannel<String> cells = (DefaultChannel<String>) Channel.<String>buffered("buf", 4);
        Segment segment = InFlightSenderTest.senderOnItsWay(cells);
        assertTrue(segment.casState(0, null, CellState.RECEIVE_CANCELLED), "a receiver timed out there");

        assertSame(Signal.RETRY, WhiteBox.sendToCell(cells, segment, 0, "x", false));
        assertNull(segment.lpElement(0), "the dead cell keeps no element");
    }

    @Test
    void rendezvousSend_receiverLeftBeforeTheHandoff_takesANewTicketAndLeavesTheSlotEmpty() throws Exception {
        CellChannel<String> cells = (DefaultChannel<String>) Channel.<String>rendezvous("rv");
        Segment segment = InFlightSenderTest.senderOnItsWay(cells);
        assertTrue(segment.casState(0, null, CellState.RECEIVER), "a receiver waits in the cell");
        assertTrue(segment.casState(0, CellState.RECEIVER, CellState.RECEIVE_CANCELLED), "and times out");

        assertSame(Signal.RETRY, WhiteBox.sendToCell(cells, segment, 0, "x", true));
        assertNull(segment.lpElement(0), "the dead cell keeps no element");
    }

    @Test
    void rendezvousSend_receiverWaiting_leavesTheElementInTheSlotForIt() throws Exception {
        CellChannel<String> cells = (DefaultChannel<String>) Channel.<String>rendezvous("rv");
        Segment segment = InFlightSenderTest.senderOnItsWay(cells);
        assertTrue(segment.casState(0, null, CellState.RECEIVER), "a receiver spins in the cell");

        assertSame(Signal.SENT, WhiteBox.sendToCell(cells, segment, 0, "x", true));
        assertSame(CellState.DONE, segment.lvState(0));
        assertEquals("x", segment.lpElement(0), "the receiver takes it from the slot");
    }

    @Test
    void rendezvousSend_selectWaitingToReceive_handsOverThroughTheSelectAndLeavesTheSlotEmpty() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = WhiteBox.receiveSegment(cells);
        Selection selection = Selection.create();
        selection.addReceive(ch, false);
        Async<Object> select = Async.startBlocked(() -> {
            selection.begin();
            selection.await(new int[] {0}, Selection.NO_DEADLINE);
            return selection.received();
        });

        ch.send("x");

        assertEquals("x", select.join());
        assertSame(CellState.DONE, segment.lvState(0));
        assertNull(segment.lpElement(0), "the element went through the registration, not the slot");
    }
}
