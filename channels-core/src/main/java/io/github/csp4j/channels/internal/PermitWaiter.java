package io.github.csp4j.channels.internal;

/**
 * A Waiter that may queue in a {@link PermitQueue}: an owed sender of a buffered channel, or a
 * select's {@link SelectRound.Registration} (whose send clause on a buffered channel waits there).
 * It remembers the cell it waits in, so that its owner can retire or cancel it. Kept apart from
 * {@link PublishedWaiter}, which a select's round is too, so that waiters that never queue there do
 * not carry these two fields (8 bytes per waiter when the rendezvous handoffs' and plain receivers'
 * waiters were Waiters too: benchmarks/RESULTS.md, "Allocation per element").
 */
class PermitWaiter extends PublishedWaiter {
    /**
     * The cell it waits in: for an owed sender, its cell of the PermitQueue; for a {@link
     * SelectRound.Registration}, that or the data cell its clause waits in ({@link
     * SelectRound.Registration#inPermits} says which). One pair of fields for both, so that a
     * registration is 56 bytes, not 64 (JOL; benchmarks/RESULTS.md, "A registration's cell in one
     * place"). Written plain by the owner, before the cas that publishes the waiter in the permit
     * queue, after the one that places a registration in a data cell; read only by the owner.
     */
    Segment segment;

    /** The index of the cell in {@link #segment}. Same access as that field. */
    int cell;

    /** A waiter of the current thread; {@code sender} as for {@link Waiter#Waiter(boolean)}. */
    PermitWaiter(boolean sender) {
        super(sender);
    }
}
