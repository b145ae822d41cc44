package io.github.csp4j.channels.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.testing.Async;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Carriers#quiet()}, the signal that lets a waiting virtual thread spin: it finds the
 * virtual-thread scheduler (else it would answer false forever and nothing would spin), and it
 * answers false while a virtual thread waits for a carrier.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CarriersTest {
    /** Virtual threads made to wait for a carrier. */
    private static final int QUEUED = 32;

    @Test
    void quiet_askedByAVirtualThread_findsTheSchedulerAndIsTrueOnceNothingIsQueued() {
        assertTrue(Async.start(CarriersTest::becomesQuiet).join(),
                "never quiet within " + Async.PATIENCE + ": the scheduler was not found, or something stays queued");
    }

    @Test
    void quiet_whileVirtualThreadsWaitForACarrier_isFalse_andTrueAgainOnceTheyRan() throws InterruptedException {
        assertTrue(Async.start(CarriersTest::becomesQuiet).join(), "precondition: the scheduler is known");
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> queued = new ArrayList<>();
        Async.CarrierHold hold = Async.holdAllCarriers();
        try {
            // More spinners than spare carriers the scheduler may have added beyond its
            // parallelism: whatever spare carriers take, the rest wait in a queue.
            for (int i = 0; i < QUEUED; i++) {
                queued.add(Thread.ofVirtual().start(() -> {
                    while (release.getCount() != 0) {
                        Thread.onSpinWait();
                    }
                }));
            }

            assertFalse(Carriers.quiet(), QUEUED + " virtual threads and no free carrier");
        } finally {
            release.countDown();
            hold.release();
        }
        for (Thread thread : queued) {
            thread.join();
        }
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
