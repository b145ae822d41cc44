package io.github.csp4j.channels.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * A plain receiver's wait in its own cell (a select's receive clause waits through a
 * {@link SelectRound.Registration} instead). The cell itself is where the sender hands the element
 * over, so a handoff moves the cell's cache line and no line of a separate waiter object: the
 * sender reads the cell, and one CAS there both delivers the element and settles the wait.
 *
 * <p>The cell holds {@link CellState#RECEIVER} while the owner spins or yields, and the owner's
 * {@link Thread} from the moment it may park, so that a sender knows whether to unpark it. Both
 * are settled by one CAS on the cell: a sender's to {@link CellState#DONE} with the element in the
 * cell's slot, close's to {@link CellState#CLOSED}, or the owner's own to
 * {@link CellState#RECEIVE_CANCELLED} on a timeout or interrupt. A parked owner is unparked by
 * whoever settled the cell from its Thread. This object is the owner's alone, never published: it
 * lets {@link Waiter#await} read the cell instead of a result field.
 */
final class CellReceiver extends Waiter {
    private final Segment segment;

    private final int cell;

    /** What the owner placed in the cell: RECEIVER, then its thread once it may park. Owner only. */
    private Object placed = CellState.RECEIVER;

    /** Waits in {@code cell} of {@code segment}, where the caller has placed {@link CellState#RECEIVER}. */
    CellReceiver(Segment segment, int cell) {
        super(false);
        this.segment = segment;
        this.cell = cell;
    }

    /** {@return whether {@code state} is a plain receiver waiting in its cell} */
    static boolean isWaiting(Object state) {
        return state == CellState.RECEIVER || state instanceof Thread;
    }

    /** {@return the element a sender left in the cell, {@link Signal#CLOSED}, or null while waiting} */
    @Override
    Object poll() {
        Object state = segment.lvState(cell);
        if (state == CellState.DONE) {
            return segment.lpElement(cell); // ordered by the lv that saw the sender's cas
        }
        return state == CellState.CLOSED ? Signal.CLOSED : null;
    }

    /** Leaves the cell, unless a sender or close settled it first; {@code why} is the caller's to report. */
    @Override
    boolean tryCancel(Signal why) {
        return segment.casState(cell, placed, CellState.RECEIVE_CANCELLED); // cas: against the sender and close
    }

    /** Places the owner's thread in the cell, unless a sender or close settled it first (the next poll sees that). */
    @Override
    void announceParking() {
        Thread owner = owner();
        if (segment.casState(cell, CellState.RECEIVER, owner)) { // cas: against the sender and close
            placed = owner;
        }
    }

    /**
     * Hands {@code element} to the plain receiver waiting in {@code cell}, whose state was read as
     * {@code state} (see {@link #isWaiting}): the element goes into the cell's slot and the cell to
     * DONE, and a parked receiver is unparked. Called by the sender holding the cell's ticket.
     *
     * @return {@code false} if the receiver left, or close settled it, first
     */
    static boolean handOver(Segment segment, int cell, Object state, Object element) {
        segment.spElement(cell, element); // published by the cas below
        Object expected = state;
        while (true) {
            if (segment.casState(cell, expected, CellState.DONE)) { // cas: settles the receiver's wait
                if (expected instanceof Thread parked) {
                    LockSupport.unpark(parked);
                }
                return true;
            }
            expected = segment.lvState(cell);
            if (!(expected instanceof Thread)) { // cancelled or closed: the element stays with the sender
                segment.spElement(cell, null);
                return false;
            }
        }
    }

    @Override
    public String toString() {
        return "CellReceiver[" + owner() + ", cell " + cell + " of segment " + segment.id + "]";
    }
}
