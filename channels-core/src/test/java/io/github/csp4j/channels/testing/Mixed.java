package io.github.csp4j.channels.testing;

/** Values for the memory-visibility tests: distinct per index, and never the default 0. */
public final class Mixed {
    private Mixed() {}

    /** {@return a value of {@code i} that neither a stale nor a default read can equal} */
    public static long mix(int i) {
        return i * 0x9E3779B97F4A7C15L + 1;
    }
}
