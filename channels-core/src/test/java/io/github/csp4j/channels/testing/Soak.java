package io.github.csp4j.channels.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

/**
 * The soak loop shared by the property tests: runs batches of a property with fresh seeds until
 * {@code -Dcsp4j.soak.minutes} (default 2) have passed, and checks that the heap after full
 * collections and the number of platform threads stay where they were. Runs only with
 * {@code ./mvnw verify -Psoak}.
 */
public final class Soak {
    /** How long each soak runs. */
    public static final Duration LENGTH = Duration.ofMinutes(Long.getLong("csp4j.soak.minutes", 2));

    /** Heap growth allowed over a whole soak, from the first reading to the last. */
    private static final long HEAP_BOUND = 32L << 20;

    private Soak() {}

    /** A batch of a property, run with {@code seed}. */
    @FunctionalInterface
    public interface Batch {
        void run(long seed) throws Exception;
    }

    /**
     * Runs {@code batch} with seeds 1, 2, 3, ... until {@link #LENGTH} has passed, then checks
     * the heap and the platform threads, and prints a summary line.
     *
     * @return the number of batches run
     */
    public static long repeat(String name, Batch batch) throws Exception {
        batch.run(0); // warm up before the first reading
        int threadsBefore = Thread.getAllStackTraces().size();
        long heapBefore = Heap.usedAfterGc();
        long deadline = System.nanoTime() + LENGTH.toNanos();
        long batches = 0;
        while (System.nanoTime() - deadline < 0) {
            batch.run(++batches);
        }
        long heapAfter = Heap.usedAfterGc();
        int threadsAfter = Thread.getAllStackTraces().size();
        System.out.printf("soak %s: %,d batches in %s, heap %,d -> %,d bytes (%+,d), platform threads %d -> %d, violations 0%n",
                name, batches, LENGTH, heapBefore, heapAfter, heapAfter - heapBefore, threadsBefore, threadsAfter);
        assertTrue(heapAfter - heapBefore < HEAP_BOUND, "heap grew by " + (heapAfter - heapBefore) + " bytes");
        assertTrue(threadsAfter <= threadsBefore, "platform threads " + threadsBefore + " -> " + threadsAfter);
        return batches;
    }
}
