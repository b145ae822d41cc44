package io.github.csp4j.channels.internal;

/**
 * Reads the integer and boolean {@code io.github.csp4j.*} system properties that tune how waiters
 * wait (spin and yield counts, the yield-miss limit, the retry and quiet-check periods, the
 * adaptive yield), whether a sender yields before it owes a permit and whether a plain wait on a
 * buffer yields before it parks, how often a blocking operation makes way for threads from outside
 * the scheduler, the cells per segment and whether a rendezvous channel may spread its cells, once,
 * when the class that holds the constant is initialized (and, for the task scopes, whether a task's
 * body runs under a scoped value binding: CurrentTask, whose javadoc gives the A/B that chose it;
 * the tests also use it to run the JDK 21 to 24 way). They exist so that the benchmarks can
 * sweep each constant on its own (each constant's javadoc says where its default comes from: the
 * sweep in benchmarks/RESULTS.md that chose it, or that it was sized or carried over, not swept). A
 * value that is not a number or out of range, or not true or false, fails class initialization with
 * an {@link IllegalArgumentException} naming the property and the value, rather than being ignored.
 */
public final class Tuning {
    private Tuning() {
    }

    /**
     * {@return the int value of system property {@code name}, or {@code fallback} if it is not set}
     *
     * @throws IllegalArgumentException if the value is not an int from {@code min} to {@code max}
     */
    static int intInRange(String name, int fallback, int min, int max) {
        String text = System.getProperty(name);
        if (text == null) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer from " + min + " to " + max
                    + ", was \"" + text + "\"", e);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ", was " + value);
        }
        return value;
    }

    /**
     * {@return the value of system property {@code name}, a power of two from 1 to {@code max},
     * or {@code fallback} if it is not set}
     *
     * @throws IllegalArgumentException if the value is not such a power of two
     */
    static int powerOfTwo(String name, int fallback, int max) {
        return powerOfTwo(name, fallback, 1, max);
    }

    /**
     * {@return the value of system property {@code name}, a power of two from {@code min} to
     * {@code max}, or {@code fallback} if it is not set}
     *
     * @throws IllegalArgumentException if the value is not such a power of two
     */
    static int powerOfTwo(String name, int fallback, int min, int max) {
        int value = intInRange(name, fallback, min, max);
        if (Integer.bitCount(value) != 1) {
            throw new IllegalArgumentException(name + " must be a power of two, was " + value);
        }
        return value;
    }

    /**
     * {@return the value of system property {@code name}, 0 or a power of two from {@code min} to
     * {@code max}, or {@code fallback} if it is not set} For a period that 0 turns off.
     *
     * @throws IllegalArgumentException if the value is neither 0 nor such a power of two
     */
    static int powerOfTwoOrZero(String name, int fallback, int min, int max) {
        int value = intInRange(name, fallback, 0, max);
        if (value != 0 && (value < min || Integer.bitCount(value) != 1)) {
            throw new IllegalArgumentException(name + " must be 0 or a power of two from " + min + " to " + max
                    + ", was " + value);
        }
        return value;
    }

    /**
     * {@return the boolean value of system property {@code name}, {@code true} or {@code false}
     * in any case and with surrounding white space ignored, or {@code fallback} if it is not set}
     *
     * @throws IllegalArgumentException if the value is neither
     */
    public static boolean flag(String name, boolean fallback) {
        String text = System.getProperty(name);
        if (text == null) {
            return fallback;
        }
        String value = text.strip();
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(name + " must be true or false, was \"" + text + "\"");
    }

    /** {@return the non-negative int value of system property {@code name}, or {@code fallback}} */
    static int count(String name, int fallback) {
        return intInRange(name, fallback, 0, Integer.MAX_VALUE);
    }
}
