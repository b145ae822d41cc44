package io.github.csp4j.channels.internal;

/**
 * A plain party's wait in its own cell: a receiver's ({@link CellReceiver}, ADR 0010) or a
 * rendezvous sender's ({@link CellSender}, ADR 0014). The cell holds the party's waiting state
 * while the owner spins or yields, and its parked state (which names the thread to unpark) from
 * the moment it may park; one CAS on the cell settles the wait, by the peer, by close, or by the
 * owner's own timeout or interrupt to the cancelled state. This object is the owner's alone, never
 * published: it lets {@link Waiter#await} read and settle the cell instead of a result field. So a
 * rendezvous party that makes a quiet or busy spin on the cell ({@link #quietSpin}, {@link
 * #busySpin}) makes it only if that spin brought no answer: until then the cell holds everything
 * the peer needs.
 */
abstract sealed class CellWaiter extends Waiter permits CellReceiver, CellSender {
    final Segment segment;

    final int cell;

    /** What the owner placed in the cell: its waiting state, then its parked state. Owner only. */
    private Object placed;

    /** Waits in {@code cell} of {@code segment}, where the caller has placed {@code waiting}. */
    CellWaiter(boolean sender, Segment segment, int cell, CellState waiting) {
        super(sender);
        this.segment = segment;
        this.cell = cell;
        this.placed = waiting;
    }

    /**
     * The quiet spin of a plain party's handoff wait in {@code cell}, made before the party's
     * CellWaiter exists, so that a wait the spin answers allocates nothing: {@return the answer
     * poll() would give, or null if none came} The caller makes it only where {@link
     * Waiter#spinsQuietly} says so, as {@link Waiter#await} would, and passes {@link
     * Waiter#QUIET_SPUN} to the await() of the waiter it makes if null comes back. It spins as
     * await() does with {@link Waiter.WaitPolicy#HANDOFF}, whose quiet spins every handoff policy
     * shares.
     */
    static Object quietSpin(Segment segment, int cell, boolean sender, long deadline) {
        boolean timed = deadline != NO_DEADLINE;
        for (int i = 1; i <= WaitPolicy.HANDOFF.quietSpins(); i++) {
            Object value = answer(segment, cell, sender);
            if (value != null) {
                return value;
            }
            if (quietSpinEnds(i, timed, deadline)) {
                break;
            }
            Thread.onSpinWait();
        }
        return null;
    }

    /**
     * The busy spin of a plain party's handoff wait in {@code cell}, made before the party's
     * CellWaiter exists: {@return the answer poll() would give within {@code spins} spins, or null
     * if none came} As await()'s spin after its yields, it stops PARK_MARGIN before a deadline;
     * CellChannel.busySpinFirst makes it, and its caller passes {@link Waiter#BUSY_SPUN} to the
     * await() of the waiter it makes if null comes back.
     */
    static Object busySpin(Segment segment, int cell, boolean sender, long deadline, int spins) {
        boolean timed = deadline != NO_DEADLINE;
        for (int i = spins; i > 0; i--) {
            Object value = answer(segment, cell, sender);
            if (value != null) {
                return value;
            }
            if (nearDeadline(timed, deadline)) {
                break;
            }
            Thread.onSpinWait();
        }
        return null;
    }

    /**
     * {@return poll()'s answer for the party that waits in {@code cell}, a sender if {@code
     * sender}, before its CellWaiter exists}
     */
    private static Object answer(Segment segment, int cell, boolean sender) {
        return sender ? CellSender.answer(segment, cell) : CellReceiver.answer(segment, cell);
    }

    /**
     * {@return the CellSender, or else CellReceiver, of the calling thread, which waits in {@code
     * cell}}
     */
    static CellWaiter of(Segment segment, int cell, boolean sender) {
        return sender ? new CellSender(segment, cell) : new CellReceiver(segment, cell);
    }

    /** {@return the state that replaces the waiting one once the owner may park} */
    abstract Object parkedState();

    /** {@return the state the owner leaves in the cell on a timeout or interrupt} */
    abstract CellState cancelledState();

    /** Leaves the cell unless it was settled first; the caller reports {@code why}. */
    @Override
    final boolean tryCancel(Signal why) {
        return segment.casState(cell, placed, cancelledState()); // cas: against the peer and close
    }

    /** Places the owner's parked state in the cell unless it was settled first (see poll). */
    @Override
    final void announceParking() {
        Object parked = parkedState();
        if (segment.casState(cell, placed, parked)) { // cas: against the peer and close
            placed = parked;
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + owner() + ", cell " + cell + " of segment "
                + segment.id + "]";
    }
}
