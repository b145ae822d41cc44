package io.github.csp4j.channels.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A call running in its own virtual thread, for tests that need one thread blocked in a channel
 * operation while another acts. Waiting here is by thread state and latches, never by sleeping.
 *
 * @param <T> the call's result type
 */
public final class Async<T> {
    /** Upper bound for any wait in a test; a correct program never comes near it. */
    public static final Duration PATIENCE = Duration.ofSeconds(20);

    /** The class and method of the outsiders' turn, checked to exist when this class loads. */
    private static final String CARRIERS = "io.github.csp4j.channels.internal.Carriers";
    private static final String OUTSIDERS_TURN = "outsidersTurn";

    static {
        try {
            Class.forName(CARRIERS).getDeclaredMethod(OUTSIDERS_TURN);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("awaitBlocked looks for " + CARRIERS + "." + OUTSIDERS_TURN + ": " + e);
        }
    }

    private final Thread thread;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile T result;
    private volatile Throwable failure;
    private volatile boolean interruptedAtEnd;

    private Async(Callable<? extends T> call) {
        this(Thread.ofVirtual(), call);
    }

    private Async(Thread.Builder builder, Callable<? extends T> call) {
        this.thread = builder.unstarted(() -> {
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
    public static <T> Async<T> start(Callable<? extends T> call) {
        Async<T> async = new Async<>(call);
        async.thread.start();
        return async;
    }

    /** Starts {@code run} in a new virtual thread; its result is {@code null}. */
    public static Async<Void> run(ThrowingRunnable run) {
        return start(() -> {
            run.run();
            return null;
        });
    }

    /**
     * Starts {@code run} in a new platform thread; its result is {@code null}. For a party that
     * must keep running while {@link #holdAllCarriers()} keeps every virtual thread off its carrier.
     */
    public static Async<Void> runOnPlatformThread(ThrowingRunnable run) {
        Async<Void> async = new Async<>(Thread.ofPlatform().daemon(), () -> {
            run.run();
            return null;
        });
        async.thread.start();
        return async;
    }

    /**
     * Starts {@code call} in a new virtual thread named {@code name} and waits until it is
     * blocked, as {@link #awaitBlocked()}.
     */
    public static <T> Async<T> startBlocked(String name, Callable<? extends T> call) {
        Async<T> async = new Async<>(Thread.ofVirtual().name(name), call);
        async.thread.start();
        return async.awaitBlocked();
    }

    /**
     * {@return {@code thread} as a channel's or a task scope's {@code toString()} shows it:
     * {@code "shop/worker #31"}, or {@code "#31"} unnamed}
     */
    public static String shown(Thread thread) {
        String name = thread.getName();
        return name.isEmpty() ? "#" + thread.threadId() : name + " #" + thread.threadId();
    }

    /** {@return the threads of {@code calls} as {@link #shown}, joined by {@code ", "}} */
    public static String shownAll(List<? extends Async<?>> calls) {
        return calls.stream().map(call -> shown(call.thread())).collect(Collectors.joining(", "));
    }

    /**
     * Starts {@code call} in a new virtual thread and waits until it is blocked, as
     * {@link #awaitBlocked()}: {@code start(call).awaitBlocked()}.
     */
    public static <T> Async<T> startBlocked(Callable<? extends T> call) {
        return Async.<T>start(call).awaitBlocked();
    }

    /**
     * Starts {@code run} in a new virtual thread and waits until it is blocked, as
     * {@link #awaitBlocked()}: {@code run(run).awaitBlocked()}.
     */
    public static Async<Void> runBlocked(ThrowingRunnable run) {
        return run(run).awaitBlocked();
    }

    /**
     * Waits, without ever reacting to an interrupt, until {@code latch} reaches zero; for a call
     * that must keep its interrupt status untouched until the test has delivered an interrupt.
     * The interrupt status is the same on return as on entry. Spins, so the wait must be short:
     * the test counts the latch down right after the action it waits for.
     */
    public static void spinUntil(CountDownLatch latch) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (latch.getCount() != 0) {
            if (System.nanoTime() > deadline) {
                fail("the latch was not counted down within " + PATIENCE);
            }
            Thread.onSpinWait();
        }
    }

    /** A runnable that may throw anything, like the body of a test thread. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }

    public Thread thread() {
        return thread;
    }

    /**
     * Waits until the thread is parked (state {@code WAITING} or {@code TIMED_WAITING}) other than
     * in the outsiders' turn, which in these tests means it is blocked inside the operation under
     * test. The outsiders' turn is a moment's park without a blocker after an earlier channel
     * operation, to give threads started from outside the scheduler a carrier (see
     * {@link #awaitBlocker()}): a call that sends before it waits could pass for blocked there.
     */
    public Async<T> awaitBlocked() {
        pollUntil("block", () -> parked(thread) && !inFrame(thread, CARRIERS, OUTSIDERS_TURN) && parked(thread) ? this : null);
        return this; // the state read again after the stack: a thread leaving the turn is running
    }

    /**
     * {@return whether {@code thread} is parked (WAITING or TIMED_WAITING) inside {@code method} of
     * the class named {@code className}, the state read before and after its stack} A state alone
     * may come from another park on the way there (a wait for a class's initialization, the
     * outsiders' turn after a channel operation).
     */
    public static boolean parkedIn(Thread thread, String className, String method) {
        return parked(thread) && inFrame(thread, className, method) && parked(thread);
    }

    private static boolean parked(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }

    /** {@return whether a frame of {@code thread}'s stack is {@code method} of the class named {@code className}} */
    private static boolean inFrame(Thread thread, String className, String method) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().equals(className) && frame.getMethodName().equals(method)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Waits until the thread parks with a blocker ({@link LockSupport#getBlocker}) and returns
     * it. A blocked state alone does not say the thread reached that park: after an earlier
     * operation a virtual thread may park for a moment without a blocker (TIMED_WAITING), to give
     * threads started from outside the scheduler a carrier.
     */
    public Object awaitBlocker() {
        return pollUntil("park with a blocker", () -> LockSupport.getBlocker(thread));
    }

    /**
     * Polls {@code probe} until it returns non-null, and returns that; fails if the call ends
     * first or {@link #PATIENCE} passes. {@code what} completes "the call did not ...".
     */
    private <R> R pollUntil(String what, Supplier<R> probe) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            R found = probe.get();
            if (found != null) {
                return found;
            }
            if (done.getCount() == 0) {
                fail("expected the call to " + what + ", but it ended with "
                        + (failure != null ? failure : "result " + result));
            }
            if (System.nanoTime() > deadline) {
                fail("the call did not " + what + " within " + PATIENCE + "; state " + thread.getState());
            }
            LockSupport.parkNanos(50_000);
        }
    }

    /**
     * Waits at most {@code bound} for the call to end, without failing if it does not.
     *
     * @return whether the call has ended
     */
    public boolean awaitDone(Duration bound) {
        try {
            return done.await(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the call", e);
        }
    }

    /** {@return the virtual-thread scheduler's carriers: its configured parallelism, by default the CPUs} */
    public static int carriers() {
        return Integer.getInteger("jdk.virtualThreadScheduler.parallelism", Runtime.getRuntime().availableProcessors());
    }

    /**
     * Keeps every carrier thread of the virtual-thread scheduler busy with a spinning virtual
     * thread until {@link CarrierHold#release()}, so that a virtual thread made runnable meanwhile
     * (a waiter a channel has just resumed) cannot run yet. Call it from a platform thread, such as
     * the test's own; platform threads keep running. If the scheduler has more carriers than its
     * configured parallelism the hold is incomplete, which can only let such a thread run early.
     */
    public static CarrierHold holdAllCarriers() {
        int carriers = carriers();
        CarrierHold hold = new CarrierHold(carriers);
        for (int i = 0; i < carriers; i++) {
            Thread.ofVirtual().start(hold::spin);
        }
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (hold.spinning.get() < carriers) {
            if (System.nanoTime() > deadline) {
                hold.release();
                fail("only " + hold.spinning.get() + " of " + carriers + " carriers were taken within " + PATIENCE);
            }
            Thread.onSpinWait();
        }
        return hold;
    }

    /** The carriers taken by {@link #holdAllCarriers()}; release it in a {@code finally} block. */
    public static final class CarrierHold {
        private final AtomicInteger spinning = new AtomicInteger();
        private final CountDownLatch released = new CountDownLatch(1);
        private final int carriers;

        private CarrierHold(int carriers) {
            this.carriers = carriers;
        }

        private void spin() {
            spinning.incrementAndGet();
            while (released.getCount() != 0) {
                Thread.onSpinWait();
            }
        }

        /** Lets the spinning threads end, and with them frees the carriers. */
        public void release() {
            released.countDown();
        }

        @Override
        public String toString() {
            return "CarrierHold[" + spinning.get() + " of " + carriers + "]";
        }
    }

    /** {@return whether the call has ended} */
    public boolean isDone() {
        return done.getCount() == 0;
    }

    /** Interrupts the thread running the call. */
    public void interrupt() {
        thread.interrupt();
    }

    /** Waits for the call to end and returns its result, failing the test if it threw. */
    public T join() {
        awaitEnd();
        if (failure != null) {
            throw new AssertionError("the call failed", failure);
        }
        return result;
    }

    /** Waits for the call to end and returns what it threw, failing the test if it returned. */
    public Throwable joinFailure() {
        awaitEnd();
        if (failure == null) {
            fail("expected the call to throw, but it returned " + result);
        }
        return failure;
    }

    /** Waits for the call to end and returns what it threw, or {@code null} if it returned. */
    public Throwable joinOutcome() {
        awaitEnd();
        return failure;
    }

    /** {@return whether the thread's interrupt status was set when the call ended} */
    public boolean interruptedAtEnd() {
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
