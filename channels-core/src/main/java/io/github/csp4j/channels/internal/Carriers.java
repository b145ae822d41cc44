package io.github.csp4j.channels.internal;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.locks.LockSupport;

/**
 * Whether the scheduler of virtual threads has work queued: a waiting virtual thread spins only
 * when nothing waits for a carrier, since its peer then either runs on another carrier (and a
 * spin catches its answer without a park/unpark round trip) or is not runnable at all (and the
 * spin is short and keeps nobody waiting). {@code SynchronousQueue} decides the same way with the
 * JDK-internal {@code ForkJoinWorkerThread.hasKnownQueuedWork()}; this class uses public API only.
 * And whether threads submitted from outside the scheduler wait, for the turn a streaming
 * virtual thread gives them now and then ({@link #outsidersTurn()}).
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

    /**
     * How long outsidersTurn() parks: as short as a timed park gets. The park lasts until the JDK
     * queues the thread again, which is itself an outside submission: 559 us on average in
     * TransferBenchmark rendezvous-4P4C (7,495 turns, 2026-12-03), where threads that yield with
     * nothing else queued on their carrier keep the outside queues busy.
     */
    private static final long OUTSIDERS_TURN_NANOS = 1_000L;

    /**
     * The least time between two parks of outsidersTurn() in the whole JVM: 20 ms, twice Go's
     * time slice (10 ms), so that the parks cost at most about 3 % of one thread's time (559 us
     * each) wherever outside submissions are seen at every check. Without it, where threads that
     * yield keep the outside queue busy, most checks parked, and the checks of channels that move
     * in step (a ring) come on the same trip: rendezvous-4P4C measured 7 % slower in three A/Bs,
     * and in one round RingBenchmark 100 read 125 to 195 us per trip against 48 to 60 and
     * PairsBenchmark 1 pair 67 to 93 ns against 47 to 53, which the next round's ring (45 to 49
     * us) did not repeat (benchmarks/RESULTS.md, "Threads from outside the scheduler").
     */
    private static final long OUTSIDERS_TURN_GAP_NANOS = 20_000_000L;

    /** System.nanoTime() of the last park of outsidersTurn(). Racy: two threads may both park. */
    private static volatile long lastOutsidersTurn = System.nanoTime() - OUTSIDERS_TURN_GAP_NANOS;

    /** The virtual-thread scheduler, NOT_FOUND, or null until a virtual thread has looked. */
    private static volatile Object scheduler;

    private Carriers() {}

    /**
     * {@return whether the virtual-thread scheduler is known and has no task queued} Called by a
     * virtual thread only.
     */
    static boolean quiet() {
        return scheduler() instanceof ForkJoinPool pool && pool.getQueuedTaskCount() == 0 && !pool.hasQueuedSubmissions();
    }

    /**
     * Parks the calling virtual thread for a moment if threads submitted to the scheduler from
     * outside it (started or woken by a platform thread, or by a timer) wait for a carrier. A
     * carrier runs the threads queued on it before those, and once it takes a thread from a queue
     * it keeps taking from that queue while it has any; so two threads that keep waking each
     * other on one carrier keep the others waiting for as long as they stream
     * (docs/RELIABILITY.md, "Known limits"). While this one is parked, its peer soon waits too,
     * the carrier's queues run dry, and the carrier looks at the other queues. The park is timed,
     * so that the JDK's timer wakes the thread: a wake-up queued from here as an outside task
     * (ForkJoinPool.externalSubmit) lands in the queue the carrier is draining, and the others
     * kept waiting (StarvationProbe: the started thread had not run after 5 s, with 9,888 such
     * turns). At most one park per OUTSIDERS_TURN_GAP_NANOS in the JVM: one carrier that takes
     * the outside queue runs what waits there. Called by a virtual thread that holds nothing: no
     * ticket, no cell, no permit.
     */
    static void outsidersTurn() {
        long now = System.nanoTime();
        if (now - lastOutsidersTurn >= OUTSIDERS_TURN_GAP_NANOS && scheduler() instanceof ForkJoinPool pool
                && pool.hasQueuedSubmissions()) {
            lastOutsidersTurn = now;
            LockSupport.parkNanos(OUTSIDERS_TURN_NANOS); // a stale permit or an interrupt makes it return at once
        }
    }

    /** {@return the virtual-thread scheduler, or NOT_FOUND} Found by the first virtual thread that asks. */
    private static Object scheduler() {
        Object known = scheduler;
        if (known == null) {
            known = find();
            scheduler = known; // racy but benign: every finder finds the same pool
        }
        return known;
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
