package io.github.csp4j.channels.internal;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * Whether the scheduler of virtual threads has work queued: a waiting virtual thread spins only
 * when nothing waits for a carrier, since its peer then either runs on another carrier (and a
 * spin catches its answer without a park/unpark round trip) or is not runnable at all (and the
 * spin is short and keeps nobody waiting). {@code SynchronousQueue} decides the same way with the
 * JDK-internal {@code ForkJoinWorkerThread.hasKnownQueuedWork()}; this class uses public API only.
 */
final class Carriers {
    /*
     * Implementation notes
     *
     * Finding the scheduler. No public API names the ForkJoinPool that runs virtual threads, but
     * its carriers are platform threads of a class named jdk.internal.misc.CarrierThread (JDK 21
     * to 25), which extends ForkJoinWorkerThread, whose getPool() is public. The first virtual
     * thread that asks enumerates the platform threads once (its own carrier is one of them) and
     * keeps the pool; if none is found (another JDK, a custom scheduler), it keeps NOT_FOUND and
     * quiet() answers false forever: no quiet spinning, and the busy spins of a rendezvous wait
     * only where they keep bringing the answer (CellChannel.awaitHandoff), as when the scheduler
     * always has threads queued.
     *
     * The answer is pool-wide (worker queues and submission queues), a little more cautious than
     * the JDK's carrier-local check: a thread queued on the other carrier also stops the spin.
     * It costs a read of base and top per queue (a few queues for a few carriers).
     */

    private static final Object NOT_FOUND = new Object();

    /** The virtual-thread scheduler, NOT_FOUND, or null until a virtual thread has looked. */
    private static volatile Object scheduler;

    private Carriers() {}

    /**
     * {@return whether the virtual-thread scheduler is known and has no task queued} Called by a
     * virtual thread only.
     */
    static boolean quiet() {
        Object known = scheduler;
        if (known == null) {
            known = find();
            scheduler = known; // racy but benign: every finder finds the same pool
        }
        return known instanceof ForkJoinPool pool && pool.getQueuedTaskCount() == 0 && !pool.hasQueuedSubmissions();
    }

    private static Object find() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        if (root == null) {
            return NOT_FOUND; // the current thread has terminated: cannot happen for a caller
        }
        for (ThreadGroup parent = root.getParent(); parent != null; parent = parent.getParent()) {
            root = parent;
        }
        Thread[] threads;
        int count;
        do { // enumerate drops the threads that do not fit: ask again with room to spare
            threads = new Thread[root.activeCount() * 2 + 16];
            count = root.enumerate(threads, true);
        } while (count == threads.length);
        for (int i = 0; i < count; i++) {
            if (threads[i] instanceof ForkJoinWorkerThread worker
                    && worker.getClass().getName().equals("jdk.internal.misc.CarrierThread")) {
                return worker.getPool();
            }
        }
        return NOT_FOUND;
    }
}
