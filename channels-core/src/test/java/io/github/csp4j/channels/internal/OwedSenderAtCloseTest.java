package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.ChannelClosedException;
import io.github.csp4j.channels.ReceiveResult;
import io.github.csp4j.channels.testing.Async;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A buffered channel's owed sender (blocked for a permit) when a receiver frees a slot after a
 * close or fail has set the channel's status and before its walk reached the sender: the sender
 * fails as closed, and its element is never received. Before the fix the release granted it the
 * permit and its send returned normally after the close (found by Lincheck at three times its
 * default budget on buffered(1) and (2): a send that returned after another send had failed as
 * closed). The close is taken in its two steps, white-box, as in FailInFlightSenderTest; the
 * owed sender is a real thread, parked in its wait.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class OwedSenderAtCloseTest {

    @Test
    void close_aReleaseBetweenTheStatusAndTheWalk_failsTheOwedSenderAsClosed() throws Exception {
        Channel<String> ch = Channel.buffered("buf", 1);
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Async<Void> owed = owedSender(ch, cells);

        long claimed = WhiteBox.startClose(cells, null);
        assertEquals("first", ch.receive()); // releases the permit the owed sender waits for
        Throwable outcome = owed.joinOutcome();
        WhiteBox.finishClose(cells, claimed, false);

        assertInstanceOf(ChannelClosedException.class, outcome, "the owed send fails as closed");
        assertNull(outcome.getCause(), "closed, not failed");
        assertInstanceOf(ReceiveResult.Closed.class, ch.receiveOrClosed(), "its element never arrives");
    }

    @Test
    void fail_aReleaseBetweenTheStatusAndTheWalk_failsTheOwedSenderWithTheCause() throws Exception {
        Channel<String> ch = Channel.buffered("buf", 2);
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        ch.send("zeroth"); // an element ahead, whose receiver frees a slot after the fail
        Async<Void> owed = owedSender(ch, cells);
        IllegalStateException cause = new IllegalStateException("boom");
        // A receiver takes ticket 0 before the fail reads R, so the fail leaves its element to it.
        long ticket = WhiteBox.counters(cells).takeReceiveTicket();
        Segment segment = WhiteBox.receiveSegment(cells);

        long claimed = WhiteBox.startClose(cells, cause);
        assertTrue(ticket < claimed, "the fail counts the receiver's ticket as taken");
        // It arrives, takes its element and frees its slot.
        assertEquals("zeroth", WhiteBox.receiveFromCell(cells, segment, ticket, true));
        Throwable outcome = owed.joinOutcome();
        WhiteBox.finishClose(cells, claimed, true);

        assertInstanceOf(ChannelClosedException.class, outcome, "the owed send fails");
        assertSame(cause, outcome.getCause());
    }

    /** The contrast: a release before the close admits the owed sender, whose element is delivered. */
    @Test
    void close_afterAReleaseAdmittedTheOwedSender_itsElementIsDelivered() throws Exception {
        Channel<String> ch = Channel.buffered("buf", 1);
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Async<Void> owed = owedSender(ch, cells);

        assertEquals("first", ch.receive());
        assertNull(owed.joinOutcome(), "admitted: the send returned");
        assertTrue(ch.close());

        assertEquals("second", ch.receive());
        assertInstanceOf(ReceiveResult.Closed.class, ch.receiveOrClosed());
    }

    /**
     * Fills the channel with "first" (after what it holds already) and starts a sender of
     * "second", which owes a permit; {@return it, once it waits for one in its cell}
     */
    private static Async<Void> owedSender(Channel<String> ch, CellChannel<String> cells) throws Exception {
        assertTrue(ch.trySend("first"), "room for one more element");
        assertFalse(ch.trySend("extra"), "the channel is full");
        Async<Void> owed = Async.run(() -> ch.send("second")).awaitBlocked();
        assertEquals(1L, WhiteBox.waitTickets(cells), "the sender owes a permit");
        return owed;
    }
}
