package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.testing.Async;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A plain rendezvous wait spins before its CellWaiter exists (CellChannel.awaitHandoff), so that a
 * wait the spin answers allocates nothing: while the scheduler is quiet (CellWaiter.quietSpin), or,
 * if it is not and the channel's busy-spin state asks for one, its busy spin (CellWaiter.busySpin).
 * Only then does it make its waiter and call Waiter.await, telling it that the quiet spin was made
 * (QUIET_SPUN: on to its yields, if any), that the busy spin was made and missed (BUSY_SPUN: the
 * same, recorded as a miss), or that the scheduler was not quiet and no busy spin was made
 * (NOT_QUIET: the same, recorded as left out; await makes no busy spin). The halves are tested
 * here; which of them awaitHandoff takes depends on whether the scheduler is quiet, which a test
 * cannot set, so that choice is covered only by the channel tests that run through it. What the
 * allocation saved is measured by TransferBenchmark and PingPongBenchmark with -prof gc
 * (benchmarks/RESULTS.md), not asserted here.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SpinsBeforeWaiterTest {
    /** Quiet spins, busy spins and one yield: every stage that the caller's finding picks from. */
    private static final Waiter.WaitPolicy EVERY_STAGE = new Waiter.WaitPolicy(128, 16, 0, 1, 0);

    /** EVERY_STAGE without its yield. */
    private static final Waiter.WaitPolicy NO_YIELD = EVERY_STAGE.withYields(0);

    @Test
    void await_afterTheCallersQuietSpin_goesStraightToItsYield() throws Exception {
        Waiter waiter = awaitSettled(Thread.ofVirtual(), EVERY_STAGE, Waiter.QUIET_SPUN);

        assertEquals(Waiter.BUSY_NONE, waiter.busy(), "no busy stage after a quiet spin");
        assertEquals(Waiter.ENDED_IN_YIELD, waiter.ended(), "no second quiet spin: the yield read the answer");
    }

    @Test
    void await_afterTheCallerFoundTheSchedulerNotQuiet_makesNoBusySpin_andGoesStraightToItsYield() throws Exception {
        Waiter waiter = awaitSettled(Thread.ofVirtual(), EVERY_STAGE, Waiter.NOT_QUIET);

        assertEquals(Waiter.BUSY_LEFT_OUT, waiter.busy(), "the caller's finding stands: await did not ask again");
        assertEquals(Waiter.ENDED_IN_YIELD, waiter.ended(), "no busy spin in await: the yield read the answer");
    }

    @Test
    void await_afterTheCallersBusySpin_countsAMiss_andGoesStraightToItsYield() throws Exception {
        Waiter waiter = awaitSettled(Thread.ofVirtual(), EVERY_STAGE, Waiter.BUSY_SPUN);

        assertEquals(Waiter.BUSY_MISS, waiter.busy(), "the caller's spin missed: that teaches the channel");
        assertEquals(Waiter.ENDED_IN_YIELD, waiter.ended(), "no second busy spin: the yield read the answer");
    }

    @Test
    void await_afterTheCallersQuietSpin_withoutAYield_goesStraightToItsPark() throws Exception {
        Waiter waiter = awaitSettled(Thread.ofVirtual(), NO_YIELD, Waiter.QUIET_SPUN);

        assertEquals(Waiter.BUSY_NONE, waiter.busy());
        assertEquals(Waiter.ENDED_PARKING, waiter.ended(), "it read the answer before its first park");
    }

    @Test
    void await_onAPlatformThread_afterTheCallersFinding_neitherSpinsWhileQuietNorBusySpins() throws Exception {
        Waiter waiter = awaitSettled(Thread.ofPlatform(), EVERY_STAGE, Waiter.NOT_QUIET);

        assertEquals(Waiter.BUSY_NONE, waiter.busy());
        assertEquals(Waiter.ENDED_PARKING, waiter.ended(), "no yield: it read the answer before a park");
    }

    @Test
    void quietSpin_receiverWhoseSenderHandedOver_returnsTheElement() {
        Segment segment = segment();
        segment.svState(0, CellState.RECEIVER);
        assertTrue(CellReceiver.handOver(segment, 0, CellState.RECEIVER, "x"));

        assertEquals("x", CellWaiter.quietSpin(segment, 0, false, Waiter.NO_DEADLINE));
    }

    @Test
    void quietSpin_receiverWhoseCellWasClosed_returnsClosed() {
        Segment segment = segment();
        segment.svState(0, CellState.CLOSED);

        assertSame(Signal.CLOSED, CellWaiter.quietSpin(segment, 0, false, Waiter.NO_DEADLINE));
    }

    @Test
    void quietSpin_senderWhoseElementWasTaken_returnsTaken() {
        Segment segment = senderWaitingInCell0();
        assertTrue(CellSender.take(segment, 0, CellState.SENDER));

        assertSame(Signal.TAKEN, CellWaiter.quietSpin(segment, 0, true, Waiter.NO_DEADLINE));
    }

    @Test
    void quietSpin_senderFailedByClose_returnsClosed() {
        Segment segment = senderWaitingInCell0();
        assertTrue(CellSender.close(segment, 0, CellState.SENDER));

        assertSame(Signal.CLOSED, CellWaiter.quietSpin(segment, 0, true, Waiter.NO_DEADLINE));
    }

    @Test
    void quietSpin_noAnswerWithinItsSpins_returnsNull_andLeavesTheCellWaiting() {
        Segment receiving = segment();
        receiving.svState(0, CellState.RECEIVER);
        Segment sending = senderWaitingInCell0();

        // On a virtual thread, as in a channel: the spin asks Carriers.quiet() every 64 spins.
        Async.run(() -> {
            assertNull(CellWaiter.quietSpin(receiving, 0, false, Waiter.NO_DEADLINE));
            assertNull(CellWaiter.quietSpin(sending, 0, true, Waiter.NO_DEADLINE));
        }).join();
        assertSame(CellState.RECEIVER, receiving.lvState(0), "the caller makes its waiter from there");
        assertSame(CellState.SENDER, sending.lvState(0));
    }

    @Test
    void busySpin_receiverWhoseSenderHandedOver_returnsTheElement_andOneWhoseCellWasClosed_returnsClosed() {
        Segment segment = segment();
        segment.svState(0, CellState.RECEIVER);
        assertTrue(CellReceiver.handOver(segment, 0, CellState.RECEIVER, "x"));
        Segment closed = segment();
        closed.svState(0, CellState.CLOSED);

        assertEquals("x", CellWaiter.busySpin(segment, 0, false, Waiter.NO_DEADLINE, 16));
        assertSame(Signal.CLOSED, CellWaiter.busySpin(closed, 0, false, Waiter.NO_DEADLINE, 16));
    }

    @Test
    void busySpin_senderWhoseElementWasTaken_returnsTaken_andOneFailedByClose_returnsClosed() {
        Segment taken = senderWaitingInCell0();
        assertTrue(CellSender.take(taken, 0, CellState.SENDER));
        Segment closed = senderWaitingInCell0();
        assertTrue(CellSender.close(closed, 0, CellState.SENDER));

        assertSame(Signal.TAKEN, CellWaiter.busySpin(taken, 0, true, Waiter.NO_DEADLINE, 16));
        assertSame(Signal.CLOSED, CellWaiter.busySpin(closed, 0, true, Waiter.NO_DEADLINE, 16));
    }

    @Test
    // Its own thread for the timeout: a spin past its deadline check would not see an interrupt.
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void busySpin_noAnswerWithinItsSpins_orNearItsDeadline_returnsNull_andLeavesTheCellWaiting() {
        Segment receiving = segment();
        receiving.svState(0, CellState.RECEIVER);
        Segment sending = senderWaitingInCell0();

        assertNull(CellWaiter.busySpin(receiving, 0, false, Waiter.NO_DEADLINE, 16));
        assertNull(CellWaiter.busySpin(sending, 0, true, Waiter.deadline(0), Integer.MAX_VALUE),
                "a deadline within PARK_MARGIN ends the spin after its first poll");
        assertSame(CellState.RECEIVER, receiving.lvState(0), "the caller makes its waiter from there");
        assertSame(CellState.SENDER, sending.lvState(0));
    }

    @Test
    void quietSpinEnds_onlyAtItsChecks_andAtTheFirstCheckPastADeadline() {
        boolean[] ends = Async.start(() -> new boolean[] {
            Waiter.quietSpinEnds(Waiter.QUIET_CHECK_MASK, true, Waiter.deadline(0)),
            Waiter.quietSpinEnds(Waiter.QUIET_CHECK_MASK + 1, true, Waiter.deadline(0))
        }).join();

        assertFalse(ends[0], "the spin before a check goes on, whatever the deadline");
        assertTrue(ends[1], "a check past the deadline ends the spin");
    }

    /**
     * {@return a waiter, settled with "x" from the start, after its await() with {@code policy}
     * and the caller's finding {@code callerFound}, on a thread of {@code builder}} await() must
     * return "x".
     */
    private static Waiter awaitSettled(Thread.Builder builder, Waiter.WaitPolicy policy, byte callerFound)
            throws Exception {
        Waiter[] waiter = new Waiter[1];
        Object[] result = new Object[1];
        Thread thread = builder.start(() -> {
            waiter[0] = new PublishedWaiter(false, "x");
            result[0] = waiter[0].await(Waiter.NO_DEADLINE, policy, waiter[0], callerFound);
        });
        thread.join();
        assertEquals("x", result[0]);
        return waiter[0];
    }

    private static Segment segment() {
        return new Segment(0, null, 2, Segment.PACKED, true);
    }

    /** A segment whose cell 0 holds a plain rendezvous sender's element "x", waiting as SENDER. */
    private static Segment senderWaitingInCell0() {
        Segment segment = segment();
        segment.spElement(0, "x");
        segment.svState(0, CellState.SENDER);
        return segment;
    }
}
