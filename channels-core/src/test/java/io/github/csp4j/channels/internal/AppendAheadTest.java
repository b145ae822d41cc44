package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.spi.Selection;
import io.github.csp4j.channels.testing.Async;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Segment's "Appending ahead": on a rendezvous channel, the plain receiver or sender that waits in
 * cell APPEND_AHEAD_CELL of a segment in which no wait was slow appends the next segment, spread,
 * before its wait, and both parties go on into that segment; after a slow wait, for a select that
 * waits there, on buffered channels and in segments of fewer than 4 cells, a segment is appended
 * only when it is needed.
 *
 * <p>The tests' parties wait until they are parked, so every wait here is slow; the tests that
 * stand for parties in step clear the segment's note of it before the wait in APPEND_AHEAD_CELL.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class AppendAheadTest {

    @Test
    void appendAhead_withoutASlowWait_appendsASpreadSegment() {
        Segment first = appendedAhead();
        Segment appended = first.next();
        assertNotNull(appended);
        assertEquals(1, appended.id);
        assertEquals(Segment.SPREAD, appended.cellShift());
        first.appendAhead(); // there is one already
        assertSame(appended, first.next());
    }

    @Test
    void appendAhead_segmentWhoseCellsAreAllCancelled_isUnlinkedOnceItIsNoLongerTheTail() {
        Segment first = appendedAhead();
        Segment ahead = first.next();
        for (int cell = 0; cell < Segment.SIZE; cell++) {
            assertFalse(ahead.isRemoved(), "removed with " + (Segment.SIZE - cell) + " cells live");
            ahead.onCellCancelled(); // no pointer holds it: its last cancel removes it
        }
        assertTrue(ahead.isRemoved());
        assertSame(ahead, first.next(), "the tail stays");
        Segment third = Segment.find(first, 1); // the first live segment from id 1: a new one
        assertEquals(2, third.id);
        assertEquals(2, third.lane(), "the lane after the removed segment's (\"Shared slots\")");
        assertTrue(third.sharesSlotsWith(ahead));
        assertSame(third, first.next(), "the removed segment, no longer the tail, is unlinked");
    }

    @Test
    void appendAhead_afterASlowWait_appendsNothing() {
        Segment first = new Segment(0, null, 2, Segment.SPREAD, true);
        first.noteSlowWait();
        first.appendAhead();
        assertNull(first.next());
    }

    @Test
    void appendAhead_onAListThatDoesNotAdapt_appendsNothing() {
        Segment first = new Segment(0, null, 2, Segment.PACKED, false); // a buffered channel's
        first.appendAhead();
        assertNull(first.next());
    }

    @Test
    void rendezvous_receiverThatWaits_appendsTheNextSegmentAtTheAppendAheadCell() throws Exception {
        Channel<Integer> channel = Channel.rendezvous("rv");
        assertAppendedAhead(channel, receiverWaits(channel));
    }

    @Test
    void rendezvous_senderThatWaits_appendsTheNextSegmentAtTheAppendAheadCell() throws Exception {
        Channel<Integer> channel = Channel.rendezvous("rv");
        assertAppendedAhead(channel, senderWaits(channel));
    }

    @Test
    void rendezvous_selectThatWaits_appendsNoSegmentAhead() throws Exception {
        assumeTrue(Segment.SIZE >= 4, "segments of " + Segment.SIZE + " cells: no append ahead");
        Channel<Integer> channel = Channel.rendezvous("rv");
        CellChannel<Integer> cells = (DefaultChannel<Integer>) channel;
        Transfer transfer = receiverWaits(channel);
        Segment first = WhiteBox.sendSegment(cells);
        for (int i = 0; i < Segment.APPEND_AHEAD_CELL; i++) {
            transfer.move(i);
        }
        forgetSlowWaits(first);
        Async<Object> select = Async.startBlocked(() -> { // its registration waits in the cell
            Selection selection = Selection.create();
            selection.addReceive(channel, false);
            selection.begin();
            assertEquals(0, selection.await(new int[] {0}, Selection.NO_DEADLINE));
            return selection.received();
        });
        assertNull(first.next(), "next segment while a select waits in the cell");
        channel.send(Segment.APPEND_AHEAD_CELL);
        assertEquals(Segment.APPEND_AHEAD_CELL, select.join());
    }

    @Test
    void rendezvous_afterASlowWait_appendsNoSegmentAhead() throws Exception {
        for (Rendezvous r : bothWaiters()) {
            for (int i = 0; i < Segment.SIZE; i++) {
                r.transfer.move(i); // each wait parks: slow
                assertNull(r.first.next(), r.waiter + " waits, element " + i);
            }
            r.transfer.move(Segment.SIZE); // the next segment's first: appended now, when needed
            assertEquals(1, WhiteBox.receiveSegment(r.cells).id);
            assertSame(WhiteBox.receiveSegment(r.cells), r.first.next());
        }
    }

    /**
     * Segment's "Shared slots", end to end: elements moved one at a time over six segments, every
     * wait forgotten as if it had been quick, arrive in order; the five segments after the first
     * are spread, the first four of them in lanes 0, 2, 4 and 6 of one array, the fifth in lane 0
     * of a new one.
     */
    @Test
    void rendezvous_quickWaitsOverSixSegments_shareSlotsFourSpreadSegmentsToAnArray()
            throws Exception {
        assumeTrue(Segment.SPREAD_CELLS, "io.github.csp4j.spreadCells=false: nothing is spread");
        for (Rendezvous r : bothWaiters()) {
            for (int i = 0; i <= 5 * Segment.SIZE; i++) {
                forgetSlowWaits(WhiteBox.sendSegment(r.cells)); // the segments the next append
                forgetSlowWaits(WhiteBox.receiveSegment(r.cells)); // takes its layout from
                r.transfer.move(i); // element i arrives, or the move fails
            }
            Segment previous = r.first;
            for (long id = 1; id <= 5; id++) {
                Segment segment = previous.next();
                String where = r.waiter + " waits, segment " + id;
                assertEquals(id, segment.id, where);
                assertEquals(Segment.SPREAD, segment.cellShift(), where);
                int lane = (int) ((id - 1) % 4) * 2;
                assertEquals(lane, segment.lane(), where);
                assertEquals(lane != 0, segment.sharesSlotsWith(previous), where);
                previous = segment;
            }
        }
    }

    @Test
    void buffered_receiverThatWaits_appendsNoSegmentAhead() throws Exception {
        Channel<Integer> channel = Channel.buffered("buf", 1);
        CellChannel<Integer> cells = (DefaultChannel<Integer>) channel;
        Segment first = WhiteBox.sendSegment(cells);
        Transfer transfer = receiverWaits(channel); // each receiver waits in its cell
        for (int i = 0; i < Segment.SIZE; i++) {
            forgetSlowWaits(first); // as if every wait were quick; the list does not adapt anyway
            transfer.move(i);
            assertNull(first.next(), "next segment after element " + i);
        }
    }

    @Test
    void rendezvous_segmentsOfFewerThanFourCells_appendNoSegmentAhead() throws Exception {
        assumeTrue(Segment.SIZE < 4, "segments of " + Segment.SIZE + " cells");
        for (Rendezvous r : bothWaiters()) {
            for (int i = 0; i < Segment.SIZE; i++) {
                forgetSlowWaits(r.first);
                r.transfer.move(i);
                assertNull(r.first.next(), r.waiter + " waits, element " + i);
            }
        }
    }

    /** {@return a fresh first segment of a rendezvous channel, after its appendAhead} */
    private static Segment appendedAhead() {
        assumeTrue(Segment.SPREAD_CELLS, "io.github.csp4j.spreadCells=false: nothing is spread");
        Segment first = new Segment(0, null, 2, Segment.PACKED, true);
        first.appendAhead();
        return first;
    }

    /** A fresh rendezvous channel whose elements move by {@code transfer}, {@code waiter} first. */
    private record Rendezvous(
            String waiter, CellChannel<Integer> cells, Transfer transfer, Segment first) {}

    /** {@return two fresh rendezvous channels: receivers wait on one, senders on the other} */
    private static List<Rendezvous> bothWaiters() throws Exception {
        Channel<Integer> receiving = Channel.rendezvous("rv");
        Channel<Integer> sending = Channel.rendezvous("rv");
        return List.of(rendezvous("the receiver", receiving, receiverWaits(receiving)),
                rendezvous("the sender", sending, senderWaits(sending)));
    }

    private static Rendezvous rendezvous(String waiter, Channel<Integer> channel, Transfer transfer)
            throws Exception {
        CellChannel<Integer> cells = (DefaultChannel<Integer>) channel;
        return new Rendezvous(waiter, cells, transfer, WhiteBox.sendSegment(cells));
    }

    private static Transfer receiverWaits(Channel<Integer> channel) {
        return (i, whileWaiting) -> {
            Async<Integer> receiver = Async.startBlocked(channel::receive); // waits in its cell
            whileWaiting.run();
            channel.send(i);
            assertEquals(i, receiver.join());
        };
    }

    private static Transfer senderWaits(Channel<Integer> channel) {
        return (i, whileWaiting) -> {
            Async<Void> sender = Async.runBlocked(() -> channel.send(i)); // waits in its cell
            whileWaiting.run();
            assertEquals(i, channel.receive());
            sender.join();
        };
    }

    /**
     * Moves elements 0, 1, ... through {@code channel} by {@code transfer}, one at a time, the
     * waits before APPEND_AHEAD_CELL's forgotten as if they had been quick, and checks that the
     * first segment has no next segment before the party that comes first to cell
     * APPEND_AHEAD_CELL waits there, that it has a spread one while it waits, and that both
     * parties of the next segment's first element use that one.
     */
    private static void assertAppendedAhead(Channel<Integer> channel, Transfer transfer)
            throws Exception {
        assumeTrue(Segment.SPREAD_CELLS, "io.github.csp4j.spreadCells=false: nothing is spread");
        assumeTrue(Segment.SIZE >= 4, "segments of " + Segment.SIZE + " cells: no append ahead");
        CellChannel<Integer> cells = (DefaultChannel<Integer>) channel;
        Segment first = WhiteBox.sendSegment(cells);
        for (int i = 0; i < Segment.APPEND_AHEAD_CELL; i++) {
            transfer.move(i);
            assertNull(first.next(), "next segment after element " + i);
        }
        forgetSlowWaits(first);
        transfer.move(Segment.APPEND_AHEAD_CELL, () -> assertNotNull(first.next(),
                "no next segment while the party first to its cell waits"));
        Segment appended = first.next();
        assertEquals(1, appended.id);
        assertEquals(Segment.SPREAD, appended.cellShift());
        for (int i = Segment.APPEND_AHEAD_CELL + 1; i <= Segment.SIZE; i++) {
            transfer.move(i); // the last, ticket SIZE, is the next segment's first
        }
        assertSame(appended, WhiteBox.receiveSegment(cells), "the receivers' segment");
        assertSame(appended, WhiteBox.sendSegment(cells), "the senders' segment");
    }

    /** Clears {@code segment}'s note of a slow wait, which this test's parked parties made. */
    private static void forgetSlowWaits(Segment segment) throws Exception {
        Field slowWait = Segment.class.getDeclaredField("slowWait");
        slowWait.setAccessible(true);
        slowWait.setBoolean(segment, false);
    }

    /** Moves one element; {@code whileWaiting} runs while the party that came first waits. */
    @FunctionalInterface
    private interface Transfer {
        void move(int element, ThrowingRunnable whileWaiting) throws Exception;

        default void move(int element) throws Exception {
            move(element, () -> {});
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
