package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.testing.Async;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A segment's cells are PACKED (eight to a cache line) or SPREAD (two to a line), Segment's
 * "Layouts": a channel's first segment is packed; on a rendezvous channel a segment appended after
 * one in whose cells no handoff wait was slow (found threads queued, or parked) is spread, else
 * packed; buffered and unbounded channels pack every segment.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SegmentLayoutTest {

    @Test
    void find_afterASegmentWithoutSlowWaits_appendsASpreadOne() {
        Segment first = new Segment(0, null, 2, Segment.PACKED, true);
        Segment second = Segment.find(first, 1);
        assertEquals(1, second.id);
        assertEquals(Segment.SPREAD_CELLS ? Segment.SPREAD : Segment.PACKED, second.shift());
    }

    @Test
    void find_afterASegmentWithASlowWait_appendsAPackedOne() {
        Segment first = new Segment(0, null, 2, Segment.SPREAD, true);
        first.noteSlowWait();
        assertEquals(Segment.PACKED, Segment.find(first, 1).shift());
    }

    @Test
    void find_onAListThatDoesNotAdapt_appendsPackedOnesOnly() {
        Segment first = new Segment(0, null, 2, Segment.PACKED, false);
        Segment second = Segment.find(first, 1);
        second.noteSlowWait(); // ignored: nothing to adapt
        assertEquals(Segment.PACKED, second.shift());
        assertEquals(Segment.PACKED, Segment.find(second, 2).shift());
    }

    @Test
    void cells_ofASpreadSegment_keepTheirElementsAndStatesApart() {
        Segment segment = new Segment(0, null, 2, Segment.SPREAD, true);
        for (int cell = 0; cell < Segment.SIZE; cell++) {
            segment.spElement(cell, "element " + cell);
            assertTrue(segment.casState(cell, null, CellState.BUFFERED), "cell " + cell);
        }
        for (int cell = 0; cell < Segment.SIZE; cell++) {
            assertEquals("element " + cell, segment.lpElement(cell));
            assertSame(CellState.BUFFERED, segment.lvState(cell));
        }
        segment.spElement(0, null);
        segment.svState(0, CellState.DONE);
        assertNull(segment.lpElement(0));
        if (Segment.SIZE > 1) {
            assertEquals("element 1", segment.lpElement(1));
            assertSame(CellState.BUFFERED, segment.lvState(1));
        }
    }

    @Test
    void rendezvous_receiverParkedForEveryElement_packsTheSegmentsAfterTheFirst() throws Exception {
        Channel<Integer> channel = Channel.rendezvous("rv");
        CellChannel<Integer> cells = (DefaultChannel<Integer>) channel;
        assertEquals(Segment.PACKED, WhiteBox.receiveSegment(cells).shift(), "first segment");
        int count = 2 * Segment.SIZE + 1;
        for (int i = 0; i < count; i++) {
            Async<Integer> receiver = Async.startBlocked(channel::receive); // parked in its cell
            channel.send(i);
            assertEquals(i, receiver.join());
        }
        Segment last = WhiteBox.receiveSegment(cells);
        assertTrue(last.id >= 2, () -> "the last receive's segment, " + last);
        assertEquals(Segment.PACKED, last.shift());
    }

    @Test
    void bufferedAndUnbounded_packEverySegment() throws Exception {
        for (Channel<Integer> channel : java.util.List.<Channel<Integer>>of(
                Channel.buffered("buf", 2), Channel.unbounded("unb"))) {
            CellChannel<Integer> cells = (DefaultChannel<Integer>) channel;
            int count = 3 * Segment.SIZE + 1;
            for (int i = 0; i < count; i++) {
                channel.send(i);
                assertEquals(i, channel.receive()); // no wait at all: no slow wait to note
            }
            Segment last = WhiteBox.receiveSegment(cells);
            assertTrue(last.id >= 3, () -> channel + ": the last receive's segment, " + last);
            assertEquals(Segment.PACKED, last.shift(), channel::toString);
        }
    }
}
