package io.github.csp4j.channels.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The buffer slots of a buffered channel: a fair, closeable semaphore. A sender acquires a permit
 * before it puts its element into the channel's cells, and the receiver that takes an element
 * releases one. Waiting senders are served in arrival order, and a close wakes them all.
 */
final class PermitQueue {
    /*
     * Implementation notes
     *
     * Overview. A counting semaphore whose waiters queue in the cells of a Segment list, as the
     * semaphore of Koval, Alistarh and Elizarov (the authors of the channel algorithm) does.
     * `permits` counts free permits minus acquirers owed one. An acquire decrements it; if it was
     * positive the permit is taken, at the cost of one get-and-add. Otherwise the acquirer takes
     * a wait ticket w and waits in cell w. A release increments it; if it was negative, someone is
     * owed a permit: the release takes a serve ticket v and hands its permit to cell v (to the
     * waiter there, or leaves it in the cell for the acquirer on its way). Serve tickets follow
     * wait tickets one to one, so waiters are served in arrival order.
     *
     * Why a semaphore and not the buffer-end counter of the reference algorithm: see
     * docs/adr/0002-buffer-as-permits.md. It removes the third party (expandBuffer) racing for a
     * waiting sender, and the bookkeeping that makes removal of cancelled segments safe with it.
     * Cells are indexed by wait tickets only, so the list grows with waiting, never with traffic,
     * and the capacity costs no memory however large it is.
     *
     * Cell states (null is EMPTY):
     *
     *   EMPTY --acquirer--> Waiter --release resumes it with GRANTED--> DONE
     *   EMPTY --release first (its acquirer is on the way)--> PERMIT
     *   EMPTY --close()--> CLOSED
     *   Waiter --its own timeout or interrupt, or close()--> RECEIVE_CANCELLED (by the owner)
     *
     * Invariants. permits == initial + releases - acquires. An acquirer that waited and left
     * without a permit still counts in that sum; the release that later holds its serve ticket
     * undoes it (adds one more) and serves the next ticket with the same permit. A release that
     * finds its segment removed (all its waiters left) claims the serve tickets up to the next
     * live segment with one CAS and undoes them all with one add. Permits are never lost or duplicated.
     *
     * Blocking, interrupts and timeouts: as in CellChannel, through Waiter.
     *
     * Closing. close() sets CLOSED_BIT in `waits` with one atomic OR, so an acquirer that would
     * wait later fails instead; it then wakes every waiter below the wait tickets it saw, and marks
     * their empty cells CLOSED for acquirers still on their way. Acquires that find a free permit
     * still take it (the channel's cells then reject the send), and releases after close are
     * harmless: nobody will wait again.
     *
     * Memory ordering. A permit carries no data; the buffered element travels through CellChannel.
     * The release's resume of a Waiter is a CAS, read by the waiter with a volatile load.
     */

    private static final long CLOSED_BIT = 1L << 62;
    private static final long COUNT_MASK = (1L << 60) - 1;

    /** Free permits minus acquirers owed one. xadd/cas; lv. */
    private volatile long permits;

    /** Wait tickets taken, and CLOSED_BIT. xadd/xor; lv. */
    private volatile long waits;

    /** Serve tickets taken. xadd/cas; lv. */
    private volatile long serves;

    /** Segment of the newest wait ticket, or older. cas forward; lv. */
    private volatile Segment waitSegment;

    /** Segment of the newest serve ticket, or older. cas forward; lv. */
    private volatile Segment serveSegment;

    PermitQueue(int capacity) {
        this.permits = capacity;
        Segment first = new Segment(0, null, 2);
        this.waitSegment = first;
        this.serveSegment = first;
    }

    /**
     * Takes a permit, waiting until {@code deadline} for one.
     *
     * @return {@link Signal#GRANTED}, {@link Signal#TIMED_OUT} or {@link Signal#CLOSED}
     * @throws InterruptedException if interrupted while waiting; no permit was taken
     */
    Signal acquire(long deadline) throws InterruptedException {
        if ((long) PERMITS.getAndAdd(this, -1L) > 0) { // xadd: a free permit is ours
            return Signal.GRANTED;
        }
        Segment segment = waitSegment;
        long ticket = (long) WAITS.getAndAdd(this, 1L); // xadd: takes wait ticket w
        if ((ticket & CLOSED_BIT) != 0) {
            return Signal.CLOSED;
        }
        // Only this acquirer cancels its own cell, so its segment cannot have been removed.
        Segment found = Segment.findAndMoveForward(WAIT_SEGMENT, this, segment, Segment.segmentId(ticket));
        int cell = Segment.cellIndex(ticket);
        while (true) {
            Object state = found.lvState(cell);
            if (state == CellState.PERMIT) {
                found.svState(cell, CellState.DONE);
                return Signal.GRANTED;
            }
            if (state == CellState.CLOSED) {
                return Signal.CLOSED;
            }
            Waiter waiter = new Waiter(true);
            if (!found.casState(cell, null, waiter)) { // cas: against the release and close
                continue;
            }
            Object result = waiter.await(deadline);
            if (result == Signal.GRANTED) {
                return Signal.GRANTED; // the release finished the cell
            }
            found.svState(cell, CellState.RECEIVE_CANCELLED);
            found.onCellCancelled();
            if (result == Signal.INTERRUPTED) {
                throw new InterruptedException();
            }
            return (Signal) result; // TIMED_OUT or CLOSED
        }
    }

    /**
     * Takes a permit if one is free now; never waits and never queues.
     *
     * @return {@link Signal#GRANTED} or {@link Signal#WOULD_BLOCK}
     */
    Signal tryAcquire() {
        while (true) {
            long free = permits;
            if (free <= 0) {
                return Signal.WOULD_BLOCK;
            }
            if (PERMITS.compareAndSet(this, free, free - 1)) { // cas: never goes into debt
                return Signal.GRANTED;
            }
        }
    }

    /** Returns a permit: to the longest-waiting acquirer, or to the pool. Never blocks. */
    void release() {
        long before = (long) PERMITS.getAndAdd(this, 1L); // xadd: offers the permit
        while (before < 0) { // someone is owed a permit: serve the oldest wait ticket
            Segment segment = serveSegment;
            long ticket = (long) SERVES.getAndAdd(this, 1L); // xadd: takes serve ticket v
            long id = Segment.segmentId(ticket);
            Segment found = segment.id == id ? segment : Segment.findAndMoveForward(SERVE_SEGMENT, this, segment, id);
            long undone;
            if (found.id != id) {
                // Every acquirer up to the found segment left. Claim the serve tickets of their
                // cells and undo their acquires together; if another release took some, undo ours.
                long end = found.firstTicket();
                undone = SERVES.compareAndSet(this, ticket + 1, end) ? end - ticket : 1;
            } else if (grant(found, Segment.cellIndex(ticket))) {
                return;
            } else {
                undone = 1; // that acquirer left: undo its acquire, and serve the next one
            }
            before = (long) PERMITS.getAndAdd(this, undone) + undone - 1; // still owed, net of ours?
        }
    }

    /** {@return whether the permit went to the acquirer of this cell, or is not needed after close} */
    private static boolean grant(Segment segment, int cell) {
        while (true) {
            Object state = segment.lvState(cell);
            if (state == null) {
                if (segment.casState(cell, null, CellState.PERMIT)) { // cas: for the acquirer on its way
                    return true;
                }
                continue;
            }
            if (state instanceof Waiter waiter) {
                if (waiter.tryResume(Signal.GRANTED)) {
                    segment.svState(cell, CellState.DONE);
                    return true;
                }
                return false; // it left
            }
            return state == CellState.CLOSED; // else RECEIVE_CANCELLED: it left
        }
    }

    /** Wakes every waiting acquirer with {@link Signal#CLOSED}, and fails acquirers that would wait later. */
    void close() {
        long ticket = (long) WAITS.getAndBitwiseOr(this, CLOSED_BIT); // xor: later wait tickets see it
        if ((ticket & CLOSED_BIT) != 0) {
            return;
        }
        long limit = ticket & COUNT_MASK;
        Segment waiting = waitSegment;
        Segment serving = serveSegment;
        Segment segment = waiting.id <= serving.id ? waiting : serving;
        for (; segment != null && segment.firstTicket() < limit; segment = segment.next()) {
            for (int cell = 0; cell < Segment.SIZE && segment.firstTicket() + cell < limit; cell++) {
                closeCell(segment, cell);
            }
        }
    }

    private static void closeCell(Segment segment, int cell) {
        while (true) {
            Object state = segment.lvState(cell);
            if (state == null) {
                if (segment.casState(cell, null, CellState.CLOSED)) {
                    return;
                }
                continue;
            }
            if (state instanceof Waiter waiter) {
                waiter.tryResume(Signal.CLOSED);
            }
            return;
        }
    }

    @Override
    public String toString() {
        long ticket = waits;
        return "permits[" + ((ticket & CLOSED_BIT) != 0 ? "closed, " : "") + "free=" + permits
                + ", waited=" + (ticket & COUNT_MASK) + ", served=" + serves + "]";
    }

    private static final VarHandle PERMITS;
    private static final VarHandle WAITS;
    private static final VarHandle SERVES;
    private static final VarHandle WAIT_SEGMENT;
    private static final VarHandle SERVE_SEGMENT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PERMITS = lookup.findVarHandle(PermitQueue.class, "permits", long.class);
            WAITS = lookup.findVarHandle(PermitQueue.class, "waits", long.class);
            SERVES = lookup.findVarHandle(PermitQueue.class, "serves", long.class);
            WAIT_SEGMENT = lookup.findVarHandle(PermitQueue.class, "waitSegment", Segment.class);
            SERVE_SEGMENT = lookup.findVarHandle(PermitQueue.class, "serveSegment", Segment.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
