package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
 * Regression test for the element loss MixedSoakTest found (fixed: fail() now discards only the
 * elements no receiver holds a ticket for). Deterministic reproduction, on rendezvous channels: a
 * receiver has taken its ticket (R was incremented) but has not reached its cell yet; a
 * {@code trySend} or a select's send clause (before ADR 0014's addendum, a plain {@code send}
 * too) with that ticket sees {@code ticket < receivers}, leaves its element BUFFERED in the cell
 * and returns normally, as a delivered rendezvous send does. If {@code fail()} runs before the
 * receiver reaches the cell, {@code closeCell} turns the BUFFERED cell into DISCARDED
 * and the receiver reports the channel closed: the element whose send returned is received by no
 * one. {@code close()} keeps it (the receiver's ticket is below {@code closedAt}). On a buffered
 * channel the same race discards an element while a later one of the same buffer is delivered.
 *
 * <p>The in-flight receiver is simulated, white-box: R is incremented as its
 * {@code getAndAdd} does, and it then arrives with {@code receiveFromCell} for ticket 0, which
 * for a BUFFERED cell calls the {@code takeBuffered} that {@code receive} calls first.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FailInFlightReceiverTest {
    private static final IllegalStateException FAILURE = new IllegalStateException("boom");

    @Test
    void fail_whileTheReceiverOfARendezvousSendIsOnItsWay_theReceiverStillGetsTheElement() throws Exception {
        assertEquals("x", sendToAnInFlightReceiverThen(ch -> assertTrue(ch.fail(new IllegalStateException("boom")))),
                "the element whose rendezvous send returned normally");
    }

    /** The contrast: close() delivers it. */
    @Test
    void close_whileTheReceiverOfARendezvousSendIsOnItsWay_theReceiverStillGetsTheElement() throws Exception {
        assertEquals("x", sendToAnInFlightReceiverThen(ch -> assertTrue(ch.close())));
    }

    /** The control: nothing in between. */
    @Test
    void nothingInBetween_theReceiverGetsTheElement() throws Exception {
        assertEquals("x", sendToAnInFlightReceiverThen(ch -> {}));
    }

    /**
     * The same on a buffered channel, where it breaks FIFO rather than the rendezvous promise: with
     * e0 and e1 buffered, a receiver takes ticket 0 (simulated, on its way), a second receiver
     * takes ticket 1 and gets e1, and fail() discards e0 before the first arrives. A receive that
     * started before the fail returned e1, so e0, ahead of it in the buffer, should have gone to
     * the receiver ahead of it; instead the first receiver reports the channel closed.
     */
    @Test
    void fail_whileTheReceiverOfTheOldestBufferedElementIsOnItsWay_thatReceiverStillGetsIt() throws Exception {
        Channel<String> ch = Channel.buffered("buf", 16);
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        ch.send("e0");
        ch.send("e1");
        Segment segment = WhiteBox.receiveSegment(cells);

        assertEquals(0L, WhiteBox.counters(cells).takeReceiveTicket()); // the first receiver takes ticket 0
        assertEquals("e1", ch.receive()); // the second takes ticket 1 and returns at once
        assertTrue(ch.fail(new IllegalStateException("boom")));

        Object got = WhiteBox.receiveFromCell(cells, segment, 0, false); // the first receiver arrives
        assertEquals("e0", got instanceof Signal signal ? "nothing: " + signal : got,
                "the receiver ahead of the one that got e1");
    }

    /**
     * The other way round: a receiver is parked in cell 0 (its thread in the cell), the sender of
     * ticket 0 has taken it (simulated) but not reached the cell, and fail() wakes the receiver,
     * whose ticket is below closedAt, with the failure. The sender then finds the cell closed
     * under it and takes a new ticket (which fails), rather than hand its element to a receiver
     * that has left.
     */
    @Test
    void fail_whileTheSenderOfAParkedReceiverIsOnItsWay_theReceiverFailsAndTheSenderLeavesTheCell() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Async<String> receiver = Async.startBlocked(ch::receive); // takes ticket 0 and parks in cell 0
        Segment segment = WhiteBox.receiveSegment(cells);
        assertEquals(0L, WhiteBox.counters(cells).takeSendTicket()); // the sender's xadd: it takes ticket 0

        failWakesTheReceiverAndKillsTheSendersCell(ch, cells, segment, receiver);
    }

    /**
     * fail() on {@code ch}, where {@code receiver} waits in cell 0 of {@code segment} and the
     * sender of ticket 0 has taken its ticket but not reached the cell: the receiver fails with
     * the cause, and the sender, arriving, finds the cell dead, so its send fails rather than
     * returns. Also InFlightSenderTest's, where the sender took its ticket first.
     */
    static void failWakesTheReceiverAndKillsTheSendersCell(Channel<String> ch, CellChannel<String> cells,
            Segment segment, Async<String> receiver) throws Exception {
        IllegalStateException cause = new IllegalStateException("boom");
        assertTrue(ch.fail(cause));
        ChannelClosedException failure = assertInstanceOf(ChannelClosedException.class, receiver.joinFailure());
        assertSame(cause, failure.getCause());

        assertEquals(Signal.RETRY, WhiteBox.sendToCell(cells, segment, 0, "x", true),
                "the sender arrives: the cell is dead for it, so its send fails rather than returns");
    }

    /**
     * The race MixedSoakTest found after the first fix (2026-12-01): the sender of ticket 0 has
     * taken it; fail() sets the status bits and reads R (0: no receiver yet); a receiver that saw
     * the channel open takes ticket 0; the sender arrives, finds 0 < R, leaves its element
     * BUFFERED and returns; then fail() walks the cells. Cell 0 is at or past the R it read, so it
     * used to be discarded, and the receiver on its way found nothing. A rendezvous channel now
     * discards nothing; the receiver takes the element. The soak found it with a plain send; since
     * ADR 0014's addendum only a select's send clause reads R, so the clause replays it here.
     */
    @Test
    void fail_whoseReadOfRPrecedesTheReceiversTicket_stillLeavesASendClausesElementToThatReceiver()
            throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = WhiteBox.receiveSegment(cells);
        long claimed = failReadsRBeforeTheReceiversTicket(cells);

        assertSame(Signal.SENT, WhiteBox.sendClauseToCell(cells, segment, 0, "x"),
                "x is left BUFFERED");
        WhiteBox.finishClose(cells, claimed, true); // step 3: fail walks the cells

        Object got = WhiteBox.receiveFromCell(cells, segment, 0, false); // the receiver arrives
        assertEquals("x", got instanceof Signal signal ? "nothing: " + signal : got,
                "the element whose send clause completed");
        assertFailed(ch);
    }

    /**
     * The same interleaving with a plain sender, which reads no R (ADR 0014's addendum): it waits
     * in the cell, fail() settles it (its send fails, still owning the element), and the receiver
     * finds the cell dead and then the channel failed. No send returned, so nothing is lost.
     */
    @Test
    void fail_whoseReadOfRPrecedesTheReceiversTicket_failsAPlainSenderWhichKeepsItsElement()
            throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = WhiteBox.receiveSegment(cells);
        long claimed = failReadsRBeforeTheReceiversTicket(cells);

        Object placed = WhiteBox.arriveAtCell(cells, segment, 0, "x", true);
        CellSender sender = assertInstanceOf(CellSender.class, placed,
                "it waits though a receiver holds 0");
        WhiteBox.finishClose(cells, claimed, true); // step 3: fail walks the cells

        assertSame(Signal.CLOSED, sender.poll(), "the sender's wait ends: its send throws");
        assertSame(CellState.SEND_CANCELLED, segment.lvState(0));
        assertNull(segment.lpElement(0), "the element stays with its sender only");
        assertSame(Signal.RETRY, WhiteBox.receiveFromCell(cells, segment, 0, false),
                "the receiver arrives: the cell is dead, it takes a new ticket");
        assertFailed(ch);
    }

    /**
     * Two receivers pass receive's open check; fail() sets the status bits and reads R (0); then
     * they take tickets 0 and 1, both past that read, and the second reaches its cell before the
     * walk. It must discard e1 as the walk discards e0: taking e1 while e0 is discarded and the
     * first receiver fails is no order of the calls (found by review, 2026-12-05; before the fix
     * the second receiver got e1).
     */
    @Test
    void fail_readsRBeforeTwoReceiversTickets_theSecondDiscardsItsElementRatherThanTakeIt() throws Exception {
        Channel<String> ch = Channel.buffered("buf", 4);
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        ch.send("e0");
        ch.send("e1");
        assertSecondReceiverDiscardsItsElement(ch, cells);
    }

    /** The same where e1 is the element of an owed sender that a release has admitted (GRANTED). */
    @Test
    void fail_readsRBeforeTwoReceiversTickets_theSecondDiscardsAGrantedElementRatherThanTakeIt() throws Exception {
        Channel<String> ch = Channel.buffered("buf", 4);
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        ch.send("e0");
        WhiteBox.owedSenderInItsCell(cells, 1, "e1", true); // a release admitted it
        assertSecondReceiverDiscardsItsElement(ch, cells);
    }

    private static void assertSecondReceiverDiscardsItsElement(Channel<String> ch, CellChannel<String> cells)
            throws Exception {
        Segment segment = WhiteBox.receiveSegment(cells);
        long claimed = WhiteBox.startClose(cells, FAILURE); // steps 1 and 2: status bits, then R
        assertEquals(0L, claimed);
        assertEquals(0L, WhiteBox.counters(cells).takeReceiveTicket()); // the first receiver's xadd
        assertEquals(1L, WhiteBox.counters(cells).takeReceiveTicket()); // the second's

        assertSame(Signal.CLOSED, WhiteBox.receiveFromCell(cells, segment, 1, true),
                "the second receiver reports the failure rather than take e1");
        // It discards e1 itself: the walk starts at the older segment pointer, which receivers
        // past this cell can have moved beyond its segment (found by review of the fix).
        assertSame(CellState.DISCARDED, segment.lvState(1));
        assertNull(segment.lpElement(1), "e1 is discarded, not kept");
        WhiteBox.finishClose(cells, claimed, true);
        assertSame(Signal.CLOSED, WhiteBox.receiveFromCell(cells, segment, 0, true),
                "the first finds e0 discarded");
        assertSame(CellState.DISCARDED, segment.lvState(0));
        assertFailed(ch);
    }

    /**
     * The sender of ticket 0 takes it; fail() sets the status bits and reads R (0: no receiver
     * yet); then the receiver of ticket 0 takes it. {@return what fail() read, for its walk}
     */
    private static long failReadsRBeforeTheReceiversTicket(CellChannel<String> cells)
            throws Exception {
        assertEquals(0L, WhiteBox.counters(cells).takeSendTicket()); // the sender's xadd: ticket 0
        long claimed = WhiteBox.startClose(cells, FAILURE); // steps 1 and 2: status bits, then R
        assertEquals(0L, claimed);
        assertEquals(0L, WhiteBox.counters(cells).takeReceiveTicket()); // the receiver's xadd
        return claimed;
    }

    /** The channel is failed with FAILURE and has nothing more to take. */
    private static void assertFailed(Channel<String> ch) {
        ChannelClosedException failure = assertThrows(ChannelClosedException.class, ch::tryReceive);
        assertSame(FAILURE, failure.getCause());
    }

    /**
     * The other race the soak found the same day: a receiver of a failed channel found its cell
     * empty below closedAt and reported the channel closed at once, while the sender of that
     * ticket (taken before the fail) was still on its way; the sender then left its element in the
     * cell and its send returned, and no receiver ever came for it (a buffered(1) channel then
     * delivered that sender's next element past the lost one). The receiver now breaks the cell
     * first, so the sender finds it dead and its send fails.
     */
    @Test
    void receive_findsItsCellEmptyAfterAFailWhileItsSenderIsOnItsWay_theSenderFindsTheCellDead() throws Exception {
        for (Channel<String> ch : List.of(Channel.<String>rendezvous("rv"), Channel.<String>buffered("buf", 1))) {
            CellChannel<String> cells = (DefaultChannel<String>) ch;
            Segment segment = WhiteBox.receiveSegment(cells);
            assertEquals(0L, WhiteBox.counters(cells).takeSendTicket()); // the sender's xadd: ticket 0
            assertEquals(0L, WhiteBox.counters(cells).takeReceiveTicket()); // the receiver's: ticket 0
            assertTrue(ch.fail(new IllegalStateException("boom")));

            assertEquals(Signal.CLOSED, WhiteBox.receiveFromCell(cells, segment, 0, false),
                    ch + ": the receiver reports the failure");
            assertEquals(Signal.RETRY, WhiteBox.sendToCell(cells, segment, 0, "x", cells.isRendezvous()),
                    ch + ": the sender finds its cell dead, so its send fails instead of returning");
        }
    }

    private interface Between {
        void run(Channel<String> ch);
    }

    /**
     * A receiver takes ticket 0 (simulated), {@code trySend("x")} returns true, {@code between}
     * runs, then the receiver reaches cell 0; {@return what its receive gets}
     */
    private static Object sendToAnInFlightReceiverThen(Between between) throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = WhiteBox.receiveSegment(cells);

        long ticket = WhiteBox.counters(cells).takeReceiveTicket(); // the receiver's xadd: it takes ticket 0
        assertEquals(0L, ticket);

        assertTrue(ch.trySend("x"), "a receiver holds 0: trySend leaves x BUFFERED in cell 0");
        between.run(ch);

        Object got = WhiteBox.receiveFromCell(cells, segment, 0, false); // the receiver arrives
        return got instanceof Signal signal ? "nothing: " + signal : got;
    }
}
