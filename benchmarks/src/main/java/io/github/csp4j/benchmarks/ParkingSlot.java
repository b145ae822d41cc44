package io.github.csp4j.benchmarks;

import java.util.concurrent.locks.LockSupport;

/**
 * The virtual-thread floor of one hop: a slot for one element between exactly one sender and one
 * receiver, and {@link LockSupport#park}/{@link LockSupport#unpark} when a side must wait. No
 * queue, no node, no spin, no close, no timeouts. What a hop costs here is what the JDK's
 * scheduler charges for waking a parked virtual thread and running it (a freeze, a submit, a
 * thaw) plus two volatile fields; no channel or queue on virtual threads can hand over for less.
 * Not a library class: only {@link RingBenchmark} uses it, where a single token makes a slot of
 * one element and a rendezvous alike (no sender ever finds the slot full).
 *
 * @param <E> the element type
 */
final class ParkingSlot<E> implements Pipe<E> {
    /*
     * Implementation notes
     *
     * No lost wake-up (Dekker, with volatile accesses, which Java orders sequentially). Receiver:
     * store itself in `receiver`, then load `element`, and park only if it is still null. Sender:
     * store `element`, then load `receiver`, and unpark whatever thread it finds. Either the
     * receiver's load sees the element or the sender's load sees the receiver. The sender side
     * is the same, mirrored, with `sender` and a slot that is not null. A stale thread in a field
     * only costs a spurious unpark: every park is in a loop that checks the slot again.
     *
     * One sender and one receiver only: two receivers could both take the same element.
     */

    /** The element, or null when the slot is empty. sv; lv. */
    private volatile E element;

    /** The receiver, set while it may park on an empty slot. sv; lv. */
    private volatile Thread receiver;

    /** The sender, set while it may park on a full slot. sv; lv. */
    private volatile Thread sender;

    @Override
    public void send(E e) throws InterruptedException {
        while (element != null) { // full: wait until the receiver empties it
            sender = Thread.currentThread();
            if (element != null) {
                LockSupport.park(this);
                checkInterrupt();
            }
            sender = null;
        }
        element = e;
        Thread waiting = receiver;
        if (waiting != null) {
            LockSupport.unpark(waiting);
        }
    }

    @Override
    public E receive() throws InterruptedException {
        E e;
        while ((e = element) == null) {
            receiver = Thread.currentThread();
            if (element == null) {
                LockSupport.park(this);
                checkInterrupt();
            }
            receiver = null;
        }
        element = null;
        Thread waiting = sender;
        if (waiting != null) {
            LockSupport.unpark(waiting);
        }
        return e;
    }

    private void checkInterrupt() throws InterruptedException {
        if (Thread.interrupted()) {
            receiver = null;
            sender = null;
            throw new InterruptedException();
        }
    }

    @Override
    public String toString() {
        return "ParkingSlot[" + (element == null ? "empty" : "full") + "]";
    }
}
