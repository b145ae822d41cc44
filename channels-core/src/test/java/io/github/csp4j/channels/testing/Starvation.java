package io.github.csp4j.channels.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks that a loop of operations running on every carrier of the virtual-thread scheduler still
 * lets another virtual thread run: virtual threads are not preempted, so an operation that never
 * leaves its carrier starves everyone else.
 */
public final class Starvation {
    private Starvation() {}

    /**
     * Runs {@code iteration} in a loop in one virtual thread per carrier, waits until each loop
     * made 1,000 iterations (counted when {@code iteration} returns {@code true}), then starts one
     * more virtual thread, which stops the loops; fails if that thread or the loops do not end
     * within {@link Async#PATIENCE}.
     */
    public static void assertLoopsOnEveryCarrierLetOthersRun(Iteration iteration) {
        int carriers = Async.carriers();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong counted = new AtomicLong();
        List<Async<Void>> loops = new ArrayList<>();
        for (int i = 0; i < carriers; i++) {
            loops.add(Async.run(() -> {
                while (!stop.get()) {
                    if (iteration.run()) {
                        counted.incrementAndGet();
                    }
                }
            }));
        }
        try {
            awaitCount(counted, 1_000L * carriers, "iterations of the loops");
        } catch (AssertionError e) {
            stop.set(true);
            throw e;
        }

        Async<Void> other = Async.run(() -> stop.set(true)); // a virtual thread that needs a carrier

        other.join();
        loops.forEach(Async::join);
        assertTrue(stop.get());
    }

    /**
     * Spins until {@code counted} reaches {@code target}; fails after {@link Async#PATIENCE}. Call
     * it from a platform thread (such as the test's own), which runs whatever virtual threads do.
     */
    public static void awaitCount(AtomicLong counted, long target, String what) {
        long deadline = System.nanoTime() + Async.PATIENCE.toNanos();
        while (counted.get() < target) {
            if (System.nanoTime() - deadline > 0) {
                fail("only " + counted.get() + " of " + target + " " + what + " within " + Async.PATIENCE);
            }
            Thread.onSpinWait();
        }
    }

    /** One iteration of a loop; {@code true} counts it. */
    @FunctionalInterface
    public interface Iteration {
        boolean run() throws Exception;
    }
}
