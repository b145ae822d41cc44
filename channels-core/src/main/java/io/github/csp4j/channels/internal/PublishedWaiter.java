package io.github.csp4j.channels.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link Waiter} settled by one CAS on its own result, which peers reach in a cell or a permit
 * queue (an owed sender's {@link PermitWaiter}; a select's {@link SelectRound.Registration}
 * settles its round's instead) or through its registrations (a {@link SelectRound}). Kept apart
 * from Waiter so that a {@link CellWaiter}, which is never published and waits on its cell, does
 * not carry the result and the parking flag: 32 bytes per plain receiver's or plain rendezvous
 * sender's waiter instead of 40 (benchmarks/RESULTS.md, "Cell waiters without a result").
 * Non-sealed: {@link PermitWaiter} and {@link SelectRound} extend it, and tests make their own.
 */
non-sealed class PublishedWaiter extends Waiter {
    /*
     * Implementation notes
     *
     * State machine of result (one transition, by CAS from null; a SelectRound's moves more, see
     * its notes):
     *
     *     null --tryResume(v) by a peer or by close--> v     (v: element, TAKEN, GRANTED, CLOSED)
     *     null --tryCancel(why) by the owner--> why          (why: TIMED_OUT, INTERRUPTED, CLOSED,
     *                                                         WITHDRAWN)
     *
     * The CAS decides every race between a peer and the owner's timeout or interrupt: if the peer
     * wins, the operation completed and the owner returns normally (keeping its interrupt status);
     * if the owner wins, the peer sees a dead cell and moves on, and the operation had no effect.
     *
     * Waking. The winner of the CAS unparks the owner only if the owner may be parked: the owner
     * sets `parking` before its first park and reads result after that, while the peer writes
     * result and then reads `parking` (both volatile, a Dekker pair), so one of them sees the
     * other. A stale unpark only makes a later park return early; every park in Waiter.await sits
     * in a loop that re-checks result.
     *
     * Memory ordering. The peer's writes before tryResume (the element, the cell state) happen-
     * before the owner's read of result that sees the value: result is volatile and set by CAS.
     */

    /** null while waiting, then the settling value. Written once by cas; read lv. */
    private volatile Object result;

    /** Set by the owner before it first parks; read by the peer that settles it. sv; lv. */
    private volatile boolean parking;

    /** A waiter of the current thread; {@code sender} as for {@link Waiter#Waiter(boolean)}. */
    PublishedWaiter(boolean sender) {
        this(sender, null);
    }

    /** A waiter that starts settled with {@code initial}, or waiting if it is {@code null}. */
    PublishedWaiter(boolean sender, Object initial) {
        super(sender);
        this.result = initial; // published with the waiter
    }

    /** Moves the result from {@code expected} to {@code value}, without waking the owner. */
    final boolean casResult(Object expected, Object value) {
        return RESULT.compareAndSet(this, expected, value); // cas
    }

    /**
     * Settles this waiter with {@code value} and wakes its owner, unless it is settled already.
     *
     * @return whether this call settled it
     */
    boolean tryResume(Object value) {
        // cas: publishes the peer's writes to the owner
        if (RESULT.compareAndSet(this, null, value)) {
            if (parking) { // lv: Dekker pair with the owner's sv of parking, then lv of result
                LockSupport.unpark(owner());
            }
            return true;
        }
        return false;
    }

    /**
     * {@return the settling value, or {@code null} while the waiter is not settled} A peer that
     * failed to resume a waiter reads it to learn why; a select registration never reports
     * {@link Signal#GRANTED} there, as it never waits in a cell for a permit.
     */
    Object result() {
        return result;
    }

    /**
     * {@return whether the owner still waits on this waiter} For diagnostics only (a channel's
     * toString): the answer may be stale by the time the caller reads it.
     */
    boolean waits() {
        return result == null; // lv
    }

    @Override
    boolean tryCancel(Signal why) {
        return RESULT.compareAndSet(this, null, why); // cas: the race with tryResume
    }

    @Override
    Object poll() {
        return result;
    }

    @Override
    void announceParking() {
        parking = true; // sv: Dekker pair with tryResume's lv of parking after its cas
    }

    @Override
    public String toString() {
        return "Waiter[" + (sender ? "sender " : "") + owner() + ", " + result + "]";
    }

    private static final VarHandle RESULT;

    static {
        try {
            RESULT = MethodHandles.lookup().findVarHandle(PublishedWaiter.class, "result",
                    Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
