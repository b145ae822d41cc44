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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A cell's element slot must not keep an element that the cell's state does not hold, or the
 * segment would keep the element reachable. A send that never waits writes its element into the
 * slot before it reads the cell (CellChannel, "First CAS"), so where that CAS fails it must clear
 * the slot again: on a dead cell, and for a select's receive clause, which gets its element through
 * its registration. A rendezvous send that may wait writes it just before the CAS that places it,
 * and clears it if that fails. Most tests set the cell as the other party would and let the sender
 * of ticket 0 arrive through WhiteBox.sendToCell (with {@code mayWait} false, a send that never
 * waits, but for one rendezvous test); the last runs a select and a rendezvous trySend.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SendSlotTest {

    @ParameterizedTest
    @ValueSource(strings = {"POISONED", "RECEIVE_CANCELLED", "CLOSED"})
    void sendThatNeverWaits_cellDead_returnsRetryAndLeavesTheSlotEmpty(String dead)
            throws Exception {
        CellState state = CellState.valueOf(dead);
        assertSendToDeadCellLeavesTheSlotEmpty(Channel.buffered("buf", 4), state, false);
    }

    @Test
    void rendezvousSend_cellPoisoned_returnsRetryAndLeavesTheSlotEmpty() throws Exception {
        assertSendToDeadCellLeavesTheSlotEmpty(Channel.rendezvous("rv"), CellState.POISONED, true);
    }

    @Test
    void sendThatNeverWaits_cellEmpty_buffersTheElementThere() throws Exception {
        CellChannel<String> cells = (DefaultChannel<String>) Channel.<String>unbounded("unb");
        Segment segment = WhiteBox.senderOnItsWay(cells);

        assertSame(Signal.SENT, WhiteBox.sendToCell(cells, segment, 0, "x", false));
        assertSame(CellState.BUFFERED, segment.lvState(0));
        assertEquals("x", segment.lpElement(0));
    }

    @Test
    void sendThatNeverWaits_receiverWaiting_handsOverInTheSlot() throws Exception {
        CellChannel<String> cells = (DefaultChannel<String>) Channel.<String>buffered("buf", 4);
        Segment segment = WhiteBox.senderOnItsWay(cells);
        assertTrue(segment.casState(0, null, CellState.RECEIVER), "a receiver spins in the cell");

        assertSame(Signal.SENT, WhiteBox.sendToCell(cells, segment, 0, "x", false));
        assertSame(CellState.DONE, segment.lvState(0));
        assertEquals("x", segment.lpElement(0), "the receiver takes it from the slot");
    }

    @Test
    void rendezvousTrySend_selectWaitingToReceive_handsOverThroughTheSelectAndLeavesTheSlotEmpty()
            throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        Segment segment = WhiteBox.receiveSegment((DefaultChannel<String>) ch);
        Selection selection = Selection.create();
        selection.addReceive(ch, false);
        Async<Object> select = Async.startBlocked(() -> {
            selection.begin();
            selection.await(new int[] {0}, Selection.NO_DEADLINE);
            return selection.received();
        });

        assertTrue(ch.trySend("x"), "the select's clause holds a receive ticket");

        assertEquals("x", select.join());
        assertSame(CellState.DONE, segment.lvState(0));
        assertNull(segment.lpElement(0), "the element went through the registration, not the slot");
    }

    /** Another party ends cell 0 as {@code dead}; then the sender of ticket 0 arrives there. */
    private static void assertSendToDeadCellLeavesTheSlotEmpty(Channel<String> ch, CellState dead,
            boolean mayWait) throws Exception {
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = WhiteBox.senderOnItsWay(cells);
        assertTrue(segment.casState(0, null, dead), "another party ended it");

        assertSame(Signal.RETRY, WhiteBox.sendToCell(cells, segment, 0, "x", mayWait));
        assertNull(segment.lpElement(0), "the dead cell keeps no element");
    }
}
