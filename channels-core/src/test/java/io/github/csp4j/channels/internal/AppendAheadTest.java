package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.testing.Async;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Segment's "Appending ahead": on a rendezvous channel, the plain receiver or sender that waits in
 * cell APPEND_AHEAD_CELL of a segment appends the next segment, and both parties go on into that
 * segment; buffered channels append only when a segment is needed.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class AppendAheadTest {

    @Test
    void rendezvous_receiverThatWaits_appendsTheNextSegmentAtTheAppendAheadCell() throws Exception {
        Channel<Integer> channel = Channel.rendezvous("rv");
        assertAppendedAhead(channel, i -> {
            Async<Integer> receiver = Async.startBlocked(channel::receive); // waits in its cell
            channel.send(i);
            assertEquals(i, receiver.join());
        });
    }

    @Test
    void rendezvous_senderThatWaits_appendsTheNextSegmentAtTheAppendAheadCell() throws Exception {
        Channel<Integer> channel = Channel.rendezvous("rv");
        assertAppendedAhead(channel, i -> {
            Async<Void> sender = Async.runBlocked(() -> channel.send(i)); // waits in its cell
            assertEquals(i, channel.receive());
            sender.join();
        });
    }

    @Test
    void buffered_appendsNoSegmentAhead() throws Exception {
        Channel<Integer> channel = Channel.buffered("buf", Segment.SIZE);
        CellChannel<Integer> cells = (DefaultChannel<Integer>) channel;
        for (int i = 0; i < Segment.SIZE; i++) {
            channel.send(i); // tickets 0 to SIZE - 1: the first segment, full
        }
        assertNull(WhiteBox.sendSegment(cells).next(), "a segment appended before it was needed");
    }

    /**
     * Moves elements 0, 1, ... through {@code channel} by {@code transfer}, one at a time, and
     * checks that the first segment has no next segment until element APPEND_AHEAD_CELL has moved,
     * that it has one after, and that the receivers of the next segment's first element use it.
     */
    private static void assertAppendedAhead(Channel<Integer> channel, Transfer transfer) throws Exception {
        CellChannel<Integer> cells = (DefaultChannel<Integer>) channel;
        Segment first = WhiteBox.sendSegment(cells);
        for (int i = 0; i < Segment.APPEND_AHEAD_CELL; i++) {
            transfer.move(i);
            assertNull(first.next(), "next segment after element " + i);
        }
        transfer.move(Segment.APPEND_AHEAD_CELL);
        Segment appended = first.next();
        assertNotNull(appended, "next segment after element " + Segment.APPEND_AHEAD_CELL);
        assertEquals(1, appended.id);
        for (int i = Segment.APPEND_AHEAD_CELL + 1; i <= Segment.SIZE; i++) {
            transfer.move(i); // the last, ticket SIZE, is the next segment's first
        }
        assertSame(appended, WhiteBox.receiveSegment(cells), "the receivers' segment");
        assertSame(appended, WhiteBox.sendSegment(cells), "the senders' segment");
    }

    @FunctionalInterface
    private interface Transfer {
        void move(int element) throws Exception;
    }
}
