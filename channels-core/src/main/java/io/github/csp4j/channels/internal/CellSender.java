package io.github.csp4j.channels.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * A plain rendezvous sender's wait in its own cell, as {@link CellReceiver} is a plain receiver's
 * (a select's send clause waits through a {@link SelectRound.Registration}, and an owed sender of
 * a buffered channel through a {@link PermitWaiter}, instead). The element waits in the cell's
 * slot, so a receiver that comes reads the cell and takes the element with one CAS there, which
 * also settles the wait, touching no line of a separate waiter object (ADR 0014).
 *
 * <p>The cell holds {@link CellState#SENDER} while the owner spins or yields, and a
 * {@link ParkedSender} holding the owner's thread from the moment it may park, so that a receiver
 * knows whether to unpark it. Both are settled by one CAS on the cell: a receiver's to
 * {@link CellState#DONE} ({@link #take}; the receiver then clears the slot), the owner's own to
 * {@link CellState#SEND_CANCELLED} on a timeout or interrupt, or, once the channel is closed,
 * close's, a receiver's or isClosedForReceive's to SEND_CANCELLED too ({@link #close}): the
 * sender fails as if it had left, and the receiver of its ticket, which may be below closedAt
 * with elements still to come after it, takes a new ticket, as it did for a closed sender's
 * Waiter. Whoever settles a ParkedSender unparks its thread (see {@link CellWaiter}).
 */
final class CellSender extends CellWaiter {
    /**
     * The state of a cell whose plain rendezvous sender may park: its thread, for whoever settles
     * the cell to unpark. A thread of its own is not a state: a cell holding a Thread is a
     * receiver's (CellReceiver).
     */
    record ParkedSender(Thread thread) {}

    /** Waits in {@code cell} of {@code segment}, where the caller placed its element and SENDER. */
    CellSender(Segment segment, int cell) {
        super(true, segment, cell, CellState.SENDER);
    }

    /** {@return whether {@code state} is a plain rendezvous sender waiting in its cell} */
    static boolean isWaiting(Object state) {
        return state == CellState.SENDER || state instanceof ParkedSender;
    }

    /**
     * A receiver takes the element of the sender waiting in {@code cell}, whose state it read as
     * {@code state} (see {@link #isWaiting}): the cell goes to DONE, and the caller then takes the
     * element from the slot; a parked sender is unparked.
     *
     * @return {@code false} if the state changed first (the owner left, parks now, or a close
     *     settled it): re-read it
     */
    static boolean take(Segment segment, int cell, Object state) {
        return settle(segment, cell, state, CellState.DONE);
    }

    /**
     * Fails the sender waiting in {@code cell} (read as {@code state}) because the channel is
     * closed: the cell goes to SEND_CANCELLED with its slot cleared, and a parked sender is
     * unparked; its send throws, still owning the element.
     *
     * @return {@code false} if the state changed first: re-read it
     */
    static boolean close(Segment segment, int cell, Object state) {
        if (!settle(segment, cell, state, CellState.SEND_CANCELLED)) {
            return false;
        }
        segment.spElement(cell, null); // nobody reads it now; the owner clears it again
        return true;
    }

    private static boolean settle(Segment segment, int cell, Object state, CellState outcome) {
        if (!segment.casState(cell, state, outcome)) { // cas: against the owner and other settlers
            return false;
        }
        if (state instanceof ParkedSender parked) {
            LockSupport.unpark(parked.thread());
        }
        return true;
    }

    /**
     * {@return TAKEN once a receiver took the element, CLOSED once a close settled the cell, or
     * null while waiting} SEND_CANCELLED here is never the owner's own: a tryCancel that succeeds
     * ends the wait without a poll.
     */
    @Override
    Object poll() {
        return answer(segment, cell);
    }

    /** {@return poll()'s answer for the sender in {@code cell}, with or without its CellSender} */
    static Object answer(Segment segment, int cell) {
        Object state = segment.lvState(cell);
        if (state == CellState.DONE) {
            return Signal.TAKEN;
        }
        return state == CellState.SEND_CANCELLED ? Signal.CLOSED : null;
    }

    /** {@return the owner's ParkedSender: a receiver or close that finds it there unparks it} */
    @Override
    Object parkedState() {
        return new ParkedSender(owner());
    }

    @Override
    CellState cancelledState() {
        return CellState.SEND_CANCELLED;
    }
}
