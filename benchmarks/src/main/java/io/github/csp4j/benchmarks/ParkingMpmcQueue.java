package io.github.csp4j.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.atomic.MpmcAtomicArrayQueue;

/**
 * The "no channel semantics" floor: a JCTools {@link MpmcAtomicArrayQueue} with the simplest
 * correct blocking {@code put} and {@code take} on top: a bounded spin (none by default), then
 * {@link LockSupport#park}. No close, no timeouts, no fairness, no rendezvous (JCTools' smallest
 * capacity is 2). Not a library class: only the benchmarks use it.
 *
 * @param <E> the element type
 */
final class ParkingMpmcQueue<E> implements Pipe<E> {
    /*
     * Implementation notes
     *
     * Overview. An event count over a non-blocking queue (after Vyukov's "eventcount"): a thread
     * that cannot complete its operation registers itself, checks again, and parks; a thread that
     * completes an operation wakes the threads registered on the other side. Takers wait for
     * "not empty" on the stack `takers`, putters for "not full" on `putters`.
     *
     * Waiting. A thread retries its offer (poll) SPINS times with Thread.onSpinWait() between
     * tries (none by default, see SPINS), then pushes a fresh Node on its stack, retries once
     * more, and, if that fails too, parks until a signaller sets its node's `woken`. Then it
     * starts over without spinning.
     *
     * Signalling. After every successful offer (poll) the thread issues a full fence and reads the
     * takers' (putters') stack head. If it is not null, it takes the whole stack with one
     * get-and-set and wakes every node on it. Waking all rather than one keeps the protocol free of
     * cancellation: a waiter whose second try succeeded just leaves its node on the stack, and the
     * next signal wakes it spuriously (its permit makes one later park return at once, which every
     * park loop tolerates). The cost is a herd of up to (parties - 1) needless wake-ups per signal
     * when several threads wait on one side, as in the 4P4C workloads.
     *
     * No lost wake-up (Dekker). Waiter: push its node (CAS on the head: volatile), then try again.
     * Signaller: complete the queue operation (its last store is a release store), fullFence, then
     * read the head. Either the waiter's second try sees the signaller's operation, or the
     * signaller's read sees the waiter's node. The fence is what orders the signaller's release
     * store before its load of the head; without it both could miss each other.
     *
     * Memory ordering of the elements: JCTools' offer publishes the element with a release store
     * of the slot's sequence, and poll reads it after an acquire load of that sequence.
     *
     * Interrupts. A thread interrupted while parked throws InterruptedException; its node stays
     * on the stack until the next signal. The benchmarks never interrupt.
     */

    /**
     * Extra tries, with {@link Thread#onSpinWait()} between them, before a waiting thread registers
     * and parks. 0 by default: on the reference machine (benchmarks/RESULTS.md) every value from 1
     * to 4096 made this floor slower, as a spinning virtual thread keeps its carrier while the
     * peer it has just unparked waits in that carrier's queue. Override with
     * {@code -Dio.github.csp4j.benchmarks.floorSpins=N}.
     */
    static final int SPINS = Integer.getInteger("io.github.csp4j.benchmarks.floorSpins", 0);

    private final MpmcAtomicArrayQueue<E> queue;

    /** Takers waiting for an element: a stack of Nodes. Pushed by cas, taken whole by xchg; lv. */
    private volatile Node takers;

    /** Putters waiting for room: a stack of Nodes. Pushed by cas, taken whole by xchg; lv. */
    private volatile Node putters;

    ParkingMpmcQueue(int capacity) {
        this.queue = new MpmcAtomicArrayQueue<>(capacity);
    }

    @Override
    public void send(E element) throws InterruptedException {
        int spins = SPINS;
        while (true) {
            if (queue.offer(element)) {
                signal(TAKERS);
                return;
            }
            if (spins > 0) {
                spins--;
                Thread.onSpinWait();
                continue;
            }
            Node node = push(PUTTERS);
            if (queue.offer(element)) {
                signal(TAKERS);
                return; // the node stays until the next signal
            }
            await(node);
        }
    }

    @Override
    public E receive() throws InterruptedException {
        int spins = SPINS;
        while (true) {
            E element = queue.poll();
            if (element != null) {
                signal(PUTTERS);
                return element;
            }
            if (spins > 0) {
                spins--;
                Thread.onSpinWait();
                continue;
            }
            Node node = push(TAKERS);
            element = queue.poll();
            if (element != null) {
                signal(PUTTERS);
                return element; // the node stays until the next signal
            }
            await(node);
        }
    }

    private Node push(VarHandle stack) {
        Node node = new Node(Thread.currentThread());
        while (true) {
            Node head = (Node) stack.getVolatile(this);
            node.next = head; // published by the cas below
            if (stack.compareAndSet(this, head, node)) { // cas: the waiter's half of the Dekker pair
                return node;
            }
        }
    }

    private static void await(Node node) throws InterruptedException {
        while (!node.woken) { // lv: set by signal
            LockSupport.park(node);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private void signal(VarHandle stack) {
        VarHandle.fullFence(); // the signaller's half of the Dekker pair: orders the queue operation before the load below
        if (stack.getVolatile(this) == null) {
            return;
        }
        for (Node node = (Node) stack.getAndSet(this, null); node != null; node = node.next) { // xchg: takes every waiter
            node.woken = true; // sv: read by await
            LockSupport.unpark(node.thread);
        }
    }

    @Override
    public String toString() {
        return "ParkingMpmcQueue[capacity=" + queue.capacity() + ", size=" + queue.size() + "]";
    }

    /** A waiting thread. */
    private static final class Node {
        final Thread thread;

        /** The next node down the stack. Written plain before the push's cas; read after the xchg. */
        Node next;

        /** Set once by a signaller; read by the waiting thread. sv; lv. */
        volatile boolean woken;

        Node(Thread thread) {
            this.thread = thread;
        }
    }

    private static final VarHandle TAKERS;
    private static final VarHandle PUTTERS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAKERS = lookup.findVarHandle(ParkingMpmcQueue.class, "takers", Node.class);
            PUTTERS = lookup.findVarHandle(ParkingMpmcQueue.class, "putters", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
