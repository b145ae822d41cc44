package io.github.csp4j.channels.testing;

/** Heap readings for the tests that check an operation leaves no garbage behind. */
public final class Heap {
    private Heap() {}

    /** {@return the used heap after full collections, the least of a few readings} */
    public static long usedAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            least = Math.min(least, runtime.totalMemory() - runtime.freeMemory());
        }
        return least;
    }
}
