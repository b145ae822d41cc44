package io.github.csp4j.channels.internal;

/**
 * A Waiter that may queue in a {@link PermitQueue}: an owed sender of a buffered channel, or a
 * select's {@link SelectRound.Registration} (whose send clause on a buffered channel waits there).
 * It remembers its cell in the queue, so that its owner can retire it. Kept apart from {@link
 * Waiter} so that the waiters of rendezvous handoffs and plain receivers, allocated at most once
 * per wait, do not carry these two fields: 8 bytes less per Waiter and per {@link CellReceiver}
 * (benchmarks/RESULTS.md, "Allocation per element").
 */
class PermitWaiter extends Waiter {
    /**
     * The PermitQueue cell it waits in. Written plain by the owner before the cas that publishes
     * the waiter there; read only by the owner.
     */
    Segment permitSegment;

    /** The index of the cell in {@link #permitSegment}. Same access as that field. */
    int permitCell;

    /** A waiter of the current thread; {@code sender} as for {@link Waiter#Waiter(boolean)}. */
    PermitWaiter(boolean sender) {
        super(sender);
    }
}
