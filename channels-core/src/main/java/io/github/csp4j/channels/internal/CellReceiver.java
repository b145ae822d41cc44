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
 * whoever settled the cell from its Thread (see {@link CellWaiter}).
 */
final class CellReceiver extends CellWaiter {
    /** Waits in {@code cell} of {@code segment}, where the caller has placed {@link CellState#RECEIVER}. */
    CellReceiver(Segment segment, int cell) {
        super(false, segment, cell, CellState.RECEIVER);
    }

    /** {@return whether {@code state} is a plain receiver waiting in its cell} */
    static boolean isWaiting(Object state) {
        return state == CellState.RECEIVER || state instanceof Thread;
    }

    /** {@return the element a sender left in the cell, {@link Signal#CLOSED}, or null while waiting} */
    @Override
    Object poll() {
        return answer(segment, cell);
    }

    /** {@return poll()'s answer for the receiver in {@code cell}, with or without a CellReceiver} */
    static Object answer(Segment segment, int cell) {
        Object state = segment.lvState(cell);
        if (state == CellState.DONE) {
            return segment.lpElement(cell); // ordered by the lv that saw the sender's cas
        }
        return state == CellState.CLOSED ? Signal.CLOSED : null;
    }

    /** {@return the owner's thread: a sender that finds it there unparks it} */
    @Override
    Object parkedState() {
        return owner();
    }

    @Override
    CellState cancelledState() {
        return CellState.RECEIVE_CANCELLED;
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
}
