package io.github.csp4j.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The virtual threads of one benchmark invocation: started one by one, joined together. A party
 * that throws, or parties that do not finish within {@link #TIMEOUT} (a lost element, a lost
 * wake-up), fail the invocation, and with it the benchmark, rather than produce a figure.
 */
final class Parties {
    /** How long {@link #join()} waits for all parties: far longer than any sane batch takes. */
    static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("io.github.csp4j.benchmarks.timeoutSeconds", 120));

    /** The body of a party. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    private final List<Thread> threads = new ArrayList<>();

    /** The first failure of any party. Set by cas from the parties; read after their join. */
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** Starts {@code body} on a new virtual thread named {@code name}. */
    void start(String name, Body body) {
        threads.add(Thread.ofVirtual().name(name).start(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }));
    }

    /**
     * Waits until every party has finished.
     *
     * @throws IllegalStateException if a party threw, or some did not finish within {@link #TIMEOUT}
     */
    void join() throws InterruptedException {
        join(TIMEOUT);
    }

    /**
     * Waits until every party has finished, for at most {@code timeout}: longer than
     * {@link #TIMEOUT} for a party that itself joins parties, so that their report comes first.
     *
     * @throws IllegalStateException if a party threw, or some did not finish within {@code timeout}
     */
    void join(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : threads) {
            long remaining = Math.max(1, deadline - System.nanoTime());
            if (!thread.join(Duration.ofNanos(remaining))) {
                throw new IllegalStateException("stuck: " + thread + " and maybe others did not finish within "
                        + timeout + "; failure so far: " + failure.get());
            }
        }
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("a party failed", t);
        }
    }

    /**
     * {@return {@code count} elements to send, cycling through 1024 distinct boxed values from 1
     * to 1024} So few distinct objects stay in cache, and receivers can sum them cheaply.
     */
    static Integer[] elements(int count) {
        Integer[] values = new Integer[1024];
        for (int i = 0; i < values.length; i++) {
            values[i] = i + 1;
        }
        Integer[] elements = new Integer[count];
        for (int i = 0; i < count; i++) {
            elements[i] = values[i % values.length];
        }
        return elements;
    }

    /** {@return the sum of the values of {@code elements}} */
    static long sum(Integer[] elements) {
        long sum = 0;
        for (Integer e : elements) {
            sum += e;
        }
        return sum;
    }
}
