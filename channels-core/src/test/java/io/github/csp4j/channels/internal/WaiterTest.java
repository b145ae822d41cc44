package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Waiter's race between a peer that settles it and an interrupt, and its deadlines, on the test's
 * own platform thread: the peer's settle is played by a poll that hides a result already there.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class WaiterTest {
    /** No spin, no yield: a platform thread goes straight to its park loop. */
    private static final Waiter.WaitPolicy PARK_AT_ONCE = new Waiter.WaitPolicy(0, 0, 0, 0, 0);

    /**
     * A peer settled the waiter between the owner's last poll and its interrupt check, and an
     * interrupt came too: the peer won, so await returns its value with the interrupt status
     * set, and the waiter stays settled with it (a cancel now would lose what the peer handed).
     */
    @Test
    void await_settledByAPeerJustBeforeAnInterrupt_returnsTheValueWithTheStatusSet() {
        Waiter waiter = new PublishedWaiter(false, "x") {
            private boolean hidden = true;

            @Override
            Object poll() {
                if (hidden) { // the owner's poll ran before the peer's settle
                    hidden = false;
                    Thread.currentThread().interrupt(); // and the interrupt came after both
                    return null;
                }
                return super.poll();
            }
        };
        try {
            Object value = waiter.await(Waiter.NO_DEADLINE, PARK_AT_ONCE, waiter);

            assertEquals("x", value);
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status was dropped");
            assertFalse(waiter.tryCancel(Signal.TIMED_OUT), "the peer's value is final");
            assertEquals("x", waiter.poll());
        } finally {
            Thread.interrupted(); // clears the status for the next test
        }
    }

    @Test
    void deadline_ofTheLongestTimeout_isNoDeadline_ofAnyOther_isNot() {
        assertEquals(Waiter.NO_DEADLINE, Waiter.deadline(Long.MAX_VALUE));
        assertNotEquals(Waiter.NO_DEADLINE, Waiter.deadline(Long.MAX_VALUE - 1));
        assertNotEquals(Waiter.NO_DEADLINE, Waiter.deadline(1));
    }
}
