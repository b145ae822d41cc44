package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.testing.Async;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Carriers#quiet()}, the signal that lets a waiting virtual thread spin: it finds the
 * virtual-thread scheduler (else it would answer false forever and nothing would spin), and it
 * answers false while a virtual thread waits for a carrier.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CarriersTest {

    @Test
    void quiet_askedByAVirtualThread_findsTheSchedulerAndIsTrueOnceNothingIsQueued() {
        assertTrue(Async.start(CarriersTest::becomesQuiet).join(),
                "never quiet within " + Async.PATIENCE + ": the scheduler was not found, or something stays queued");
    }

    @Test
    void quiet_whileAVirtualThreadWaitsForACarrier_isFalse_andTrueAgainOnceItRan() throws InterruptedException {
        assertTrue(Async.start(CarriersTest::becomesQuiet).join(), "precondition: the scheduler is known");
        AtomicBoolean ran = new AtomicBoolean();
        Thread queued;
        Async.CarrierHold hold = Async.holdAllCarriers();
        try {
            queued = Thread.ofVirtual().start(() -> ran.set(true)); // no carrier is free: it waits in a queue

            assertFalse(Carriers.quiet(), "a virtual thread is queued");
            assertFalse(ran.get(), "precondition: it could not run yet");
        } finally {
            hold.release();
        }
        queued.join();
        assertTrue(becomesQuiet());
    }

    /** {@return whether {@link Carriers#quiet()} answered true within {@link Async#PATIENCE}} */
    private static boolean becomesQuiet() {
        long deadline = System.nanoTime() + Async.PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (Carriers.quiet()) {
                return true;
            }
            Thread.yield(); // lets what is queued run, even on a single carrier
        }
        return false;
    }
}
