package io.github.csp4j.channels.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed run of {@link #SIZE} cells in the infinite array of cells that a channel's tickets index,
 * and a node of the doubly linked list that holds the runs still in use.
 */
final class Segment {
    /*
     * Implementation notes
     *
     * Overview. Tickets (0, 1, 2, ...) index an infinite array of cells; the array is a linked
     * list of segments of SIZE cells, created on demand (or a little before: "Appending ahead")
     * at the tail and dropped once every reference to them is gone. This is the segment list of
     * Koval, Alistarh and Elizarov, "Fast and Scalable Channels in Kotlin Coroutines" (PPoPP
     * 2023), also used by jox.
     *
     * Cells. Cell i keeps its element and its state side by side, so both sit in one cache line: at
     * slots[2 i] and slots[2 i + 1] in a PACKED segment (eight cells to 64 bytes), at
     * slots[8 i + l] and slots[8 i + l + 1] in a SPREAD one (two cells to 64 bytes; l, the
     * segment's lane, is 0, 2, 4 or 6, and the other six references are the lanes of up to three
     * other segments: "Shared slots"). These figures are for compressed references; the array is
     * not aligned to cache lines, so a line holds that many cells on average. The state is null
     * (empty), a CellState, or a Waiter. Elements are written plain before the state CAS that
     * publishes them, and read plain after the state load that observed that CAS. With two arrays
     * instead, elements apart from states, buffered 16 and 1024 1P1C (TransferBenchmark) were 35
     * and 28 % slower, rendezvous 1P1C 9 % and PingPongBenchmark 13 %, in the machine's slow state,
     * and the ring of 1,000 (RingBenchmark) 5 %; rendezvous 4P4C, 10,000 pairs and the rings of
     * 10,000 and 100,000 showed no consistent change (benchmarks/RESULTS.md, "The cell layout and a
     * select's first capacity").
     *
     * Layouts. A channel's first segment is packed (so a channel's first use, such as a receiver
     * blocked on a channel of its own, costs no more memory), and so is every segment of a buffered
     * or unbounded channel and of a PermitQueue: a buffered channel's later segments spread made
     * buffered 16 1P1C and 64 4P4C (TransferBenchmark) 19 and 31 % slower, and nothing faster
     * beyond a tie (benchmarks/RESULTS.md, "Spread cells for buffered channels"). A rendezvous
     * channel picks each later segment's layout as it is appended, from the segment before it
     * (nextShift): spread if no handoff wait in that segment's cells was slow, packed otherwise
     * (the waits up to the append, which may be made three quarters into the segment: "Appending
     * ahead").
     * A slow wait found threads queued for the carriers as it began (so it busy-spun or left its
     * busy spin out; one whose quiet spin stopped for threads queued later and then ended in its
     * yield is not counted) or went to park
     * (ENDED_PARKING, whether it then parked, timed out or was interrupted); CellChannel reports it
     * after each plain handoff wait (noteSlowWait), and a select after its wait, to the segment of
     * every cell it was registered in. The try operations, which never wait, report nothing, so a
     * channel used only through them spreads its later segments; with io.github.csp4j.quietSpins=0
     * every wait of a virtual thread counts as slow, so nothing is spread. Spread cells made
     * rendezvous 1P1C (TransferBenchmark) and PingPongBenchmark, whose two parties spin on two
     * CPUs, faster; spread in every segment they also made rendezvous 4P4C (two threads per
     * carrier: its waits busy-spin and yield) and the ring of 10,000 (RingBenchmark: its receivers
     * park, and a hop uses one cell of a channel last touched a trip ago, so a packed line serves
     * eight trips and a spread one two) slower. With the hint those two are packed again, within
     * their spread, and the one-to-one handoffs keep most of the gain, in the machine's slow state.
     * Against io.github.csp4j.spreadCells=false on the same jar (every segment packed, the
     * mechanism left in place; before "Appending ahead", which the switch turns off too), spread
     * read 0.87 and 0.90 of rendezvous 1P1C's and ping-pong's time in the slow state and 0.95 and
     * 1.00 in the fast one (7 to 9 rounds), rendezvous 4P4C 1.02 in both (benchmarks/RESULTS.md,
     * "The spread cells against their own switch", "Cells spread while the carriers are quiet";
     * other spacings and orders: "Cells further apart"). Those readings are the Zen 5 guest's. On
     * an Intel guest (4 rounds, ungated), packed read 0.88 of spread's time on ping-pong (0.93 by
     * the slow state's rounds) and 0.94 on rendezvous 4P4C, but 1.03 on rendezvous 1P1C and 1.10 on
     * the ring of 1,000: no layout won there ("Four handoff probes, and profiles without the frame
     * pointer"). The hint is a plain field, only ever set from false to true (racing threads may
     * each set it); a write lost or seen late only gives one segment the other layout, which is as
     * correct.
     *
     * Shared slots. A spread segment appended after a spread segment in lane 0, 2 or 4 takes the
     * same array of slots and the next lane; else it makes an array of its own (1,040 bytes for 32
     * cells) and takes lane 0. So up to four spread segments in a row share one array, and a spread
     * segment costs a quarter of an array on average, not a whole one: rendezvous 1P1C
     * (TransferBenchmark) went from 34.6 to 10.6 bytes per element and PingPongBenchmark from 68.2
     * to 20.6 per round trip (-prof gc), in times that read as ties, ping-pong leaning a few per
     * cent slower (faster in 6 of 18 rounds; benchmarks/RESULTS.md, "Spread segments sharing their
     * slots"). A cell's neighbours in time, the cells before and after it in its segment, are as
     * far from it as with an array of its own (32 bytes); what shares its line are the cells of the
     * other lanes, used a segment or more earlier or later. Each segment keeps its own cell
     * arithmetic (SIZE cells, a lane added to every index), so nothing about tickets or removal
     * changes. A segment's array stays reachable while any segment sharing it does, at most three
     * segments longer than its own; every path that finishes a cell clears its element, so what the
     * other lanes keep is finished cells' states.
     *
     * Removal. A segment whose SIZE cells were all cancelled (a waiter that timed out, was
     * interrupted, or was woken by close) holds nothing anybody will use, yet a lagging pointer
     * into the list would keep it, and every segment after it, reachable: 10^6 timed-out receives
     * on an idle channel would be 10^6 / SIZE segments. Such a segment is unlinked once it is also
     * not referenced by any of the channel's segment pointers (counted in liveAndPointers) and is
     * not the tail (which new segments are appended to). Its neighbours are then linked to each
     * other, skipping segments removed concurrently. Operations that find their segment removed
     * skip it: every cell in it is dead.
     *
     * Counter. liveAndPointers = (pointers << POINTER_SHIFT) + (cells not cancelled). The segment
     * is logically removed when it reaches 0, which happens once; after that, tryAddPointer
     * refuses to resurrect it.
     *
     * Memory ordering. next and prev are volatile; a new segment is published by the CAS on its
     * predecessor's next, which orders its constructor before any use. A removed segment keeps
     * its next pointer, so a thread standing on it still reaches the live list.
     *
     * Appending ahead. On a rendezvous channel, the plain sender or receiver that waits in cell
     * APPEND_AHEAD_CELL of a segment (the first of the two to arrive, unless it is a select's
     * registration, which never appends ahead) appends the segment after it before its wait, if
     * there is none and it would be spread (no slow wait so far, "Layouts"; so never with
     * io.github.csp4j.spreadCells=false; CellChannel.awaitHandoff, where both parties' plain
     * rendezvous waits begin, so a buffered channel's waits never look). Without this, as in the
     * reference algorithm, the first party to need a segment appends it (find), and a sender and a
     * receiver in step reach a segment's end together: each allocated a segment for the same place
     * and one lost the CAS, at 0.76 of the appends of TransferBenchmark rendezvous 1P1C and 0.52 of
     * PingPongBenchmark's (spread), about 26 of the 96 to 102 bytes a rendezvous 1P1C element
     * allocated (counted; -prof gc read 22 to 28 fewer after the change; benchmarks/RESULTS.md,
     * "Segments allocated twice at a segment's end"). Only before a spread segment: parties whose
     * waits are slow are less often in step (an inference: a ring's receiver waits a whole trip), a
     * spread segment cost the most to make twice (1,080 bytes against 312; since "Shared slots",
     * that holds for one spread segment in four, and the other three cost 40, the counts and bytes
     * above not measured again), and appending ahead of packed segments too read RingBenchmark's
     * ring of 1,000 at 1.02 to 1.09 times the time in four A/Bs (faster in 5 of 22 rounds) and its
     * ring of 10,000 at 1.17 and 1.07 in two, for no cause found; as kept, ties (the ring of 1,000
     * 1.05 in two A/Bs, faster in 3 and 1 of 6 rounds; rendezvous 1P1C 0.97, 3 of 6;
     * PingPongBenchmark 0.97 and 0.99, 3 and 4 of 6). Three quarters in, so that the peer in step
     * is still cells away from the end, and the next segment's layout is still picked from most of
     * this one's waits; not at all in segments of fewer than 4 cells, where that cell would be the
     * last one, or the only one, before any wait in it was known. In the wait, whose time the
     * peer's arrival ends anyway: a sender that appended after its handoff instead read
     * PingPongBenchmark at 1.04 times the time by the slow state's rounds in two A/Bs (faster in 0
     * and 1 of 5), ties leaning slower. Packed segments are still appended at the end (rendezvous
     * 4P4C, whose segments are nearly all packed, made 0.23 to 0.30 of its appends twice, about 3
     * bytes per element), and so are buffered and unbounded channels' (0.13 to 0.18 of buffered 16
     * 1P1C's appends, 1.2 to 1.7 bytes per element). A channel whose tickets stop in a segment's
     * last quarter may hold the segment appended ahead, one at most.
     *
     * Lazy start. A channel allocates no segment until its first operation (an empty channel
     * costs one object: Footprint in benchmarks). Its two pointers start null, and the first
     * segment waits in the owner's `head` field until both pointers hold it (installFirst): the
     * first thread to need a pointer installs a fresh segment in head by CAS, and every pointer
     * is set from head by CAS from null, so both pointers start at the same segment, as if it had
     * been allocated in the constructor (which counts both pointers on it from the start). head
     * is cleared once both pointers are set, so that it does not keep the list reachable.
     *
     * prev pointers exist only to unlink removed segments. Once both the senders' and the
     * receivers' tickets have passed the start of a segment, nothing needs what lies before it;
     * cleanPrev() drops the back link so old segments do not stay reachable through it.
     */

    /**
     * Cells per segment, a power of two from 1 to 1024; {@code io.github.csp4j.segmentSize}. 32,
     * as in Kotlin and jox: against 8, 16 and 64 (two rounds each; benchmarks/RESULTS.md, "Cells
     * per segment"), 8 was 6 to 35% slower on rendezvous 1P1C (TransferBenchmark), buffered 16
     * 1P1C, rendezvous 4P4C, PingPongBenchmark and 100 pairs (PairsBenchmark), which append a
     * segment every 8 elements; 16 was slower in one round and alike in the other; 64 measured
     * like 32; the ring of 10,000 (RingBenchmark) and 10,000 pairs moved within their spread at
     * every size. Smaller still, 4 and 2 cells brought the ring of 10,000 from 2.10 to 1.48 and
     * 1.09 times bare park/unpark by the median ratio (one A/B of 3 rounds; 2 cells 0.91 to 1.33
     * by round), but 4 cells made ping-pong, rendezvous and buffered 16 1P1C 48 to 103 % slower
     * and 10,000 pairs 21 % (benchmarks/RESULTS.md, "The ring's floor"): one size cannot serve
     * both. A size that follows parks was tried and not kept ("Segments that follow parks"). The
     * build's small-segments test execution runs the channel tests with 2.
     */
    static final int SIZE = Tuning.powerOfTwo("io.github.csp4j.segmentSize", 32, 1024);

    /**
     * The cell in which a plain waiting party of a rendezvous channel appends the next segment, if
     * it would be spread, ahead of need: three quarters into its own ("Appending ahead"); -1, no
     * cell, in segments of fewer than 4 cells.
     */
    static final int APPEND_AHEAD_CELL = SIZE >= 4 ? SIZE * 3 / 4 : -1;

    static final int SHIFT = Integer.numberOfTrailingZeros(SIZE);
    static final int MASK = SIZE - 1;

    private static final int POINTER_SHIFT = 16;
    private static final int ONE_POINTER = 1 << POINTER_SHIFT;

    /** This segment's index: it holds the cells with tickets {@code id * SIZE} to {@code id * SIZE + SIZE - 1}. */
    final long id;

    /**
     * Whether a rendezvous channel may spread the cells of its later segments ("Layouts");
     * {@code io.github.csp4j.spreadCells}, true or false. True: TransferBenchmark rendezvous-1P1C
     * and PingPongBenchmark (benchmarks/RESULTS.md, "Cells spread while the carriers are quiet",
     * "The spread cells against their own switch"). False also turns "Appending ahead" off, as it
     * appends spread segments only.
     */
    static final boolean SPREAD_CELLS = Tuning.flag("io.github.csp4j.spreadCells", true);

    /** The layout of a cell that takes two references, its element and its state: log2 of 2. */
    static final byte PACKED = 1;

    /** The layout of a cell that takes eight references, six left to other segments: log2 of 8. */
    static final byte SPREAD = 3;

    /** The references a packed cell takes, and so the width of a spread segment's lane. */
    private static final int PACKED_REFERENCES = 1 << PACKED;

    /** The references a spread cell takes: the lanes of a shared array end there. */
    private static final int SPREAD_REFERENCES = 1 << SPREAD;

    /** log2 of the references a cell takes in slots: PACKED or SPREAD ("Layouts"). */
    private final byte cellShift;

    /**
     * Whether the segments appended after this one pick their layout ("Layouts"): a rendezvous
     * channel's, unless SPREAD_CELLS is off. Then noteSlowWait writes nothing either.
     */
    private final boolean adaptive;

    /** Whether a handoff wait in this segment's cells was slow ("Layouts"); plain, a hint. */
    private boolean slowWait;

    /**
     * Cell i's element at {@code (i << cellShift) + lane}, read and written plain, its state right
     * after, accessed through SLOT. A spread segment may share this array with the spread segments
     * before and after it ("Shared slots").
     */
    private final Object[] slots;

    /**
     * Where cell 0's element is in slots: 0, or in a spread segment that shares its predecessor's
     * slots, 2, 4 or 6 ("Shared slots"). A byte fits in the object's padding: with an int a
     * segment took 48 bytes instead of 40 (JOL, on JDK 25 with compressed references).
     */
    private final byte lane;

    /** The next segment, or null at the tail. Written by cas (append) and sv (unlink); read lv. */
    private volatile Segment next;

    /** The previous live segment, or null once not needed. Written by cas, sv and so; read lv. */
    private volatile Segment prev;

    /** (pointers << POINTER_SHIFT) + cells not cancelled; 0 means removed. Updated by cas/xadd. */
    private volatile int liveAndPointers;

    Segment(long id, Segment prev, int pointers, byte cellShift, boolean adaptive) {
        this.id = id;
        this.cellShift = cellShift;
        this.adaptive = adaptive && SPREAD_CELLS; // with spreading off, nothing to adapt
        if (cellShift == SPREAD && prev != null && prev.cellShift == SPREAD
                && prev.lane + PACKED_REFERENCES < SPREAD_REFERENCES) {
            this.slots = prev.slots; // the next lane of the same array ("Shared slots")
            this.lane = (byte) (prev.lane + PACKED_REFERENCES);
        } else {
            this.slots = new Object[SIZE << cellShift];
            this.lane = 0;
        }
        this.prev = prev;
        this.liveAndPointers = (pointers << POINTER_SHIFT) + SIZE;
    }

    /** {@return the first ticket of this segment} */
    long firstTicket() {
        return id << SHIFT;
    }

    static long segmentId(long ticket) {
        return ticket >>> SHIFT;
    }

    static int cellIndex(long ticket) {
        return (int) (ticket & MASK);
    }

    // ---- cells ----

    Object lvState(int cell) {
        return SLOT.getVolatile(slots, (cell << cellShift) + lane + 1);
    }

    void svState(int cell, Object state) {
        SLOT.setVolatile(slots, (cell << cellShift) + lane + 1, state);
    }

    /**
     * Ordered (release) store of a final state after the CAS on a Waiter that decided the cell:
     * unlike svState it does not make this thread wait until the store is visible to the other
     * CPU (on x86 a volatile store is followed by a fence that drains the store buffer, which here
     * waits for the cache line the peer just wrote). No reader needs more: a thread that still sees
     * the Waiter finds it settled. PingPongBenchmark (benchmarks/RESULTS.md, "After run 6", fewer
     * cache-line transfers per handoff).
     */
    void soState(int cell, Object state) {
        SLOT.setRelease(slots, (cell << cellShift) + lane + 1, state);
    }

    boolean casState(int cell, Object expected, Object state) {
        return SLOT.compareAndSet(slots, (cell << cellShift) + lane + 1, expected, state);
    }

    /** Plain load; ordered after the lvState or cas that observed the state publishing it. */
    Object lpElement(int cell) {
        return slots[(cell << cellShift) + lane];
    }

    /** Plain store; published by the casState that follows it, or cleared by its owner. */
    void spElement(int cell, Object element) {
        slots[(cell << cellShift) + lane] = element;
    }

    /**
     * Notes that a handoff wait in one of this segment's cells was slow, so that the segment
     * appended after it is packed ("Layouts"). Written once, and only if it may matter,
     * so that the line the parties read on every operation is not written again and again.
     */
    void noteSlowWait() {
        if (adaptive && !slowWait) {
            slowWait = true;
        }
    }

    /** {@return the layout of the segment appended after this one ("Layouts")} */
    private byte nextShift() {
        return adaptive && !slowWait ? SPREAD : PACKED;
    }

    /** {@return this segment's layout, PACKED or SPREAD; for tests} */
    byte cellShift() {
        return cellShift;
    }

    /** {@return where cell 0's element is in this segment's slots ("Shared slots"); for tests} */
    int lane() {
        return lane;
    }

    /**
     * {@return whether this segment's cells are in the same array as {@code other}'s; for tests}
     */
    boolean sharesSlotsWith(Segment other) {
        return slots == other.slots;
    }

    // ---- list ----

    /**
     * Appends the segment after this one as find does, unless there is one or it would be packed
     * ("Appending ahead").
     */
    void appendAhead() {
        if (next == null && nextShift() == SPREAD) {
            find(this, id + 1);
        }
    }

    Segment next() {
        return next;
    }

    boolean isRemoved() {
        return liveAndPointers == 0;
    }

    /** Drops the back link once no operation needs the segments before this one. */
    void cleanPrev() {
        if (prev != null) { // lv: every handoff calls this; a store when prev is null already would
            // take this line from the peer's cache just to write the same null (PingPongBenchmark)
            PREV.setRelease(this, null); // so: a stale prev only delays an unlink
        }
    }

    /**
     * Records that one cell of this segment was cancelled, and unlinks the segment if that was
     * the last live cell and no pointer references it. Called exactly once per cancelled cell, by
     * the thread that cancelled it, or by the owner of a wait that close ended.
     */
    void onCellCancelled() {
        if ((int) LIVE_AND_POINTERS.getAndAdd(this, -1) == 1) { // xadd: decides removal once
            remove();
        }
    }

    private boolean tryAddPointer() {
        while (true) {
            int current = liveAndPointers;
            if (current == 0) {
                return false;
            }
            if (LIVE_AND_POINTERS.compareAndSet(this, current, current + ONE_POINTER)) {
                return true;
            }
        }
    }

    /** {@return whether dropping the pointer removed the segment} */
    private boolean releasePointer() {
        return (int) LIVE_AND_POINTERS.getAndAdd(this, -ONE_POINTER) == ONE_POINTER; // xadd
    }

    /**
     * Unlinks this logically removed segment from the list: links its nearest live neighbours
     * to each other, retrying while either of them is removed concurrently. The tail stays.
     */
    private void remove() {
        while (true) {
            if (next == null) {
                return; // the tail stays; the append after it calls remove() again
            }
            Segment left = aliveLeft();
            Segment right = aliveRight();
            while (true) {
                Segment rightPrev = right.prev;
                if (rightPrev == null || PREV.compareAndSet(right, rightPrev, left)) {
                    break; // cas: a cleaned prev stays null
                }
            }
            if (left != null) {
                left.next = right; // sv: re-checked below against concurrent removals
            }
            if (right.isRemoved() && right.next != null) {
                continue;
            }
            if (left != null && left.isRemoved()) {
                continue;
            }
            return;
        }
    }

    private Segment aliveLeft() {
        Segment s = prev;
        while (s != null && s.isRemoved()) {
            s = s.prev;
        }
        return s;
    }

    private Segment aliveRight() {
        Segment s = next;
        while (s.isRemoved() && s.next != null) {
            s = s.next;
        }
        return s;
    }

    /**
     * An object whose segment pointers {@link #findAndMoveForward} moves: volatile Segment
     * fields, chosen by a number (CellChannel's send and receive pointers, PermitQueue's wait and
     * serve pointers), each read as a volatile field and CASed through the owner's own constant
     * VarHandle. Not a VarHandle passed as an argument, as installFirst, which runs once per
     * owner, still takes them: findAndMoveForward runs once a segment, so the JIT compiles it
     * apart from its callers, where such a VarHandle is no constant and each access takes the
     * generic path (2.5 % of UncontendedBenchmark's samples; benchmarks/RESULTS.md, "Where a
     * buffered element's time goes when nobody waits" and "A receive takes a buffered element
     * without a call").
     */
    abstract static class Owner {
        /** {@return pointer {@code which}} lv. */
        abstract Segment pointer(int which);

        /** cas of pointer {@code which} from {@code expected} to {@code to}. */
        abstract boolean casPointer(int which, Segment expected, Segment to);
    }

    /**
     * Finds the segment with id {@code id}, creating segments at the tail as needed, or the first
     * live segment after it if it was removed; then moves {@code owner}'s pointer {@code which}
     * forward to it.
     *
     * <p>Out of memory. The caller holds a ticket of that segment, which it cannot give back: a
     * ticket whose party never reaches its cell leaves the other party of that ticket waiting for
     * nobody (a rendezvous receiver) or its element where nobody takes it (a buffered sender). So
     * if the new segment cannot be allocated, the caller waits for memory and tries again, every
     * {@link #MEMORY_RETRY_NANOS}, parked with {@code owner} as its blocker, as the JDK's
     * VirtualThread waits to submit a continuation on an OutOfMemoryError (WaitOutOfMemoryTest;
     * docs/RELIABILITY.md, "An Error thrown inside a channel operation"). Neither a deadline nor
     * an interrupt ends this wait (an interrupt stays pending for the operation's caller), so a
     * try operation or an unbounded send can wait here too. isClosedForReceive locates R's cell
     * without a ticket of its own, and waits here alike.
     *
     * @param start a segment read from that pointer before the ticket was taken, so not after id
     * @return the segment holding ticket {@code id * SIZE}, or a later one if that was removed
     */
    static Segment findAndMoveForward(Owner owner, int which, Segment start, long id) {
        while (true) {
            Segment found;
            try {
                found = find(start, id);
            } catch (OutOfMemoryError e) {
                awaitMemory(owner);
                continue;
            }
            if (moveForward(owner, which, found)) {
                return found;
            }
        }
    }

    /** How long findAndMoveForward waits for memory before it tries again: 100 ms, as the JDK's. */
    static final long MEMORY_RETRY_NANOS = 100_000_000L;

    /**
     * Waits MEMORY_RETRY_NANOS, parked with {@code blocker}, keeping a pending interrupt (see
     * findAndMoveForward, and DefaultChannel.receiveOrClosed, which waits so for the object that
     * carries an element it has received). A virtual thread's park allocates on JDK 21 before it
     * parks (its timer), so it can throw OutOfMemoryError there: the wait then spins for the rest
     * of its time, as a last resort (JDK 25 parks the thread on its carrier instead).
     */
    static void awaitMemory(Object blocker) {
        boolean interrupted = Thread.interrupted(); // else the park would return at once
        long start = System.nanoTime();
        try {
            LockSupport.parkNanos(blocker, MEMORY_RETRY_NANOS);
        } catch (OutOfMemoryError e) {
            while (System.nanoTime() - start < MEMORY_RETRY_NANOS) {
                Thread.onSpinWait();
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Finds, without moving any pointer, the first live segment with an id of at least {@code id}. */
    static Segment find(Segment start, long id) {
        Segment current = start;
        while (current.id < id || current.isRemoved()) {
            Segment following = current.next;
            if (following == null) {
                Segment created = new Segment(current.id + 1, current, 0, current.nextShift(),
                        current.adaptive);
                if (NEXT.compareAndSet(current, null, created)) { // cas: publishes created
                    if (current.isRemoved()) {
                        current.remove(); // it was a removed tail; now it can be unlinked
                    }
                }
                continue;
            }
            current = following;
        }
        return current;
    }

    /**
     * {@return where a walk over the cells still in use starts, without installing a first
     * segment, or null if there is none} The caller reads {@code head} before both pointers
     * ("Lazy start"): head is cleared only after both pointers are set, so if either pointer was
     * still null, the head read before it was the first segment, or null if nothing was installed
     * yet. Once both are set, the older pointer is the start, whatever head held: the first
     * segment (not yet cleared), null, or a fresh segment that a late installFirst put there
     * after the clearing, linked to nothing.
     */
    static Segment oldest(Segment head, Segment pointer, Segment other) {
        if (pointer != null && other != null) {
            return pointer.id <= other.id ? pointer : other;
        }
        if (head != null) {
            return head;
        }
        return pointer != null ? pointer : other; // never installed when head was read
    }

    /**
     * {@return the segment in {@code owner}'s {@code pointer} (read through the VarHandle), after
     * setting it to the owner's first segment if it was still null} See "Lazy start": {@code head}
     * holds the first segment until both {@code pointer} and {@code other} are set.
     *
     * @param adaptive whether the list's later segments pick their layout ("Layouts"): a
     *     rendezvous channel's
     */
    static Segment installFirst(Object owner, VarHandle head, VarHandle pointer, VarHandle other,
            boolean adaptive) {
        Segment first = (Segment) head.getVolatile(owner);
        if (first == null) {
            Segment fresh = new Segment(0, null, 2, PACKED, adaptive);
            first = (Segment) head.compareAndExchange(owner, null, fresh); // cas: one first segment
            if (first == null) {
                first = fresh;
            }
        }
        pointer.compareAndSet(owner, null, first); // cas: set once, from null; then it only moves forward
        if (other.getVolatile(owner) != null) {
            // Both pointers are set, so nobody reads head again; a fresh segment installed in head
            // after an earlier clearing (by a thread that read a null pointer before it was set)
            // is dropped here too.
            head.compareAndSet(owner, first, null); // cas
        }
        return (Segment) pointer.getVolatile(owner);
    }

    private static boolean moveForward(Owner owner, int which, Segment to) {
        while (true) {
            Segment current = owner.pointer(which);
            if (current.id >= to.id) {
                return true;
            }
            if (!to.tryAddPointer()) {
                return false; // removed meanwhile: find again
            }
            if (owner.casPointer(which, current, to)) { // cas: pointer moves only forward
                if (current.releasePointer()) {
                    current.remove();
                }
                return true;
            }
            if (to.releasePointer()) {
                to.remove();
            }
        }
    }

    @Override
    public String toString() {
        int counter = liveAndPointers;
        return "Segment[id=" + id + ", live=" + (counter & (ONE_POINTER - 1)) + ", pointers="
                + (counter >>> POINTER_SHIFT) + "]";
    }

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle NEXT;
    private static final VarHandle PREV;
    private static final VarHandle LIVE_AND_POINTERS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            NEXT = lookup.findVarHandle(Segment.class, "next", Segment.class);
            PREV = lookup.findVarHandle(Segment.class, "prev", Segment.class);
            LIVE_AND_POINTERS = lookup.findVarHandle(Segment.class, "liveAndPointers", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
