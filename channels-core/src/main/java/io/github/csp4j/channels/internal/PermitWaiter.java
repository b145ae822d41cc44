package io.github.csp4j.channels.internal;

/**
 * A Waiter that may queue in a {@link PermitQueue}: an owed sender of a buffered channel, or a
 * select's {@link SelectRound.Registration} (whose send clause on a buffered channel waits there).
 * It remembers its cell in the queue, so that its owner can retire it. Kept apart from {@link
 * PublishedWaiter}, which a select's round is too, so that waiters that never queue there do not
 * carry these two fields (8 bytes per waiter when the rendezvous handoffs' and plain receivers'
 * waiters were Waiters too: benchmarks/RESULTS.md, "Allocation per element").
 */
class PermitWaiter extends PublishedWaiter {
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
