package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.Channel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How a plain party's wait that threw an Error ends ({@code CellChannel.settledDespite};
 * CellChannel's implementation notes, "An Error in a wait"), for a rendezvous receiver and a
 * rendezvous sender waiting in cell 0, in each state the cell can hold then: still waiting, or
 * parked (it leaves, as a timeout leaves), settled by the peer or a close (that outcome stands),
 * or left already by the owner's own timeout, which {@code Waiter.await} settles before its yield
 * and the bookkeeping that can still throw (it has left: not a close, not an unexpected state).
 * WaitOutOfMemoryTest throws the Error for real, where only the first case comes up.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ErrorInWaitTest {

    @ParameterizedTest(name = "sender={0}")
    @ValueSource(booleans = {false, true})
    void stillWaiting_leavesTheCellAndNothingIsHandedOver(boolean sender) throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellWaiter waiter = waitingInCell0(ch, sender);
        assertLeft(ch, waiter, sender);
        if (sender) {
            assertNull(ch.tryReceive(), "the element is still the sender's");
        } else {
            assertFalse(ch.trySend("x"), "no receiver waits any more");
        }
    }

    @ParameterizedTest(name = "sender={0}")
    @ValueSource(booleans = {false, true})
    void parked_leavesTheCell(boolean sender) throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellWaiter waiter = waitingInCell0(ch, sender);
        waiter.announceParking();
        assertLeft(ch, waiter, sender);
    }

    @ParameterizedTest(name = "sender={0}")
    @ValueSource(booleans = {false, true})
    void settledByThePeerFirst_thatOutcomeStands(boolean sender) throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellWaiter waiter = waitingInCell0(ch, sender);
        if (sender) {
            assertEquals("x", ch.tryReceive());
        } else {
            ch.send("x"); // returns at once: the receiver holds the cell
        }
        Object expected = sender ? Signal.TAKEN : "x";
        assertEquals(expected, cells(ch).settledDespite(waiter.segment, 0, sender));
    }

    @ParameterizedTest(name = "sender={0}")
    @ValueSource(booleans = {false, true})
    void closedFirst_getsClosed(boolean sender) throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellWaiter waiter = waitingInCell0(ch, sender);
        assertTrue(ch.close());
        assertSame(Signal.CLOSED, cells(ch).settledDespite(waiter.segment, 0, sender));
    }

    /** On an open channel a sender's SEND_CANCELLED is its own, not a close's. */
    @ParameterizedTest(name = "sender={0}")
    @ValueSource(booleans = {false, true})
    void leftByItsOwnTimeoutFirst_hasLeft(boolean sender) throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellWaiter waiter = waitingInCell0(ch, sender);
        assertTrue(waiter.tryCancel(Signal.TIMED_OUT));
        assertLeft(ch, waiter, sender);
    }

    /** settledDespite reports that the party has left, and its cell is cancelled. */
    private static void assertLeft(Channel<String> ch, CellWaiter waiter, boolean sender) {
        assertNull(cells(ch).settledDespite(waiter.segment, 0, sender));
        assertSame(sender ? CellState.SEND_CANCELLED : CellState.RECEIVE_CANCELLED, waiter.segment.lvState(0));
    }

    private static CellWaiter waitingInCell0(Channel<String> ch, boolean sender) throws Exception {
        return sender ? WhiteBox.senderWaitingInCell0(ch, "x") : WhiteBox.receiverWaitingInCell0(ch);
    }

    private static CellChannel<String> cells(Channel<String> ch) {
        return (DefaultChannel<String>) ch;
    }
}
