package io.github.csp4j.benchmarks;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A channel kind with numbers of senders and receivers, parsed from a {@code @Param} string:
 * {@code rendezvous-1P1C}, {@code buffered16-1P1C}, {@code buffered64-4P4C},
 * {@code unbounded-2P2C}.
 *
 * @param capacity {@link #RENDEZVOUS}, {@link #UNBOUNDED} or a buffer capacity of at least 1
 * @param senders the number of sending virtual threads, at least 1
 * @param receivers the number of receiving virtual threads, at least 1
 */
record Workload(int capacity, int senders, int receivers) {
    /** The capacity of a rendezvous channel. */
    static final int RENDEZVOUS = 0;

    /** The capacity of an unbounded channel. */
    static final int UNBOUNDED = -1;

    private static final Pattern SYNTAX =
            Pattern.compile("(rendezvous|unbounded|buffered([1-9][0-9]*))-([1-9][0-9]*)P([1-9][0-9]*)C");

    Workload {
        if (capacity < UNBOUNDED || senders < 1 || receivers < 1) {
            throw new IllegalArgumentException("bad workload: capacity " + capacity + ", " + senders
                    + " senders, " + receivers + " receivers");
        }
    }

    /**
     * {@return the workload that {@code text} names}
     *
     * @throws IllegalArgumentException if {@code text} is not of the form
     *     {@code (rendezvous|unbounded|buffered<n>)-<p>P<c>C}
     */
    static Workload parse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("workload \"" + text
                    + "\" is not (rendezvous|unbounded|buffered<n>)-<p>P<c>C, e.g. buffered64-4P4C");
        }
        int capacity = switch (m.group(1)) {
            case "rendezvous" -> RENDEZVOUS;
            case "unbounded" -> UNBOUNDED;
            default -> Integer.parseInt(m.group(2));
        };
        return new Workload(capacity, Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
    }
}
