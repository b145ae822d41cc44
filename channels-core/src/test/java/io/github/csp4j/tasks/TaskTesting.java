package io.github.csp4j.tasks;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.testing.Async;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waits shared by the task-scope tests: no sleeps, only interrupts and yields. */
final class TaskTesting {
    private TaskTesting() {}

    /** Blocks until interrupted: receives from a channel nobody sends to. */
    static <T> T blockUntilCancelled() throws InterruptedException {
        Channel<T> never = Channel.rendezvous("never");
        return never.receive();
    }

    /**
     * Waits, without sleeping, until {@code condition} holds, yielding between checks; fails after
     * {@link Async#PATIENCE}. It ignores the interrupt: tasks wait here for their scope's
     * cancellation, whose interrupt may come before the condition holds.
     */
    static void awaitUntil(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Async.PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + Async.PATIENCE + ": " + what);
            }
            Thread.yield(); // a virtual caller lets the thread it waits for run, even on one carrier
        }
    }

    /** {@return whether {@code owner} is parked in its scope's join} */
    static boolean parkedInJoin(Thread owner) {
        return Async.parkedIn(owner, "io.github.csp4j.tasks.internal.DefaultTaskScope", "join");
    }

    /** {@return whether a task's {@code thread} is parked waiting for its scope's permit} */
    static boolean parkedForPermit(Thread thread) {
        return Async.parkedIn(thread, "java.util.concurrent.Semaphore", "acquire");
    }

    /**
     * Waits for {@code latch}, which {@code task} counts down, failing after {@link Async#PATIENCE}
     * with the task's state, so that a failure in the task does not wait for the test's timeout.
     */
    static void awaitFrom(Task<?> task, CountDownLatch latch) throws InterruptedException {
        if (!latch.await(Async.PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("not within " + Async.PATIENCE + ": " + task
                    + (task.exception() != null ? " " + task.exception() : ""));
        }
    }

    /**
     * Waits for {@code release} through any interrupts (its scope's cancellation): a task that
     * outlives its cancellation until the test lets it end. {@return null}
     */
    static Object awaitIgnoringInterrupts(CountDownLatch release) {
        return awaitIgnoringInterrupts(release, new CountDownLatch(1));
    }

    /**
     * As {@link #awaitIgnoringInterrupts(CountDownLatch)}, counting {@code interrupted} down at each
     * interrupt, so that the test knows the cancellation reached the task. {@return null}
     */
    static Object awaitIgnoringInterrupts(CountDownLatch release, CountDownLatch interrupted) {
        while (true) {
            try {
                release.await();
                return null;
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        }
    }
}
