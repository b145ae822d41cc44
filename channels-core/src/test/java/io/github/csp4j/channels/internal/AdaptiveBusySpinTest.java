package io.github.csp4j.channels.internal;

import static io.github.csp4j.channels.internal.CellChannel.BUSY_HIT_LIMIT;
import static io.github.csp4j.channels.internal.CellChannel.BUSY_MISS_LIMIT;
import static io.github.csp4j.channels.internal.CellChannel.BUSY_RETRY_FIRST;
import static io.github.csp4j.channels.internal.CellChannel.BUSY_RETRY_MAX;
import static io.github.csp4j.channels.internal.CellChannel.busySpinsNext;
import static io.github.csp4j.channels.internal.CellChannel.nextBusySpinState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.testing.Async;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The busy spin of rendezvous waits: CellChannel.busySpinFirst (a plain rendezvous party on a
 * virtual thread spins on its cell while the scheduler has work queued, before its waiter exists
 * and before its yield; Waiter.await makes none), and the per-channel state that decides whether a
 * wait takes it (CellChannel.awaitHandoff, nextBusySpinState): BUSY_MISS_LIMIT misses in a row
 * leave it out for a period that doubles with every retry that misses, a retry that hits brings it
 * back (the retries picked by the wait's ticket, so that the waits between them write nothing),
 * and after BUSY_HIT_LIMIT hits in a row one wait goes without it, so that the threads
 * queued for its carrier run. That busy spins pay is measured by TransferBenchmark's
 * rendezvous-4P4C and RingBenchmark (benchmarks/RESULTS.md), not asserted here; that a stream of
 * busy-spun handoffs lets a queued virtual thread run is ChannelStarvationTest's.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AdaptiveBusySpinTest {
    /** A policy with busy spins and no quiet spins, yields or spins after them. */
    private static final Waiter.WaitPolicy BUSY_ONLY = new Waiter.WaitPolicy(0, 16, 0, 0, 0);

    @Test
    void aFreshChannel_busySpins() {
        assertTrue(busySpinsNext(0, 0));
        assertTrue(busySpinsNext(0, 8));
    }

    @Test
    void hitsInARow_upToTheLimit_thenOneWaitGoesWithout_andTheNextSpinsAgain() {
        int state = 0;
        for (int hits = 0; hits < BUSY_HIT_LIMIT; hits++) {
            assertTrue(busySpinsNext(state, hits), "after " + hits + " hits");
            state = nextBusySpinState(state, Waiter.BUSY_HIT);
        }

        assertFalse(busySpinsNext(state, 0), "after " + BUSY_HIT_LIMIT + " hits in a row, whatever the ticket");
        assertFalse(busySpinsNext(state, 8));
        assertTrue(CellChannel.queuedThreadsTurn(state), "the next wait yields");
        assertEquals(state, nextBusySpinState(state, Waiter.BUSY_NONE), "a quiet wait is not the queued threads' turn");
        state = nextBusySpinState(state, Waiter.BUSY_LEFT_OUT);
        assertTrue(busySpinsNext(state, BUSY_HIT_LIMIT), "after the wait that let the queued threads run");
        assertFalse(CellChannel.queuedThreadsTurn(state));
        assertEquals(0, state);
    }

    @Test
    void theQueuedThreadsTurn_comesOnlyAfterTheRunOfHits_notWhileSpinsAreLeftOut() {
        assertFalse(CellChannel.queuedThreadsTurn(0));
        assertFalse(CellChannel.queuedThreadsTurn(nextBusySpinState(0, Waiter.BUSY_HIT)));
        assertFalse(CellChannel.queuedThreadsTurn(CellChannel.busyState(BUSY_RETRY_FIRST)));
    }

    @Test
    void aWaitWithoutABusySpin_whileSpinsAreLeftOut_changesNothing() {
        int state = CellChannel.busyState(BUSY_RETRY_FIRST);

        assertEquals(state, nextBusySpinState(state, Waiter.BUSY_NONE), "a quiet wait");
        assertEquals(state, nextBusySpinState(state, Waiter.BUSY_LEFT_OUT), "a wait that left the spin out");
    }

    @Test
    void whileSpinsAreLeftOut_theWaitsThatRetry_areThoseTheTicketPicks() {
        for (int period = BUSY_RETRY_FIRST; period <= BUSY_RETRY_MAX; period *= 2) {
            int state = CellChannel.busyState(period);
            for (long ticket = 0; ticket < 4 * BUSY_RETRY_MAX; ticket++) {
                assertEquals(CellChannel.retryDue(ticket, period), busySpinsNext(state, ticket),
                        "period " + period + ", ticket " + ticket);
            }
        }
    }

    @Test
    void aWaitWithoutABusySpin_whileSpinsAreOn_changesNothing() {
        int afterAHit = nextBusySpinState(0, Waiter.BUSY_HIT);
        assertEquals(afterAHit, nextBusySpinState(afterAHit, Waiter.BUSY_NONE));
        int afterAMiss = nextBusySpinState(0, Waiter.BUSY_MISS);
        assertEquals(afterAMiss, nextBusySpinState(afterAMiss, Waiter.BUSY_NONE));
    }

    @Test
    void aHit_endsTheRunOfMisses_andAMiss_endsTheRunOfHits() {
        int state = 0;
        for (int round = 0; round < 10; round++) {
            for (int misses = 1; misses < BUSY_MISS_LIMIT; misses++) {
                state = nextBusySpinState(state, Waiter.BUSY_MISS);
            }
            assertTrue(busySpinsNext(state, round), "one miss short of the limit, round " + round);
            state = nextBusySpinState(state, Waiter.BUSY_HIT);
        }
        assertTrue(busySpinsNext(state, 0));

        for (int hits = 1; hits < BUSY_HIT_LIMIT; hits++) {
            state = nextBusySpinState(state, Waiter.BUSY_HIT);
        }
        state = nextBusySpinState(state, Waiter.BUSY_MISS);
        state = nextBusySpinState(state, Waiter.BUSY_HIT);
        assertTrue(busySpinsNext(state, 0), "the miss started the run of hits again");
    }

    @Test
    void missesInARow_leaveSpinsOut_andEachRetryThatMisses_doublesThePeriod_upToTheMaximum() {
        int state = 0;
        long ticket = 0;
        for (int misses = 0; misses < BUSY_MISS_LIMIT; misses++) {
            assertTrue(busySpinsNext(state, ticket++));
            state = nextBusySpinState(state, Waiter.BUSY_MISS);
        }
        List<Integer> periods = new ArrayList<>();
        for (int retry = 0; retry < 12; retry++) {
            periods.add(state);
            long waits = 0;
            while (!busySpinsNext(state, ticket++)) {
                state = nextBusySpinState(state, Waiter.BUSY_LEFT_OUT);
                if (++waits > 16L * BUSY_RETRY_MAX) {
                    fail("no retry within " + 16 * BUSY_RETRY_MAX + " waits");
                }
            }
            state = nextBusySpinState(state, Waiter.BUSY_MISS);
        }

        List<Integer> expected = new ArrayList<>();
        for (int period = BUSY_RETRY_FIRST; expected.size() < periods.size(); period = Math.min(period * 2, BUSY_RETRY_MAX)) {
            expected.add(CellChannel.busyState(period));
        }
        assertEquals(expected, periods);
    }

    @Test
    void aRetryThatHits_makesEveryWaitSpinAgain() {
        int state = 0;
        for (int misses = 0; misses < BUSY_MISS_LIMIT; misses++) {
            state = nextBusySpinState(state, Waiter.BUSY_MISS);
        }
        for (long ticket = 1; !busySpinsNext(state, ticket); ticket++) {
            state = nextBusySpinState(state, Waiter.BUSY_LEFT_OUT);
        }

        state = nextBusySpinState(state, Waiter.BUSY_HIT);

        assertEquals(0, state);
    }

    @Test
    void aRetryWaitThatDidNotBusySpin_leavesTheRetryToALaterOne() {
        int state = CellChannel.busyState(BUSY_RETRY_FIRST);
        assertTrue(busySpinsNext(state, 7), "ticket 7 retries with period 8 (AdaptiveYieldTest)");

        int after = nextBusySpinState(state, Waiter.BUSY_NONE); // it took the quiet spin instead

        assertEquals(state, after);
    }

    @Test
    void busySpinFirst_answerThere_isAHit_countedByTheChannel_andTheWaitIsSlow() throws Exception {
        CellChannel<String> cells = (DefaultChannel<String>) Channel.<String>rendezvous("hits");
        Segment segment = adaptiveSegment();
        segment.svState(0, CellState.RECEIVER);
        assertTrue(CellReceiver.handOver(segment, 0, CellState.RECEIVER, "x"));

        assertEquals("x", cells.busySpinFirst(segment, 0, false, Waiter.NO_DEADLINE, 16, cells.busySpinState()));

        assertEquals(nextBusySpinState(0, Waiter.BUSY_HIT), cells.busySpinState());
        assertTrue(slowWaitNoted(segment), "a hit found threads queued: the segment packs the next one");
    }

    @Test
    void busySpinFirst_noAnswer_changesNothing_andAwaitToldOfIt_recordsTheMiss() throws Exception {
        CellChannel<String> cells = (DefaultChannel<String>) Channel.<String>rendezvous("misses");
        Segment segment = adaptiveSegment();
        segment.svState(0, CellState.RECEIVER);

        assertNull(cells.busySpinFirst(segment, 0, false, Waiter.NO_DEADLINE, 16, cells.busySpinState()));

        assertEquals(0, cells.busySpinState(), "the miss is the waiter's to report");
        assertFalse(slowWaitNoted(segment));
        Waiter waiter = Async.start(() -> {
            Waiter alone = new PublishedWaiter(false);
            long deadline = Waiter.deadline(TimeUnit.MILLISECONDS.toNanos(1));
            assertEquals(Signal.TIMED_OUT, alone.await(deadline, BUSY_ONLY, alone, Waiter.BUSY_SPUN));
            return alone;
        }).join();
        assertEquals(Waiter.BUSY_MISS, waiter.busy());
        assertEquals(Waiter.ENDED_PARKING, waiter.ended(), "on to its park");
    }

    @Test
    void await_policyWithBusySpinsAndNoQuietSpins_makesNoBusySpin_andRecordsThatItLeftThemOut() {
        Waiter waiter = Async.start(() -> {
            Waiter settled = new PublishedWaiter(false, "x");
            assertEquals("x", settled.await(Waiter.NO_DEADLINE, BUSY_ONLY, settled));
            return settled;
        }).join();

        assertEquals(Waiter.BUSY_LEFT_OUT, waiter.busy(), "the busy spin is the caller's to make");
        assertEquals(Waiter.ENDED_PARKING, waiter.ended(), "no yield: it read the answer before a park");
    }

    @Test
    void await_policyWithoutBusySpins_schedulerNotAskedOrNotQuiet_recordsThatItLeftThemOut() {
        Waiter waiter = Async.start(() -> {
            Waiter settled = new PublishedWaiter(false, "x");
            assertEquals("x", settled.await(Waiter.NO_DEADLINE, new Waiter.WaitPolicy(0, 0, 0, 0, 0), settled));
            return settled;
        }).join();

        assertEquals(Waiter.BUSY_LEFT_OUT, waiter.busy());
    }

    @Test
    void await_onAPlatformThread_neverBusySpins() throws InterruptedException {
        Waiter[] waiter = new Waiter[1];
        Thread platform = Thread.ofPlatform().start(() -> {
            waiter[0] = new PublishedWaiter(false, "x");
            waiter[0].await(Waiter.NO_DEADLINE, BUSY_ONLY, waiter[0]);
        });
        platform.join();

        assertEquals(Waiter.BUSY_NONE, waiter[0].busy());
    }

    /** A segment whose slow waits are noted (noteSlowWait), as a channel's adaptive ones. */
    private static Segment adaptiveSegment() {
        return new Segment(0, null, 2, Segment.PACKED, true);
    }

    private static boolean slowWaitNoted(Segment segment) throws ReflectiveOperationException {
        Field slowWait = Segment.class.getDeclaredField("slowWait");
        slowWait.setAccessible(true);
        return slowWait.getBoolean(segment);
    }

    @Test
    void aTimedOutWait_whoseSpinMissed_countsTheMiss() {
        Channel<String> channel = Channel.rendezvous("timeouts");
        CellChannel<String> cells = (DefaultChannel<String>) channel;

        Async.start(() -> channel.receive(Duration.ofMillis(1))).join();

        int after = cells.busySpinState();
        // A miss if the scheduler had threads queued when the receiver began to wait (it spun),
        // unchanged if it was quiet (the quiet spin instead): which, a test cannot set.
        assertTrue(after == nextBusySpinState(0, Waiter.BUSY_MISS) || after == 0, "state " + Integer.toHexString(after));
    }

    @Test
    void aChannelWithBusySpinsLeftOut_afterACompletedWaitThatDidNotRetry_staysAsItWas() throws Exception {
        Channel<String> channel = Channel.rendezvous("left-out");
        CellChannel<String> cells = (DefaultChannel<String>) channel;
        Field state = CellChannel.class.getDeclaredField("busySpinState");
        state.setAccessible(true);
        Async<String> first = Async.startBlocked(channel::receive); // takes receive ticket 0
        Async.run(() -> channel.send("first")).join();
        assertEquals("first", first.join());
        assertFalse(CellChannel.retryDue(1, BUSY_RETRY_MAX), "the next receive's ticket, 1, is no retry");
        int leftOut = CellChannel.busyState(BUSY_RETRY_MAX);
        state.setInt(cells, leftOut);

        Async<String> receiver = Async.startBlocked(channel::receive); // ticket 1: parked, without a busy spin
        Async.run(() -> channel.send("x")).join();

        assertEquals("x", receiver.join());
        // Whether the scheduler was quiet when it began to wait (the quiet spin) or not (the spin
        // left out), the wait wrote nothing. A smoke test: a lone receiver usually finds the
        // scheduler quiet, which leaves the state alone whatever the ticket; that the retries
        // are the tickets retryDue picks is whileSpinsAreLeftOut_theWaitsThatRetry_areThoseTheTicketPicks.
        assertEquals(leftOut, cells.busySpinState());
    }
}
