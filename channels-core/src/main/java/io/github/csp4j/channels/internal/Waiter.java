package io.github.csp4j.channels.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * A thread waiting for a peer: a blocked sender or permit acquirer in its cell, a select, or (as
 * {@link CellReceiver}) a plain receiver waiting in its cell. Exactly one party settles it,
 * either a peer that resumes it with a value, or the waiting thread itself when its timeout
 * elapses or it is interrupted. This class is how the owner waits ({@link #await}); what it
 * waits on is its subclass's, one of two kinds (the class is sealed): a {@link PublishedWaiter}'s
 * result, which a peer that finds it settles, or a {@link CellWaiter}'s cell.
 *
 * <p>A select waits differently: its {@link SelectRound} is the Waiter its thread parks on, and
 * each of its clauses places a {@link SelectRound.Registration} in a cell, a Waiter whose
 * {@link PublishedWaiter#tryResume} settles the round instead. A plain receiver waits in its cell
 * itself: its {@link CellReceiver} is never published, and its {@link #poll}, {@link #tryCancel}
 * and {@link #announceParking} read and settle the cell; a plain rendezvous sender's
 * {@link CellSender} does the same (both are {@link CellWaiter}s).
 */
abstract sealed class Waiter permits PublishedWaiter, CellWaiter {
    /*
     * Implementation notes
     *
     * Blocking, per WaitPolicy. A virtual owner first spins while the scheduler is quiet
     * (Carriers.quiet(): no virtual thread waits for a carrier, asked again every 64 spins): its
     * peer then runs on another carrier or not at all, and a spin catches a quick answer without a
     * park/unpark or yield round trip, the way SynchronousQueue spins on JDK 25. (A plain
     * rendezvous party makes that spin on its cell before its CellWaiter exists, and then tells
     * await() what it found: CellWaiter.quietSpin, CellChannel.awaitHandoff.) If the scheduler is
     * not quiet, only a plain rendezvous party spins, with busySpins (about 0.9 us with 32), which
     * keep the queued threads waiting, on its cell before its CellWaiter exists
     * (CellWaiter.busySpin); CellChannel.awaitHandoff asks for them only on a channel where they
     * keep bringing the answer (a peer on the other carrier), and bounds how many handoffs in a row
     * keep the carrier so; await() makes none. Then it yields its carrier (by default once; not in
     * a plain wait on a buffer, CellChannel.awaitBuffer), so that a peer it just woke, which the
     * JDK queues on this very carrier, runs and hands over without a park/unpark round trip (about
     * 1.5 us between two virtual threads on the reference machine); it spins (onSpinWait calls
     * between polls) only if configured to and only if no yield took longer than YIELD_BUSY_NANOS
     * (a slow yield means others were queued on the carrier, whom a spin would keep waiting). A
     * platform owner spins instead. Then the owner parks with LockSupport, never inside
     * synchronized. Timed waits check their deadline while yielding and spinning, and spin rather
     * than park when less than SPIN_FOR_TIMEOUT_THRESHOLD remains. It parks with the blocker its
     * caller names (the channel, or a select's round, which shows the select's clauses), which
     * LockSupport.getBlocker and thread dumps show (the Channel javadoc's "Diagnostics"; ADR 0015).
     *
     * Timeouts shorter than the spin. A timed wait whose deadline passed while it spun would never
     * park, so a thread looping over such waits (a select with a timeout of some microseconds,
     * retried) never left its carrier; virtual threads are not preempted, and two such loops on a
     * 2-carrier scheduler starved every other virtual thread (SelectExactlyOnceTest found a sender
     * runnable for over 20 s with 256 spins, none with 0; SelectStarvationTest and
     * ChannelStarvationTest reproduce it). So a timed wait stops spinning PARK_MARGIN before its
     * deadline and parks for the rest: any timeout of a few microseconds or more parks at least
     * once. A wait shorter than that (under PARK_MARGIN from the start) cannot park usefully; if it
     * times out without having parked it calls Thread.yield(), which lets other virtual threads run
     * where the scheduler can, but a loop of such sub-microsecond waits is a busy loop, as a loop of
     * tryReceive calls is. (Parking for a nanosecond instead would always leave the carrier, but it
     * arms a timer: ChannelMemoryTest's 10^6 one-microsecond timeouts went from 16 s to 258 s.)
     *
     * Settling and waking: PublishedWaiter's notes for a waiter that peers settle by its result,
     * CellWaiter's javadoc for one that waits in its cell.
     */

    /**
     * How a waiter waits before it parks. A virtual thread first spins while the scheduler is
     * quiet (nothing waits for a carrier), or, a plain rendezvous party only, busy-spins if it is
     * not (before its waiter exists: CellChannel.busySpinFirst); then yields its carrier a few
     * times, polling after each yield, then spins (only if no yield let other threads run); a
     * platform thread spins. Spinning polls with {@link Thread#onSpinWait()}.
     *
     * @param quietSpins onSpinWait iterations of a virtual thread before its yields, while
     *     {@link Carriers#quiet()}
     * @param busySpins onSpinWait iterations of a plain rendezvous party on a virtual thread
     *     before its yields, if it did not spin while quiet (the scheduler was not quiet when the
     *     wait began, or quietSpins is 0): made by CellChannel.awaitHandoff on the party's cell
     *     before its waiter exists (CellWaiter.busySpin), never by await()
     * @param virtualSpins onSpinWait iterations of a virtual thread, after its yields
     * @param yields {@link Thread#yield()} calls of a virtual thread before it spins or parks
     * @param platformSpins onSpinWait iterations of a platform thread before it parks
     */
    record WaitPolicy(int quietSpins, int busySpins, int virtualSpins, int yields, int platformSpins) {
        /**
         * For a rendezvous handoff. Virtual threads: one yield, no spin. When a thread wakes its
         * peer, the JDK queues the peer on the waker's own carrier; a waker that then spins keeps
         * that carrier while its peer waits behind it (the other carrier is often idle), whereas a
         * yield runs the peer at once. On the 2-core reference machine (benchmarks/RESULTS.md, "The
         * wait policy (what changed before run 4)", three forks each) one yield and no spin against
         * the former 256 spins: ring of 10,000 threads 41.5 to 14.8 ms per trip, rendezvous 1P1C
         * 535 to 254 ns, rendezvous 4P4C 506 to 213 ns, ping-pong 363 to 544 ns (the one workload
         * that spinning served). Platform threads cannot hand their carrier over, so they spin 256
         * times as before: the first spin sweep (64 to 4096 measured alike, 0 was 2 to 4 times
         * slower) ran every party on a virtual thread, so no benchmark has measured platform
         * threads' spins; 256 is carried over from it. Before the yield, 128 quiet spins (only
         * while no virtual thread waits for a carrier, see Carriers): ping-pong 569 to 367 ns,
         * rendezvous 1P1C 267 to 166 ns, the other six workloads of the sweep unchanged within
         * noise (ring of 10,000 6.5 to 6.2 ms); 512 and 2048 measured like 128
         * (benchmarks/RESULTS.md, "Quiet spins"; files results/2026-11-30-quietspins-*.json). No
         * busy spin: a plain rendezvous wait gets one from CellChannel.awaitHandoff where it pays
         * (HANDOFF_BUSY). Override with {@code io.github.csp4j.quietSpins}, {@code
         * io.github.csp4j.spins}, {@code io.github.csp4j.yields} and {@code
         * io.github.csp4j.platformSpins}; with quietSpins 0, HANDOFF_BUSY spins whether or not the
         * scheduler is quiet, so no spin before the yield needs {@code io.github.csp4j.busySpins=0}
         * as well.
         */
        static final WaitPolicy HANDOFF = new WaitPolicy(Tuning.count("io.github.csp4j.quietSpins", 128), 0,
                Tuning.count("io.github.csp4j.spins", 0),
                Tuning.count("io.github.csp4j.yields", 1), Tuning.count("io.github.csp4j.platformSpins", 256));

        /** HANDOFF without its yields, for a channel where they keep missing (CellChannel). */
        static final WaitPolicy HANDOFF_NO_YIELD = HANDOFF.withYields(0);

        /**
         * Busy spins of HANDOFF_BUSY, about 0.9 us on the reference machine (28 ns per
         * onSpinWait); 0 turns busy spins off. 32: TransferBenchmark rendezvous-4P4C, where 32
         * and 128 spins measured alike (benchmarks/RESULTS.md, "Busy spins for rendezvous
         * waits"). {@code io.github.csp4j.busySpins}.
         */
        static final int BUSY_SPINS = Tuning.count("io.github.csp4j.busySpins", 32);

        /**
         * HANDOFF with busy spins, for a channel where they keep bringing the answer
         * (CellChannel.awaitHandoff).
         */
        static final WaitPolicy HANDOFF_BUSY = HANDOFF.withBusySpins(BUSY_SPINS);

        /** HANDOFF_BUSY without its yields. */
        static final WaitPolicy HANDOFF_BUSY_NO_YIELD = HANDOFF_BUSY.withYields(0);

        WaitPolicy withYields(int count) {
            return new WaitPolicy(quietSpins, busySpins, virtualSpins, count, platformSpins);
        }

        WaitPolicy withBusySpins(int count) {
            return new WaitPolicy(quietSpins, count, virtualSpins, yields, platformSpins);
        }

        /**
         * For a wait on a buffer, full or empty: one yield on a virtual thread, no spin. The yield
         * lets the other side, queued on this carrier, fill or drain the buffer before this party
         * parks: buffered 16 1P1C 375 to 119 ns, buffered 64 4P4C 385 to 116 ns
         * (benchmarks/RESULTS.md, "The wait policy (what changed before run 4)"). Now only a
         * select's: a plain wait on a buffer leaves it out (CellChannel.awaitBuffer).
         * Spinning makes sender and receiver move in lockstep and was slowest in the first spin
         * sweep; 128 quiet spins made buffered 16 1P1C 126 to 137 ns and the ring's spread wider,
         * so there are none. Without the yield too, 32 and 128 quiet spins read buffered 16 1P1C 5
         * and 7 % slower by the median (ties, slower in each of 3 rounds) and gained nothing
         * elsewhere beyond a tie ("Quiet spins before a plain buffer wait parks").
         * Override with {@code io.github.csp4j.queueQuietSpins}, {@code
         * io.github.csp4j.queueSpins}, {@code io.github.csp4j.queueYields} and {@code
         * io.github.csp4j.queuePlatformSpins}.
         */
        static final WaitPolicy QUEUE = new WaitPolicy(Tuning.count("io.github.csp4j.queueQuietSpins", 0), 0,
                Tuning.count("io.github.csp4j.queueSpins", 0),
                Tuning.count("io.github.csp4j.queueYields", 1),
                Tuning.count("io.github.csp4j.queuePlatformSpins", 0));

        /** QUEUE without its yield: a plain wait on a buffer (CellChannel.awaitBuffer). */
        static final WaitPolicy QUEUE_NO_YIELD = QUEUE.withYields(0);
    }

    /**
     * Nanoseconds of a remaining timeout below which a waiter spins rather than park with a
     * timeout: a timed park of a virtual thread arms a timer and costs tens of microseconds. The
     * same rough estimate as LinkedTransferQueue's.
     */
    private static final long SPIN_FOR_TIMEOUT_THRESHOLD = 1L << 10;

    /**
     * How long before its deadline a timed wait stops spinning, so that it parks at least once:
     * twice SPIN_FOR_TIMEOUT_THRESHOLD, so that what remains is worth a timed park. Also how near
     * its deadline a buffered send no longer yields before it owes (CellChannel.yieldsBeforeOwing).
     */
    static final long PARK_MARGIN = 2 * SPIN_FOR_TIMEOUT_THRESHOLD;

    /**
     * A yield that took longer than this let other virtual threads run on the carrier, so the
     * waiter parks without spinning; {@code io.github.csp4j.yieldBusyNanos}, from 0 to 10^9.
     * 2,000 ns, sized, not swept: no benchmark has measured another value. The property is read
     * when this class is initialized, but the threshold is used only after a yield that spins
     * follow: a virtual thread's wait with yields above 0 (not left out by the adaptive yield or by
     * awaitBuffer) and {@code io.github.csp4j.spins} or {@code io.github.csp4j.queueSpins} above
     * their default 0 (benchmarks/RESULTS.md, "The wait policy (what changed before run 4)").
     */
    private static final long YIELD_BUSY_NANOS =
            Tuning.intInRange("io.github.csp4j.yieldBusyNanos", 2_000, 0, 1_000_000_000);

    /**
     * A quiet spin asks again whether the scheduler is quiet every QUIET_CHECK_MASK + 1 spins;
     * {@code io.github.csp4j.quietCheckPeriod}, a power of two from 1 to 1024, sets that number.
     * 64 rather than 16: ring of 1,000 366-392 against 399-449 us per trip, ping-pong and the
     * other sweep workloads alike (benchmarks/RESULTS.md, "After run 6"; 4 and 64 swept).
     */
    static final int QUIET_CHECK_MASK = Tuning.powerOfTwo("io.github.csp4j.quietCheckPeriod", 64, 1024) - 1;

    /** await() returned neither right after a yield nor from its park loop: at once or from a spin. */
    static final byte ENDED_EARLY = 0;

    /** await() returned right after a yield. */
    static final byte ENDED_IN_YIELD = 1;

    /** await() got past its yields and spins to the park loop (whether or not it parked). */
    static final byte ENDED_PARKING = 2;

    /**
     * The wait did not busy-spin, and would not have: it spun while quiet, or its owner is a
     * platform thread.
     */
    static final byte BUSY_NONE = 0;

    /**
     * The wait busy-spun and the answer came during the spin: CellChannel.busySpinFirst's, after
     * which no waiter is made, so no waiter's busy() gives it.
     */
    static final byte BUSY_HIT = 1;

    /** The wait busy-spun (its caller, before the waiter: BUSY_SPUN) and no answer came. */
    static final byte BUSY_MISS = 2;

    /**
     * The wait did not spin while quiet (the scheduler was not quiet, or its policy has no quiet
     * spins, as QUEUE), and no busy spin was made.
     */
    static final byte BUSY_LEFT_OUT = 3;

    /** await() asks whether the scheduler is quiet, and spins while it is (the default). */
    static final byte QUIET_UNASKED = 0;

    /** The caller of await() spun while the scheduler was quiet, and no answer came. */
    static final byte QUIET_SPUN = 1;

    /** The caller of await() found the scheduler not quiet, or that no quiet spin applies. */
    static final byte NOT_QUIET = 2;

    /** The caller of await() busy-spun with its policy's busy spins, and no answer came. */
    static final byte BUSY_SPUN = 3;

    /** Waits without a deadline. */
    static final long NO_DEADLINE = Long.MAX_VALUE;

    private final Thread owner;

    /** True if the owner is a sender waiting for its element to be taken. Read by close. */
    final boolean sender;

    /** How await() ended: ENDED_EARLY, ENDED_IN_YIELD or ENDED_PARKING. Owner only, plain. */
    private byte ended;

    /**
     * Whether the wait busy-spun, as its caller told await() (BUSY_SPUN): BUSY_NONE, BUSY_MISS or
     * BUSY_LEFT_OUT. Owner only, plain; like ended, set by the one await() of this waiter.
     */
    private byte busy;

    /** A waiter of the current thread; {@code sender} if it waits for its element to be taken. */
    Waiter(boolean sender) {
        this.owner = Thread.currentThread();
        this.sender = sender;
    }

    /** {@return the thread that waits} */
    final Thread owner() {
        return owner;
    }

    /**
     * Settles this waiter as cancelled by its own thread, unless a peer settled it first.
     *
     * @return whether this call settled it
     */
    abstract boolean tryCancel(Signal why);

    /**
     * {@return the settling value, or {@code null} while the waiter is not settled} What await()
     * reads while it waits.
     */
    abstract Object poll();

    /**
     * Called by await() once, before the owner's first park: from then on a peer that settles this
     * waiter unparks the owner.
     */
    abstract void announceParking();

    /**
     * Waits until this waiter is settled, and returns how: the value a peer resumed it with,
     * {@link Signal#TIMED_OUT} if {@code deadline} (a {@link System#nanoTime()} value, or
     * {@link #NO_DEADLINE}) passed first, or {@link Signal#INTERRUPTED} if the thread was
     * interrupted first; in the last two cases the interrupt status is cleared and no peer will
     * ever see this waiter alive. If a peer won the race with an interrupt, the value is returned
     * with the interrupt status set. Only the owner calls this. While it parks, {@code blocker}
     * is the thread's park blocker ({@link LockSupport#getBlocker}).
     */
    final Object await(long deadline, WaitPolicy policy, Object blocker) {
        return await(deadline, policy, blocker, QUIET_UNASKED);
    }

    /**
     * {@link #await(long, WaitPolicy, Object)} after its caller's own quiet or busy spin, or its
     * finding that there is none to make: {@code callerFound} is QUIET_SPUN if the caller spun
     * while the scheduler was quiet and got no answer (the wait goes on to its yields, if its
     * policy has any, or its spins and park), BUSY_SPUN if the caller made the policy's busy spin
     * and got no answer (the same, and busy() says BUSY_MISS), NOT_QUIET if the caller found it
     * was not quiet or that no quiet spin applies, and made no busy spin (the same, and on a
     * virtual thread busy() says BUSY_LEFT_OUT), QUIET_UNASKED for this method to ask and spin
     * itself. await() makes no busy spin: {@link CellWaiter#quietSpin} and
     * {@link CellWaiter#busySpin}.
     */
    final Object await(long deadline, WaitPolicy policy, Object blocker, byte callerFound) {
        boolean timed = deadline != NO_DEADLINE;
        boolean virtual = owner.isVirtual();
        int spins = virtual ? policy.virtualSpins() : policy.platformSpins();
        if (callerFound == QUIET_UNASKED && spinsQuietly(virtual, policy)) {
            for (int i = 1; i <= policy.quietSpins(); i++) {
                Object value = poll();
                if (value != null) {
                    return value;
                }
                if (quietSpinEnds(i, timed, deadline)) {
                    break; // a thread waits for a carrier now, perhaps the peer on this one
                }
                Thread.onSpinWait();
            }
        } else if (callerFound == BUSY_SPUN) {
            busy = BUSY_MISS; // the caller's busy spin brought no answer
        } else if (virtual && callerFound != QUIET_SPUN) {
            busy = BUSY_LEFT_OUT; // a busy spin is the caller's to make (CellChannel.awaitHandoff)
        }
        if (virtual && policy.yields() > 0) {
            for (int yields = policy.yields(); yields > 0; yields--) {
                if (nearDeadline(timed, deadline)) {
                    break;
                }
                long before = spins > 0 ? System.nanoTime() : 0L; // timed only if a spin may follow
                Thread.yield(); // a peer this thread just woke may be queued on this carrier: let it run
                Object value = poll();
                if (value != null) {
                    ended = ENDED_IN_YIELD;
                    return value;
                }
                if (spins > 0 && System.nanoTime() - before > YIELD_BUSY_NANOS) {
                    spins = 0; // others ran on this carrier meanwhile: spinning would keep them waiting
                }
            }
        }
        Object spun = spin(spins, timed, deadline);
        if (spun != null) {
            return spun;
        }
        announceParking(); // from now on a peer that settles this waiter unparks the owner
        ended = ENDED_PARKING;
        boolean parked = false;
        while (true) {
            Object value = poll();
            if (value != null) {
                return value;
            }
            if (Thread.interrupted()) {
                if (tryCancel(Signal.INTERRUPTED)) {
                    return Signal.INTERRUPTED;
                }
                owner.interrupt(); // completed concurrently: keep the status
                return poll();
            }
            if (!timed) {
                LockSupport.park(blocker);
            } else {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    if (tryCancel(Signal.TIMED_OUT)) {
                        if (!parked) {
                            Thread.yield(); // see "Timeouts shorter than the spin"
                        }
                        return Signal.TIMED_OUT;
                    }
                    return poll();
                }
                if (remaining < SPIN_FOR_TIMEOUT_THRESHOLD) {
                    Thread.onSpinWait(); // a timed park costs more than what is left
                } else {
                    parked = true;
                    LockSupport.parkNanos(blocker, remaining);
                }
            }
        }
    }

    /**
     * {@return whether a wait of a thread that {@code virtual} says is virtual, by {@code policy},
     * begins with a quiet spin} It asks the scheduler (Carriers.quiet()) only if one could.
     */
    static boolean spinsQuietly(boolean virtual, WaitPolicy policy) {
        return virtual && policy.quietSpins() > 0 && Carriers.quiet();
    }

    /**
     * {@return whether a quiet spin stops after its spin number {@code i}} Every QUIET_CHECK_MASK
     * + 1 spins it asks whether the scheduler is still quiet, and a timed one whether PARK_MARGIN
     * is left before its deadline.
     */
    static boolean quietSpinEnds(int i, boolean timed, long deadline) {
        return (i & QUIET_CHECK_MASK) == 0
                && (!Carriers.quiet() || nearDeadline(timed, deadline));
    }

    /**
     * {@return whether a wait, {@code timed} with {@code deadline}, has less than PARK_MARGIN left}
     * Its spins and yields stop there, so that it parks at least once (see "Timeouts shorter than
     * the spin").
     */
    static boolean nearDeadline(boolean timed, long deadline) {
        return timed && deadline - System.nanoTime() < PARK_MARGIN;
    }

    /**
     * await()'s spin after the yields, or a platform owner's only spin: {@return the settling
     * value if it came within {@code spins} spins, else null} A timed wait stops PARK_MARGIN
     * before its deadline, to leave time to park (see "Timeouts shorter than the spin").
     */
    private Object spin(int spins, boolean timed, long deadline) {
        for (int i = spins; i > 0; i--) {
            Object value = poll();
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

    /** {@return how the owner's await() ended: ENDED_EARLY, ENDED_IN_YIELD or ENDED_PARKING} Owner only. */
    final byte ended() {
        return ended;
    }

    /**
     * {@return whether the owner's wait busy-spun before its await(): BUSY_NONE (it did not, and
     * would not have: the scheduler was quiet, or the owner is a platform thread), BUSY_MISS (its
     * caller's busy spin brought no answer: BUSY_SPUN), or BUSY_LEFT_OUT (it did not spin while
     * quiet, and no busy spin was made)} Owner only.
     */
    final byte busy() {
        return busy;
    }

    /**
     * {@return whether the owner's wait was slow: it found threads queued for the carriers as it
     * began (its caller busy-spun, or no busy spin was made: for a handoff wait, whose policies
     * have quiet spins, that means the scheduler was not quiet) or went to park} Owner only; for
     * Segment's "Layouts".
     */
    final boolean slow() {
        return busy != BUSY_NONE || ended == ENDED_PARKING;
    }

    /**
     * {@return the deadline, a {@link System#nanoTime()} value, of a wait of {@code timeoutNanos}}
     * {@link #NO_DEADLINE} for a timeout of {@code Long.MAX_VALUE}. Deadlines are compared by
     * subtraction, so they may wrap around.
     */
    static long deadline(long timeoutNanos) {
        if (timeoutNanos == NO_DEADLINE) {
            return NO_DEADLINE;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        return deadline == NO_DEADLINE ? deadline - 1 : deadline;
    }
}
