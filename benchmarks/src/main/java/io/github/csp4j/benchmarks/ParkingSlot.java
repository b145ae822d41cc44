package io.github.csp4j.benchmarks;

import java.util.concurrent.locks.LockSupport;

/**
 * Bare park and unpark as a pipe: a slot for one element between exactly one sender and one
 * receiver, and {@link LockSupport#park}/{@link LockSupport#unpark} when a side must wait. No
 * queue, no node, no spin, no close, no timeouts. A hop to a parked receiver costs here what the
 * JDK's scheduler charges for waking a parked virtual thread and running it (a freeze, a submit, a
 * thaw) plus three volatile fields: the reference point for what a channel adds to a wake-up.
 * It is not a proven minimum ({@code SynchronousQueue} has measured a few percent below it).
 * Not a library class: only {@link RingBenchmark} uses it, where a single token makes a slot of
 * one element and a rendezvous alike (no sender ever finds the slot full).
 *
 * @param <E> the element type
 */
final class ParkingSlot<E> implements Pipe<E> {
    /*
     * Implementation notes
     *
     * No lost wake-up (Dekker, with volatile accesses, which Java orders in one total order).
     * Receiver: store itself in `receiver`, then load `element`, and park only if it is still
     * null. Sender: store `element`, then load `receiver`, and unpark whatever thread it finds.
     * Either the receiver's load sees the element or the sender's load sees the receiver. A
     * sender waiting for room is the same, mirrored, with `sender` and a slot that is not null.
     * A stale thread in a field only costs a spurious unpark: every park is in a loop that checks
     * the slot again.
     *
     * Interrupts. A thread that returns from park clears its own field, then throws
     * InterruptedException if it was interrupted, with nothing taken or placed; it never clears
     * the other side's field, which may name a thread that is parked.
     *
     * One sender and one receiver at a time only: two receivers could both take the same element
     * (Impl.SLOT refuses workloads with more).
     */

    /** The element, or null when the slot is empty. Written (sv) and read (lv) by both sides. */
    private volatile E element;

    /** The receiver while it may park on an empty slot, else null. sv by the receiver; lv by the sender. */
    private volatile Thread receiver;

    /** The sender while it may park on a full slot, else null. sv by the sender; lv by the receiver. */
    private volatile Thread sender;

    @Override
    public void send(E e) throws InterruptedException {
        while (element != null) { // lv: full, wait until the receiver empties it
            sender = Thread.currentThread(); // sv: Dekker pair with receive's empty-then-load
            if (element != null) { // lv
                LockSupport.park(this);
            }
            sender = null; // sv: own field only
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        element = e; // sv: publishes e; Dekker pair with receive's register-then-load
        Thread waiting = receiver; // lv
        if (waiting != null) {
            LockSupport.unpark(waiting);
        }
    }

    @Override
    public E receive() throws InterruptedException {
        while (true) {
            E e = element; // lv: pairs with send's sv of element
            if (e != null) {
                element = null; // sv: Dekker pair with send's register-then-load
                Thread waiting = sender; // lv
                if (waiting != null) {
                    LockSupport.unpark(waiting);
                }
                return e;
            }
            receiver = Thread.currentThread(); // sv: Dekker pair with send's publish-then-load
            if (element == null) { // lv
                LockSupport.park(this);
            }
            receiver = null; // sv: own field only
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    @Override
    public String toString() {
        return "ParkingSlot[" + (element == null ? "empty" : "full") + "]";
    }
}
