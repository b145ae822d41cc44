package io.github.csp4j.channels;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A call running in its own virtual thread, for tests that need one thread blocked in a channel
 * operation while another acts. Waiting here is by thread state and latches, never by sleeping.
 *
 * @param <T> the call's result type
 */
final class Async<T> {
    /** Upper bound for any wait in a test; a correct program never comes near it. */
    static final Duration PATIENCE = Duration.ofSeconds(20);

    private final Thread thread;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile T result;
    private volatile Throwable failure;
    private volatile boolean interruptedAtEnd;

    private Async(Callable<? extends T> call) {
        this.thread = Thread.ofVirtual().unstarted(() -> {
            try {
                result = call.call();
            } catch (Throwable t) {
                failure = t;
            } finally {
                interruptedAtEnd = Thread.currentThread().isInterrupted();
                done.countDown();
            }
        });
    }

    /** Starts {@code call} in a new virtual thread. */
    static <T> Async<T> start(Callable<? extends T> call) {
        Async<T> async = new Async<>(call);
        async.thread.start();
        return async;
    }

    /** Starts {@code run} in a new virtual thread; its result is {@code null}. */
    static Async<Void> run(ThrowingRunnable run) {
        return start(() -> {
            run.run();
            return null;
        });
    }

    /** A runnable that may throw anything, like the body of a test thread. */
    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    Thread thread() {
        return thread;
    }

    /**
     * Waits until the thread is parked (state {@code WAITING} or {@code TIMED_WAITING}), which in
     * these tests means it is blocked inside the channel operation under test.
     */
    Async<T> awaitBlocked() {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            Thread.State state = thread.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
                return this;
            }
            if (done.getCount() == 0) {
                fail("expected the call to block, but it ended with "
                        + (failure != null ? failure : "result " + result));
            }
            if (System.nanoTime() > deadline) {
                fail("the call did not block within " + PATIENCE + "; state " + state);
            }
            LockSupport.parkNanos(50_000);
        }
    }

    /** {@return whether the call has ended} */
    boolean isDone() {
        return done.getCount() == 0;
    }

    /** Interrupts the thread running the call. */
    void interrupt() {
        thread.interrupt();
    }

    /** Waits for the call to end and returns its result, failing the test if it threw. */
    T join() {
        awaitEnd();
        if (failure != null) {
            throw new AssertionError("the call failed", failure);
        }
        return result;
    }

    /** Waits for the call to end and returns what it threw, failing the test if it returned. */
    Throwable joinFailure() {
        awaitEnd();
        if (failure == null) {
            fail("expected the call to throw, but it returned " + result);
        }
        return failure;
    }

    /** {@return whether the thread's interrupt status was set when the call ended} */
    boolean interruptedAtEnd() {
        awaitEnd();
        return interruptedAtEnd;
    }

    private void awaitEnd() {
        try {
            if (!done.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("the call did not end within " + PATIENCE + "; stack: "
                        + java.util.Arrays.toString(thread.getStackTrace()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the call", e);
        }
    }
}
