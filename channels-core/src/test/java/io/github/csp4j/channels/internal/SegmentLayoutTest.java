package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.spi.Selection;
import io.github.csp4j.channels.testing.Async;
import java.lang.reflect.Field;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A segment's cells are PACKED (eight to a cache line) or SPREAD (two to a line), Segment's
 * "Layouts": a channel's first segment is packed; on a rendezvous channel a segment appended after
 * one in whose cells no handoff wait, plain or a select's, was slow (found threads queued, or
 * parked) is spread, else packed; buffered and unbounded channels pack every segment. Up to four
 * spread segments in a row share one array of slots, each cell's references in its own lane
 * ("Shared slots").
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SegmentLayoutTest {

    @Test
    void find_afterASegmentWithoutSlowWaits_appendsASpreadOne() {
        Segment first = new Segment(0, null, 2, Segment.PACKED, true);
        Segment second = Segment.find(first, 1);
        assertEquals(1, second.id);
        assertEquals(Segment.SPREAD_CELLS ? Segment.SPREAD : Segment.PACKED, second.cellShift());
    }

    @Test
    void find_afterASegmentWithASlowWait_appendsAPackedOneWithSlotsOfItsOwn() {
        Segment first = new Segment(0, null, 2, Segment.SPREAD, true);
        first.noteSlowWait();
        Segment second = Segment.find(first, 1);
        assertEquals(Segment.PACKED, second.cellShift());
        assertEquals(0, second.lane());
        assertFalse(second.sharesSlotsWith(first));
    }

    @Test
    void find_onAListThatDoesNotAdapt_appendsPackedOnesOnly() {
        Segment first = new Segment(0, null, 2, Segment.PACKED, false);
        Segment second = Segment.find(first, 1);
        second.noteSlowWait(); // ignored: nothing to adapt
        assertEquals(Segment.PACKED, second.cellShift());
        assertEquals(Segment.PACKED, Segment.find(second, 2).cellShift());
    }

    @Test
    void cells_ofASpreadSegment_sitEightReferencesApart() throws Exception {
        Segment segment = new Segment(0, null, 2, Segment.SPREAD, true);
        for (int cell = 0; cell < Segment.SIZE; cell++) {
            segment.spElement(cell, "element " + cell);
            assertTrue(segment.casState(cell, null, CellState.BUFFERED), "cell " + cell);
        }
        Object[] slots = slots(segment);
        assertEquals(8 * Segment.SIZE, slots.length);
        for (int i = 0; i < slots.length; i++) {
            int cell = i / 8;
            Object expected = switch (i % 8) {
                case 0 -> "element " + cell;
                case 1 -> CellState.BUFFERED;
                default -> null; // other segments' lanes ("Shared slots"): none here
            };
            assertEquals(expected, slots[i], "slot " + i);
        }
        segment.spElement(0, null);
        segment.svState(0, CellState.DONE);
        assertNull(segment.lpElement(0));
        assertSame(CellState.DONE, segment.lvState(0));
        for (int cell = 1; cell < Segment.SIZE; cell++) {
            assertEquals("element " + cell, segment.lpElement(cell));
            assertSame(CellState.BUFFERED, segment.lvState(cell));
        }
    }

    @Test
    void cells_ofAPackedSegment_sitTwoReferencesApart() throws Exception {
        Segment segment = new Segment(0, null, 2, Segment.PACKED, true);
        for (int cell = 0; cell < Segment.SIZE; cell++) {
            segment.spElement(cell, "element " + cell);
            segment.svState(cell, CellState.BUFFERED);
        }
        Object[] slots = slots(segment);
        assertEquals(2 * Segment.SIZE, slots.length);
        for (int cell = 0; cell < Segment.SIZE; cell++) {
            assertEquals("element " + cell, slots[2 * cell]);
            assertSame(CellState.BUFFERED, slots[2 * cell + 1]);
        }
    }

    @Test
    void find_afterSpreadSegments_sharesTheirSlotsFourSegmentsToAnArray() {
        assumeTrue(Segment.SPREAD_CELLS, "spreading is off: every appended segment is packed");
        Segment first = new Segment(0, null, 2, Segment.SPREAD, true);
        Segment previous = first;
        for (long id = 1; id < 9; id++) {
            Segment current = Segment.find(first, id);
            assertEquals(Segment.SPREAD, current.cellShift(), "segment " + id);
            int lane = (int) (id % 4) * 2;
            assertEquals(lane, current.lane(), "segment " + id);
            assertEquals(lane != 0, current.sharesSlotsWith(previous), "segment " + id);
            previous = current;
        }
    }

    @Test
    void find_afterAPackedSegment_givesASpreadOneItsOwnSlots() {
        assumeTrue(Segment.SPREAD_CELLS, "spreading is off: every appended segment is packed");
        Segment first = new Segment(0, null, 2, Segment.PACKED, true);
        Segment second = Segment.find(first, 1);
        assertEquals(Segment.SPREAD, second.cellShift());
        assertEquals(0, second.lane());
        assertFalse(second.sharesSlotsWith(first));
    }

    @Test
    void cells_ofSpreadSegmentsSharingSlots_keepToTheirOwnLanes() throws Exception {
        Segment[] segments = new Segment[4];
        segments[0] = new Segment(0, null, 2, Segment.SPREAD, true);
        for (int k = 1; k < 4; k++) { // built directly, so that this holds with spreading off too
            segments[k] = new Segment(k, segments[k - 1], 0, Segment.SPREAD, true);
        }
        CellState[] states = {
            CellState.BUFFERED, CellState.DONE, CellState.SENDER, CellState.PERMIT};
        for (int k = 0; k < 4; k++) {
            for (int cell = 0; cell < Segment.SIZE; cell++) {
                segments[k].spElement(cell, k + "/" + cell);
                assertTrue(segments[k].casState(cell, null, states[k]), k + "/" + cell);
            }
        }
        Object[] slots = slots(segments[0]);
        assertEquals(8 * Segment.SIZE, slots.length);
        for (int i = 0; i < slots.length; i++) {
            int cell = i / 8;
            int k = i % 8 / 2;
            Object expected = i % 2 == 0 ? k + "/" + cell : states[k];
            assertEquals(expected, slots[i], "slot " + i);
        }
        for (int k = 0; k < 4; k++) {
            assertSame(slots, slots(segments[k]), "segment " + k);
            for (int cell = 0; cell < Segment.SIZE; cell++) {
                assertEquals(k + "/" + cell, segments[k].lpElement(cell));
                assertSame(states[k], segments[k].lvState(cell));
            }
        }
    }

    @Test
    void rendezvous_receiverParkedForEveryElement_packsTheSegmentsAfterTheFirst() throws Exception {
        Channel<Integer> channel = Channel.rendezvous("rv");
        CellChannel<Integer> cells = (DefaultChannel<Integer>) channel;
        assertEquals(Segment.PACKED, WhiteBox.receiveSegment(cells).cellShift(), "first segment");
        assertPackedWhileReceiversPark(channel, channel::receive, "receive"); // parked in its cell
    }

    @Test
    void rendezvous_selectParkedForEveryElement_packsTheSegmentsAfterTheFirst() throws Exception {
        Channel<Integer> channel = Channel.rendezvous("rv");
        assertPackedWhileReceiversPark(channel, () -> { // parks in its registration's cell
            Selection selection = Selection.create();
            selection.addReceive(channel, false);
            selection.begin();
            assertEquals(0, selection.await(new int[] {0}, Selection.NO_DEADLINE));
            return selection.received();
        }, "select");
    }

    /**
     * Sends 2 SIZE + 1 elements, each to a {@code receive} started first and blocked, and checks
     * that the receivers' segment is packed after every element and that the last is past the
     * second segment.
     */
    private static void assertPackedWhileReceiversPark(
            Channel<Integer> channel, Callable<Object> receive, String what) throws Exception {
        CellChannel<Integer> cells = (DefaultChannel<Integer>) channel;
        int count = 2 * Segment.SIZE + 1;
        for (int i = 0; i < count; i++) {
            Async<Object> receiver = Async.startBlocked(receive);
            channel.send(i);
            assertEquals(i, receiver.join());
            Segment current = WhiteBox.receiveSegment(cells);
            assertEquals(Segment.PACKED, current.cellShift(), () -> "after element " + current);
        }
        Segment last = WhiteBox.receiveSegment(cells);
        assertTrue(last.id >= 2, () -> "the last " + what + "'s segment, " + last);
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
            assertEquals(Segment.PACKED, last.cellShift(), channel::toString);
        }
    }

    private static Object[] slots(Segment segment) throws Exception {
        Field slots = Segment.class.getDeclaredField("slots");
        slots.setAccessible(true);
        return (Object[]) slots.get(segment);
    }
}
