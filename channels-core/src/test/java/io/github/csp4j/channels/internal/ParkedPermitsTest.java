package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * White-box, single-threaded: where a buffered channel's released permits go (PermitQueue,
 * "Parking"). A receiver parks its release beside R while no sender is owed one, and a sender
 * collects the parked permits when the pool looks empty; an owed sender announces itself, after
 * which a release is handed in at once; and a release parked between a sender's debt and its
 * announcement is collected by that sender's announcement. Each case replays one order of the
 * steps and checks the pool, the parked count and the announced count after every step.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ParkedPermitsTest {
    private final PermitQueue queue = new PermitQueue(1);
    private final Counters c = new Counters(1);

    @Test
    void release_withNobodyOwed_isParked_andCollectedByTheNextSenderThatFindsThePoolEmpty() {
        assertTrue(queue.acquireNow(c), "the one free permit");
        assertCounters(0, 0, 0);

        queue.release(c);
        assertCounters(0, 1, 0); // parked beside R; the pool is untouched

        assertTrue(queue.acquireNow(c), "the parked permit, collected");
        assertCounters(0, 0, 0);
    }

    @Test
    void tryAcquire_collectsParkedPermits_andNeverGoesIntoDebt() {
        assertTrue(queue.tryAcquire(c));
        assertFalse(queue.tryAcquire(c), "nothing free, nothing parked");
        assertCounters(0, 0, 0);

        queue.release(c);
        assertTrue(queue.tryAcquire(c), "the parked permit, collected");
        assertCounters(0, 0, 0);
    }

    @Test
    void owedSender_isAnnounced_soTheNextReleaseIsHandedInAndGrantsIt() {
        assertTrue(queue.acquireNow(c));
        assertFalse(queue.acquireNow(c), "owed");
        assertCounters(-1, 0, 1);
        PermitWaiter waiter = new PermitWaiter(true);
        assertTrue(queue.enqueue(waiter, c), "registered: no permit was left for it");
        assertNull(waiter.result());

        queue.release(c); // a receiver frees the slot

        assertSame(Signal.GRANTED, waiter.result(), "the release went straight to the owed sender");
        assertCounters(0, 0, 0);
    }

    @Test
    void releaseParkedBetweenADebtAndItsAnnouncement_isCollectedByTheAnnouncement() {
        assertTrue(queue.acquireNow(c));
        assertFalse(queue.takeOrOwe(c), "owed, not yet announced");
        assertCounters(-1, 0, 0);

        queue.release(c); // sees nobody announced: parks
        assertCounters(-1, 1, 0);

        queue.announceDebt(c); // collects it and serves the debt: a PERMIT for this sender's wait ticket
        assertCounters(0, 0, 1);
        assertFalse(queue.enqueue(new PermitWaiter(true), c), "the permit left for it is taken at once");
        assertCounters(0, 0, 0);
    }

    @Test
    void owedSenderThatLeaves_withdrawsItsAnnouncement_andThePermitGoesToThePool() {
        assertTrue(queue.acquireNow(c));
        assertFalse(queue.acquireNow(c));
        PermitWaiter waiter = new PermitWaiter(true);
        assertTrue(queue.enqueue(waiter, c));
        assertTrue(waiter.tryCancel(Signal.TIMED_OUT));
        queue.retire(waiter, c);
        assertCounters(-1, 0, 0); // its debt stands until a release passes its cell

        queue.release(c); // nobody announced: parked
        assertCounters(-1, 1, 0);
        assertTrue(queue.acquireNow(c), "collects it; the release it serves finds the leaver's cell and undoes its debt");
        assertCounters(0, 0, 0);
    }

    @Test
    void returnUnused_goesToThePoolDirectly() {
        assertTrue(queue.acquireNow(c));
        queue.returnUnused(c);
        assertCounters(1, 0, 0);
    }

    /**
     * A release that collects several parked permits serves several debts in a row. When the
     * first of them walks into a segment whose senders all left (removed from the list), it must
     * undo only the debt of the ticket it holds: undoing the whole segment at once also undid
     * debts the same release had claimed for its other permits, which then served tickets that
     * nobody owed and left PERMITs there for senders that had a free permit already (the mixed
     * soak's over-admission on a failed buffered(16) channel, 22 and 28 elements discarded).
     */
    @Test
    void releaseOfSeveralParkedPermits_pastARemovedSegment_servesOnlyTicketsThatAreOwed() {
        int capacity = 4;
        PermitQueue queue = new PermitQueue(capacity);
        Counters c = new Counters(capacity);
        for (int i = 0; i < capacity; i++) {
            assertTrue(queue.acquireNow(c), "free permit " + i);
        }
        int leavers = 3 * Segment.SIZE; // fills segments 0, 1 and 2; segment 1 is then removed
        for (int i = 0; i < leavers; i++) {
            assertFalse(queue.acquireNow(c), "owed " + i);
            PermitWaiter waiter = new PermitWaiter(true);
            assertTrue(queue.enqueue(waiter, c), "registered " + i);
            assertTrue(waiter.tryCancel(Signal.TIMED_OUT));
            queue.retire(waiter, c);
        }
        assertCounters(c, -leavers, 0, 0); // their debts stand until releases pass their cells
        for (int i = 0; i < capacity; i++) {
            queue.release(c); // nobody announced: parked
        }
        assertCounters(c, -leavers, capacity, 0);

        assertTrue(queue.acquireNow(c), "collects the parked permits; the serves undo every leaver's debt");

        assertCounters(c, capacity - 1, 0, 0);
        assertEquals("permits[capacity=4, waited=" + leavers + ", served=" + leavers + "]", queue.toString(),
                "one serve ticket per wait ticket, none ahead");
        for (int i = 1; i < capacity; i++) {
            assertTrue(queue.acquireNow(c), "free permit " + i + " of the collected ones");
        }
        assertFalse(queue.acquireNow(c), "the capacity is taken");
        assertTrue(queue.enqueue(new PermitWaiter(true), c), "no PERMIT was left ahead for this sender");
    }

    /**
     * A select's owner that collects parked permits while it places a later send clause on the
     * same channel can serve its own earlier registration, which it cannot complete while it
     * registers (SelectRound: a select never meets itself). The release treats that registration
     * like a sender that left: the permit goes back to the pool, and the later clause takes it.
     */
    @Test
    void selectOwnerCollecting_passesItsOwnEarlierRegistration_andItsLaterClauseTakesThePermit() {
        assertTrue(queue.acquireNow(c), "the buffer is full");
        SelectRound round = WhiteBox.registeringRound(2);
        SelectRound.Registration first = new SelectRound.Registration(round, 0, true, false, null);
        assertFalse(queue.acquireNow(c), "the first send clause is owed");
        assertTrue(queue.enqueue(first, c));
        assertCounters(-1, 0, 1);

        c.addParkedRelease(); // a receiver frees the slot; it has not yet read the announcement

        assertTrue(queue.acquireNow(c), "the later clause collects the permit, passes the first registration, and takes it");
        assertSame(Signal.REGISTERING, round.result(), "nothing completed the round: its owner still registers");
        assertEquals("permits[capacity=1, waited=1, served=1]", queue.toString(), "the first registration's ticket was served");
        assertCounters(0, 0, 1); // nothing left parked for the receiver; still announced until removed

        queue.retire(first, c); // the select completed with the later clause and removes the first
        assertCounters(0, 0, 0);
    }

    /**
     * A collection takes the parked permits and then adds them to the pool; in between they are in
     * neither counter. A tryAcquire that reads the pool and the parked count then must not refuse,
     * as the buffer has room: it waits for the collection to end (bounded by its spins).
     */
    @Test
    void tryAcquire_whileACollectionHoldsTheParkedPermits_waitsForIt_insteadOfRefusing() throws Exception {
        for (int round = 0; round < 200; round++) {
            PermitQueue queue = new PermitQueue(1);
            Counters c = new Counters(1);
            assertTrue(queue.acquireNow(c));
            queue.release(c); // parked: the buffer has room again
            c.startCollection(); // a sender collects, and has taken the parked permit
            long taken = c.takeParkedReleases();
            assertEquals(1, taken);
            assertFalse(queue.tryAcquire(c, 0), "with no spins allowed it gives up at once");

            CountDownLatch calling = new CountDownLatch(1);
            FutureTask<Boolean> trying = new FutureTask<>(() -> {
                calling.countDown();
                return queue.tryAcquire(c, Integer.MAX_VALUE);
            });
            Thread.ofVirtual().start(trying);
            calling.await();
            c.addPermits(taken); // the collector adds the permit to the pool and ends
            c.endCollection();

            assertTrue(trying.get(5, TimeUnit.SECONDS), "round " + round + ": it took the collected permit");
            assertCounters(c, 0, 0, 0);
        }
    }

    /**
     * A collection whose permit meets the debt of a sender that left (its Waiter settled, not yet
     * retired) has the permit back in the pool only once it undoes that debt. Until then the pool
     * reads empty and nothing is parked, so the collection must still count as in flight, or a
     * tryAcquire then refuses with room. It ended before serving its debts (found by review; the
     * fix: PermitQueue, "Collecting").
     */
    @Test
    void collectionThatMeetsADeadDebt_isInFlightUntilItHasUndoneIt() {
        boolean[] inFlight = owedSenderThatLeft();

        queue.release(c); // the leaver is still announced: handed in at once, a collection

        assertTrue(inFlight[0], "a collection in flight while the permit served the dead debt");
        assertCounters(1, 0, 1); // the permit is free again; the leaver retires next
    }

    /** The same for a permit returned unused (its element went straight to a receiver). */
    @Test
    void returnedPermitThatMeetsADeadDebt_countsAsACollectionUntilItHasUndoneIt() {
        boolean[] inFlight = owedSenderThatLeft();

        queue.returnUnused(c);

        assertTrue(inFlight[0], "a collection in flight while the permit served the dead debt");
        assertCounters(1, 0, 1);
    }

    /**
     * Takes the one permit and has a second sender owe one, register and time out, its Waiter
     * settled and not yet retired; {@return a flag set when a release tries to grant it, to
     * whether a collection was in flight then}
     */
    private boolean[] owedSenderThatLeft() {
        boolean[] inFlight = {false};
        assertTrue(queue.acquireNow(c));
        assertFalse(queue.acquireNow(c), "owed");
        PermitWaiter leaver = new PermitWaiter(true) {
            @Override
            boolean tryResume(Object value) {
                assertCounters(0, 0, 1); // the permit is claimed by this dead debt: the pool reads empty
                inFlight[0] = (c.collections() & Counters.COLLECTIONS_IN_FLIGHT) != 0;
                return super.tryResume(value);
            }
        };
        assertTrue(queue.enqueue(leaver, c));
        assertTrue(leaver.tryCancel(Signal.TIMED_OUT));
        assertCounters(-1, 0, 1);
        return inFlight;
    }

    private void assertCounters(long pool, long parked, long announced) {
        assertCounters(c, pool, parked, announced);
    }

    private static void assertCounters(Counters c, long pool, long parked, long announced) {
        assertEquals(pool, c.permits(), "free permits minus owed senders");
        assertEquals(parked, c.parkedReleases(), "parked releases");
        assertEquals(announced, c.permitWaiters(), "announced owed senders");
    }
}
