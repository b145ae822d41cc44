package io.github.csp4j.channels;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The virtual threads of one concurrent test run: started by name, joined against one deadline,
 * and, if they do not end in time, described in a thread dump so that a hang fails the test with
 * the stacks of every thread involved instead of stalling the build.
 * {@link Thread#getAllStackTraces()} does not list virtual threads, so the dump is taken from the
 * threads started here.
 */
final class Workers {
    private final List<Thread> threads = new ArrayList<>();
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

    /** A body of a worker thread, which may throw anything. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /**
     * Starts {@code body} in a new virtual thread named {@code name}; what it throws is kept for
     * {@link #failures()}.
     */
    Thread start(String name, Body body) {
        Thread thread = Thread.ofVirtual().name(name).start(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failures.add(new AssertionError(Thread.currentThread().getName() + " failed", t));
            }
        });
        synchronized (threads) {
            threads.add(thread);
        }
        return thread;
    }

    /** {@return what the threads threw, in no particular order} */
    List<Throwable> failures() {
        return List.copyOf(failures);
    }

    /**
     * Waits until each of {@code group} has ended, at most until {@code deadline} (a
     * {@link System#nanoTime()} value).
     *
     * @param context what is being waited for, and any state worth printing with a dump; called
     *     only for the dump
     * @throws AssertionError with a dump of every thread started here, if one of {@code group}
     *     is still alive at the deadline
     */
    void joinAll(List<Thread> group, long deadline, Supplier<String> context) {
        for (Thread thread : group) {
            long remaining = deadline - System.nanoTime();
            boolean ended;
            try {
                ended = thread.join(Duration.ofNanos(Math.max(remaining, 0))); // 0: no wait, just look
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while joining " + thread, e);
            }
            if (!ended) {
                String dump = "hang: " + thread.getName() + " did not end in time while waiting for " + context.get()
                        + "\n" + failuresSoFar() + dump();
                System.err.println(dump);
                throw new AssertionError(dump);
            }
        }
    }

    /**
     * Waits until each of {@code group} has ended, for as long as {@code progress} keeps changing:
     * for long runs, whose duration depends on the machine, but whose stall is a hang.
     *
     * @param stall how long {@code progress} may stay unchanged while a thread of the group is alive
     * @param progress a count that grows while the threads make progress
     * @param context what is being waited for, and any state worth printing with a dump; called
     *     only for the dump
     * @throws AssertionError with a dump of every thread started here, if {@code progress} stalled
     */
    void joinAll(List<Thread> group, Duration stall, LongSupplier progress, Supplier<String> context) {
        long seen = progress.getAsLong();
        long since = System.nanoTime();
        for (Thread thread : group) {
            while (true) {
                boolean ended;
                try {
                    ended = thread.join(stall.dividedBy(4));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while joining " + thread, e);
                }
                if (ended) {
                    break;
                }
                long now = progress.getAsLong();
                if (now != seen) {
                    seen = now;
                    since = System.nanoTime();
                } else if (System.nanoTime() - since > stall.toNanos()) {
                    String dump = "hang: no progress for " + stall + " (stuck at " + now + ") while waiting for "
                            + context.get() + "\n" + failuresSoFar() + dump();
                    System.err.println(dump);
                    throw new AssertionError(dump);
                }
            }
        }
    }

    /** {@return what the threads threw so far, which may explain why the others hang} */
    private String failuresSoFar() {
        StringBuilder out = new StringBuilder();
        for (Throwable failure : failures) {
            out.append("failed earlier: ").append(failure).append(", caused by ").append(failure.getCause())
                    .append('\n');
        }
        return out.toString();
    }

    /** {@return the name, state and stack of every thread started here that is still alive} */
    String dump() {
        StringBuilder out = new StringBuilder("thread dump of the test's virtual threads:\n");
        List<Thread> copy;
        synchronized (threads) {
            copy = List.copyOf(threads);
        }
        for (Thread thread : copy) {
            if (!thread.isAlive()) {
                continue;
            }
            out.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
            for (StackTraceElement frame : thread.getStackTrace()) {
                out.append("    at ").append(frame).append('\n');
            }
        }
        return out.toString();
    }

    /** {@return a deadline {@code patience} from now, as a {@link System#nanoTime()} value} */
    static long deadlineIn(Duration patience) {
        return System.nanoTime() + patience.toNanos();
    }
}
