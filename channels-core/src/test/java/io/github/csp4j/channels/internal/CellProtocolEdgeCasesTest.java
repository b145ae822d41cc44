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
import io.github.csp4j.channels.testing.Async;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * White-box cases of CellChannel's cell protocol that the mutation run (root pom, profile pit)
 * found unchecked: a close that meets a party on its way to its cell, or that has taken only its
 * first steps; isClosedForReceive at a sender's cell; a buffered channel's permits when an owed
 * sender hands its element straight to a waiting receiver; a tryReceive and an owed sender whose
 * tickets lie in removed segments; and a registering select that turns a sender away. Each
 * replays one order of steps that real threads reach only in a narrow window: a party between its
 * ticket and its cell is simulated by taking the ticket through the counters, a close in the
 * middle of its steps by WhiteBox.startClose (or winCloseReason and closeStatus), a release by
 * the PermitQueue calls the channel makes, and a select by a hand-made registering round. Threads
 * that must wait are real and observed parked (Async.startBlocked).
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CellProtocolEdgeCasesTest {
    private static final Duration SHORT = Duration.ofNanos(50_000);

    /**
     * A rendezvous sender takes its ticket, a close walks past its (empty) cell and leaves it to
     * the sender, and then the sender arrives: it sees the status after placing itself and fails
     * as closed, rather than wait for a receiver that can no longer come.
     */
    @Test
    void rendezvousSend_arrivingAfterTheCloseWalkedPastItsCell_failsAsClosed() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = WhiteBox.senderOnItsWay(cells);
        assertTrue(ch.close());

        Async<Object> arrival = Async.start(() -> WhiteBox.sendToCell(cells, segment, 0, "x", true));

        Throwable thrown = arrival.joinFailure();
        assertInstanceOf(ChannelClosedException.class,
                assertInstanceOf(InvocationTargetException.class, thrown).getCause());
        assertSame(CellState.SEND_CANCELLED, segment.lvState(0));
        assertNull(segment.lpElement(0), "the element is not left in the cell");
    }

    /**
     * After a plain close, a receiver whose cell's sender is still on its way (and never comes)
     * gives that cell up and takes the element buffered behind it: close is graceful.
     */
    @Test
    void receive_afterClose_skipsAnEmptyCellOfASenderOnItsWayAndTakesTheBufferedElement()
            throws Exception {
        for (Channel<String> ch : List.of(Channel.<String>buffered("buf", 4), Channel.<String>unbounded("unb"))) {
            CellChannel<String> cells = (DefaultChannel<String>) ch;
            WhiteBox.senderOnItsWay(cells);
            assertTrue(ch.trySend("b"), "ticket 1, buffered");
            assertTrue(ch.close());

            assertEquals("b", ch.receive(), ch.toString());
            assertThrows(ChannelClosedException.class, ch::receive);
        }
    }

    /**
     * An owed sender that a release admitted (GRANTED) but whose thread has not yet marked its
     * cell BUFFERED holds an element that counts as buffered: after a close, isClosedForReceive
     * says more is to come, and a receive gets it.
     */
    @Test
    void isClosedForReceive_grantedOwedSendersElementAtR_isStillToCome() throws Exception {
        Channel<String> ch = Channel.buffered("buf", 1);
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        ch.send("a");
        WhiteBox.owedSenderInItsCell(cells, 1, "b", true); // a release admitted it
        assertEquals("a", ch.receive());
        assertTrue(ch.close(), "the walk leaves a granted sender's cell to it");

        assertFalse(ch.isClosedForReceive(), "b is still to come");
        assertEquals("b", ch.receive());
        assertTrue(ch.isClosedForReceive());
    }

    /**
     * What a closed channel's toString shows of an owed sender's cell at R: closing while the
     * sender is admitted (its element is to come) or not settled yet (between the close's status
     * and its walk a release could still admit it), and closed once the walk failed it.
     */
    @Test
    void toString_afterACloseWithAnOwedSenderAtR_showsClosingWhileItsElementMayCome() throws Exception {
        Channel<String> admitted = Channel.buffered("admitted", 1);
        admitted.send("a");
        WhiteBox.owedSenderInItsCell((DefaultChannel<String>) admitted, 1, "b", true);
        assertEquals("a", admitted.receive());
        assertTrue(admitted.close());
        assertShown("closing", admitted);
        assertEquals("b", admitted.receive());
        assertShown("closed", admitted);

        Channel<String> owing = Channel.buffered("owing", 1);
        CellChannel<String> cells = (DefaultChannel<String>) owing;
        owing.send("a");
        PermitWaiter owed = WhiteBox.owedSenderInItsCell(cells, 1, "b", false);
        assertEquals("a", owing.receive());
        long claimed = WhiteBox.startClose(cells, null);
        assertShown("closing", owing);
        WhiteBox.finishClose(cells, claimed, false);
        assertSame(Signal.CLOSED, owed.result(), "the walk failed it");
        assertShown("closed", owing);
    }

    /**
     * The cells of the first segment are dead, and a sender holds the first ticket past it, in a
     * segment nobody has added yet: the closed channel's toString shows closing, since that
     * sender may still come. Once a receive has found its cell empty and the channel closed, it
     * shows closed.
     */
    @Test
    void toString_afterACloseWithASenderOnItsWayPastTheLastSegment_showsClosing() throws Exception {
        Channel<String> ch = Channel.unbounded("unb");
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment first = WhiteBox.sendSegment(cells);
        Counters counters = WhiteBox.counters(cells);
        for (int cell = 0; cell < Segment.SIZE; cell++) {
            assertEquals(cell, counters.takeSendTicket());
            assertTrue(first.casState(cell, null, CellState.POISONED), "a dead cell");
        }
        assertEquals(Segment.SIZE, counters.takeSendTicket(), "the sender on its way");
        assertTrue(ch.close());

        assertShown("closing", ch);
        assertNull(first.next(), "toString added no segment");
        assertThrows(ChannelClosedException.class, ch::receive, "its cell is dead to the receivers");
        assertShown("closed", ch);
    }

    private static void assertShown(String state, Channel<?> ch) {
        assertTrue(ch.toString().startsWith("Channel[" + ch.name() + ", " + ((CellChannel<?>) ch).kind() + ", " + state
                + ", "), ch.toString());
    }

    /**
     * Between a close's status and its walk, a receive that meets a blocked owed sender in its
     * cell fails that sender as closed (as the walk would) instead of taking its element, and
     * itself finds the channel closed: a sender blocked when the channel closes fails.
     */
    @Test
    void receive_betweenCloseStatusAndWalk_failsTheOwedSenderItMeetsInsteadOfTakingItsElement()
            throws Exception {
        Channel<String> ch = Channel.buffered("buf", 1);
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        ch.send("a");
        Async<Void> owed = Async.runBlocked(() -> ch.send("b")); // owes a permit, waits in cell 1
        assertEquals(0L, WhiteBox.counters(cells).takeReceiveTicket(),
                "the receiver of a, on its way: no release grants b");
        long claimed = WhiteBox.startClose(cells, null);

        assertThrows(ChannelClosedException.class, ch::receive, "ticket 1 fails b's sender; then R is at closedAt");
        assertInstanceOf(ChannelClosedException.class, owed.joinFailure());
        WhiteBox.finishClose(cells, claimed, false);
    }

    /**
     * A timed send that owes a permit and whose element a receiver takes straight from its cell
     * returns true: the element was delivered.
     */
    @Test
    void timedOwedSend_whoseElementAReceiverTakesFromItsCell_returnsTrue() throws Exception {
        Channel<String> ch = Channel.buffered("buf", 1);
        Counters c = WhiteBox.counters((DefaultChannel<String>) ch);
        assertEquals(1L, c.addPermits(-1L), "the one permit, held by a sender that never comes");
        Async<Boolean> owed = Async.startBlocked(() -> ch.send("x", Duration.ofMinutes(1)));

        assertEquals("x", ch.tryReceive(), "taken from the owed sender's cell");
        assertTrue(owed.join(), "sent: a receiver took it");
    }

    /**
     * An owed sender that meets a waiting receiver withdraws its debt and hands over: it never
     * held a permit, so it returns none, and the buffer's one permit stays with its holder.
     */
    @Test
    void owedSend_handingOverToAWaitingReceiver_addsNoPermit() throws Exception {
        Channel<String> ch = Channel.buffered("buf", 1);
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Counters c = WhiteBox.counters(cells);
        assertEquals(1L, c.addPermits(-1L), "the one permit, held by an admitted sender on its way");
        Async<String> receiver = Async.startBlocked(ch::receive); // waits in cell 0

        ch.send("x"); // owes; ticket 0 meets the receiver: withdraws and hands over

        assertEquals("x", receiver.join());
        assertFalse(ch.trySend("y"), "the buffer's one permit is still its holder's");
    }

    /**
     * An owed sender granted a permit between its registration and its cell, which then meets a
     * waiting receiver and hands over, gives that permit back: the buffer keeps its capacity.
     */
    @Test
    void grantedOwedSend_handingOverToAWaitingReceiver_returnsThePermit() throws Exception {
        Channel<String> ch = Channel.buffered("buf", 1);
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Counters c = WhiteBox.counters(cells);
        PermitQueue queue = WhiteBox.permits(cells);
        assertEquals(1L, c.addPermits(-1L), "the one permit, held by an admitted sender on its way");
        Async<String> receiver = Async.startBlocked(ch::receive); // waits in cell 0
        PermitWaiter owed = new PermitWaiter(true); // this thread is the owed sender
        assertFalse(queue.acquireNow(c), "nothing free: it owes");
        assertTrue(queue.enqueue(owed, c), "registered");
        queue.returnUnused(c); // the absent sender gives its permit back: it grants the owed one
        assertSame(Signal.GRANTED, owed.result());

        assertSame(Signal.SENT, WhiteBox.sendOwed(cells, "x", owed), "meets the receiver and hands over");

        assertEquals("x", receiver.join());
        assertTrue(ch.trySend("y"), "the granted permit went back: the empty buffer has its slot");
        assertFalse(ch.trySend("z"), "and only that one");
    }

    /**
     * A send that owes a permit, but finds one left at its wait ticket when it registers, sends at
     * once. Here two debts register in the opposite order of their taking: the test thread owes
     * first and never registers (a release then leaves a permit at wait ticket 0 for the first
     * debt), and the sender, owing second, registers first and takes wait ticket 0. The test
     * thread's debt is left unpaid, which nothing after it reads.
     */
    @Test
    void send_whosePermitWasLeftForItBeforeItRegistered_sendsAtOnce() throws Exception {
        Channel<String> ch = Channel.buffered("buf", 1);
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        ch.send("a");
        PermitQueue queue = WhiteBox.permits(cells);
        assertFalse(queue.acquireNow(WhiteBox.counters(cells)), "a sender owes and has not registered");
        assertEquals("a", ch.tryReceive(), "the release serves that debt");

        Async<Boolean> send = Async.start(() -> ch.send("b", Duration.ofSeconds(5)));

        assertTrue(send.join(), "registering found the permit: sent without waiting");
        assertEquals("b", ch.tryReceive());
    }

    /**
     * After 100 timed-out rendezvous sends (their segments removed, the receivers' pointer left
     * behind them), a tryReceive that takes a waiting sender's element uses that sender's cell,
     * so the next receive still finds the next sender in its own.
     */
    @Test
    void tryReceive_pastRemovedSegments_takesFromTheRightCell() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        for (int i = 0; i < 100; i++) {
            assertFalse(ch.send("-", SHORT));
        }
        Async<Void> x = Async.runBlocked(() -> ch.send("x"));
        assertEquals("x", ch.tryReceive());
        x.join();

        Async<Void> y = Async.runBlocked(() -> ch.send("y"));
        assertEquals("y", ch.receive());
        y.join();
    }

    /**
     * A buffered channel's owed sender whose ticket lies in a removed segment (receivers ran
     * ahead while absent senders held both permits) skips to a live cell, so an admitted send
     * after it still finds its own cell.
     */
    @Test
    void owedSend_pastRemovedSegments_skipsToALiveCell() throws Exception {
        Channel<String> ch = Channel.buffered("buf", 2);
        Counters c = WhiteBox.counters((DefaultChannel<String>) ch);
        assertEquals(2L, c.addPermits(-2L), "both permits, held by senders that never come");
        for (int i = 0; i < 65; i++) {
            assertNull(ch.receive(SHORT));
        }
        Async<Void> x = Async.runBlocked(() -> ch.send("x")); // owes a permit
        assertEquals("x", ch.receive());
        x.join();
        c.addPermits(2L); // the absent senders' permits back

        ch.send("y");
        assertEquals("y", ch.receive());
    }

    /**
     * A select's receive registration turns a sender away while its select is still registering
     * (the refusal protocol): the sender goes on to the next cell, and the select, told so when
     * it starts waiting, takes the refusal and places its clause again, which then meets it.
     */
    @Test
    void registeringSelect_refusesASender_andTakesTheRefusalToPlaceItsClauseAgain() throws Exception {
        Channel<String> ch = Channel.rendezvous("rv");
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        SelectRound round = WhiteBox.registeringRound(1);
        SelectRound.Registration clause = new SelectRound.Registration(round, 0, false, false, cells);
        assertSame(Signal.REGISTERED, cells.receiveOrRegister(clause), "in cell 0");

        Async<Void> sender = Async.runBlocked(() -> ch.send("x")); // turned away from cell 0

        assertFalse(round.startWaiting(), "a peer was turned away");
        assertTrue(clause.takeRefusal(), "the owner takes the refusal");
        cells.cancelRegistration(clause);
        assertEquals("x", cells.receiveOrRegister(new SelectRound.Registration(round, 0, false, false, cells)),
                "placed again, the clause meets the sender");
        round.settleWhileRegistering(Signal.SENT);
        sender.join();
    }

    /**
     * isClosedForReceive after a close, at a cell that will never hold an element: a rendezvous
     * sender that placed itself after the close walked past (it fails on its own closed check),
     * and a buffered channel's owed sender that was not admitted (the close failed it).
     */
    @Test
    void isClosedForReceive_atASenderThatWillFail_isTrue() throws Exception {
        Channel<String> rendezvous = Channel.rendezvous("rv");
        CellChannel<String> rendezvousCells = (DefaultChannel<String>) rendezvous;
        Segment first = WhiteBox.senderOnItsWay(rendezvousCells);
        assertTrue(rendezvous.close());
        Object placed = WhiteBox.arriveAtCell(rendezvousCells, first, 0, "x", true);
        assertInstanceOf(CellSender.class, placed, "placed before its own closed check");
        assertTrue(rendezvous.isClosedForReceive(), "its send fails: nothing to come");

        Channel<String> buffered = Channel.buffered("buf", 1);
        CellChannel<String> cells = (DefaultChannel<String>) buffered;
        buffered.send("a");
        PermitWaiter owed = WhiteBox.owedSenderInItsCell(cells, 1, "b", false); // not admitted
        assertEquals("a", buffered.receive());
        assertTrue(buffered.close());
        assertSame(Signal.CLOSED, owed.result(), "the close failed it");
        assertTrue(buffered.isClosedForReceive(), "its send fails: nothing to come");
    }

    /**
     * A receive while a close has won its reason but not yet set the status bits (the first of
     * its steps) still takes a buffered element; once the close ends, the drained channel throws.
     */
    @Test
    void receive_whileACloseHasOnlyWonItsReason_takesTheBufferedElement() throws Exception {
        Channel<String> ch = Channel.buffered("buf", 2);
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        ch.send("a");
        WhiteBox.winCloseReason(cells, null);

        assertEquals("a", ch.receive());

        WhiteBox.finishClose(cells, WhiteBox.closeStatus(cells, false), false);
        assertThrows(ChannelClosedException.class, ch::receive);
    }
}
