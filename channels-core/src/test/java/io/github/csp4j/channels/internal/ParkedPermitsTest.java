package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    private void assertCounters(long pool, long parked, long announced) {
        assertEquals(pool, c.permits(), "free permits minus owed senders");
        assertEquals(parked, c.parkedReleases(), "parked releases");
        assertEquals(announced, c.permitWaiters(), "announced owed senders");
    }
}
